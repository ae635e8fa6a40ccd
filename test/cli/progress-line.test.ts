import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/cli/progress-line.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (text: string) => writes.push(text) };
}

describe('the progress line of long CLI work', () => {
  it('redraws one line in place on a terminal, once per percent, and ends it', () => {
    const tty = stream(true);
    const line = new ProgressLine(tty, { label: 'importing', unit: 'patterns', total: 400 });
    for (let done = 1; done <= 400; done++) line.update(done);
    line.finish();
    // 0 % to 100 %, then the last state again with the line's end.
    expect(tty.writes).toHaveLength(102);
    expect(tty.writes.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(tty.writes[50]).toBe(
      '\r\x1b[2Kimporting [############------------] 50% 200/400 patterns',
    );
    expect(tty.writes.at(-1)).toBe(
      '\r\x1b[2Kimporting [########################] 100% 400/400 patterns\n',
    );
  });

  it('says nothing off a terminal unless forced, and then writes one line per tenth', () => {
    const quiet = stream(false);
    const silent = new ProgressLine(quiet, { label: 'exporting', unit: 'patterns', total: 50 });
    for (let done = 0; done <= 50; done++) silent.update(done);
    silent.finish();
    expect(quiet.writes).toEqual([]);

    const log = stream(false);
    const forced = new ProgressLine(log, {
      label: 'exporting',
      unit: 'patterns',
      total: 50,
      force: true,
    });
    for (let done = 0; done <= 50; done++) forced.update(done);
    forced.finish();
    expect(log.writes).toHaveLength(11);
    expect(log.writes.every((w) => w.endsWith('patterns\n') && !w.includes('\r'))).toBe(true);
  });

  it('counts without a bar until the total is known', () => {
    const log = stream(false);
    const line = new ProgressLine(log, { label: 'exporting', unit: 'patterns', force: true });
    line.update(500);
    line.update(1000, 1000);
    line.finish();
    expect(log.writes).toEqual([
      'exporting 500 patterns\n',
      'exporting [########################] 100% 1000/1000 patterns\n',
    ]);
  });
});
