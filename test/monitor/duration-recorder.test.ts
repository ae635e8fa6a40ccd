import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/types.js';
import { DurationRecorder } from '../../src/monitor/duration-recorder.js';

const job = (id: string, type = 'render', stage: string | null = null) =>
  ({ id, type, stage }) as unknown as Job;

describe('DurationRecorder', () => {
  it('hands over only the newest samples per type and stage, however many jobs ran', () => {
    const recorder = new DurationRecorder(3);
    for (let i = 0; i < 1000; i += 1) {
      recorder.started(job(`j${i}`), i * 10);
      recorder.progressed(job(`j${i}`), 'upload', i * 10 + 2);
      recorder.completed(job(`j${i}`), i * 10 + 5);
    }
    const taken = recorder.take();
    const whole = taken.filter((s) => s.stage === '');
    const upload = taken.filter((s) => s.stage === 'upload');
    expect(whole.map((s) => s.at)).toEqual([9975, 9985, 9995]);
    expect(whole.every((s) => s.durationMs === 5)).toBe(true);
    expect(upload.map((s) => s.durationMs)).toEqual([3, 3, 3]);
    expect(recorder.take()).toEqual([]);
  });

  it('learns nothing from an attempt that did not succeed', () => {
    const recorder = new DurationRecorder(10);
    recorder.started(job('a'), 0);
    recorder.dropped(job('a'));
    recorder.completed(job('a'), 50);
    expect(recorder.take()).toEqual([]);
  });
});
