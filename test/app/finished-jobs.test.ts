import { afterEach, describe, expect, it, vi } from 'vitest';
import { FinishedJobs } from '../../src/app/finished-jobs.js';
import type { Job } from '../../src/core/types.js';
import type { Store } from '../../src/store/store.js';

// One module with its store stubbed: what a notification wakes, counted in reads of the store.
function storeOf(jobs: Map<string, Partial<Job>>) {
  let notify: (ids: readonly string[]) => void = () => {};
  const reads: string[] = [];
  const store = {
    onJobsFinished: async (_since: number, listener: (ids: readonly string[]) => void) => {
      notify = listener;
      return async () => {};
    },
    getJob: async (id: string) => {
      reads.push(id);
      return jobs.get(id) as Job | undefined;
    },
  } as unknown as Store;
  return { store, reads, notify: (ids: string[]) => notify(ids) };
}

describe('FinishedJobs', () => {
  afterEach(() => void vi.useRealTimers());

  it("wakes a result() waiter on its own job's notification only", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const jobs = new Map<string, Partial<Job>>([
      ['a', { id: 'a', type: 't', status: 'running' }],
      ['b', { id: 'b', type: 't', status: 'running' }],
    ]);
    const { store, reads, notify } = storeOf(jobs);
    const finished = new FinishedJobs(store, () => {});
    let settled: Job | undefined;
    void finished.result('a', 0, undefined).then((job) => (settled = job));
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toEqual(['a']);

    jobs.set('b', { id: 'b', type: 't', status: 'completed' });
    notify(['b', 'c']);
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toEqual(['a']);

    jobs.set('a', { id: 'a', type: 't', status: 'completed' });
    notify(['b', 'a']);
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toEqual(['a', 'a']);
    expect(settled).toMatchObject({ id: 'a', status: 'completed' });
  });

  it('looks again after a second when no notification comes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const jobs = new Map<string, Partial<Job>>([['a', { id: 'a', type: 't', status: 'running' }]]);
    const { store, reads } = storeOf(jobs);
    const finished = new FinishedJobs(store, () => {});
    const result = expect(finished.result('a', 0, 5_000)).rejects.toMatchObject({
      code: 'ERR_JOB_FAILED',
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(reads).toEqual(['a']);
    jobs.set('a', {
      id: 'a',
      type: 't',
      status: 'failed',
      lastError: { message: 'no' } as Job['lastError'],
    });
    await vi.advanceTimersByTimeAsync(1);
    await result;
    expect(reads).toEqual(['a', 'a']);
  });
});
