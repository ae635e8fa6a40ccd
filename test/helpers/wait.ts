/**
 * Options for `vi.waitFor` on conditions that depend on timers and database round trips: the
 * condition is still what the test waits for, but a loaded machine (CI, parallel suites) may take
 * seconds where an idle one takes milliseconds, and vi.waitFor's default gives up after one.
 */
export const SLOW_MACHINE = { timeout: 20_000, interval: 25 } as const;
