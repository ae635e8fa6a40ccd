/** Messages the driver sends to a worker child process. */
export type ParentMessage = { type: 'go' } | { type: 'report' } | { type: 'stop' };

/** Messages a worker child process sends to the driver; `t` is always `now()` in the child. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'going'; t: number }
  | { type: 'done'; t: number }
  | { type: 'hung'; i: number; t: number }
  | { type: 'report'; latencies: number[]; maxRssMb: number }
  | { type: 'stopped' };
