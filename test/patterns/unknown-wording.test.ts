import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { remedyFamily, type RemedyFamily } from '../../src/knowledge/actions.js';
import { analyzeError } from '../../src/patterns/analyze-error.js';

/**
 * Real errors that no built-in rule knew when they were collected (from public issue threads,
 * each labelled by what its thread says fixed it, and collected apart from the wording cues they
 * test). Before the cues an unknown error was always "transient, retry first": right for half.
 */
interface Labelled {
  url: string;
  message: string;
  transient: boolean;
  family: RemedyFamily;
  category: string;
}

const ERRORS = JSON.parse(
  readFileSync(new URL('../fixtures/real-errors/unknown-wording.json', import.meta.url), 'utf8'),
) as Labelled[];

// A little below what the cues measure (docs/BENCHMARKS.md); the first, blind pass gave 0.856 / 0.556.
const FLOORS = { transient: 0.9, family: 0.6, category: 0.5 };

describe('errors no rule knew, from public issue threads', () => {
  const verdicts = ERRORS.map((error) => ({
    error,
    analysis: analyzeError({ message: error.message }),
  }));

  it('are cited and cover both kinds', () => {
    expect(ERRORS.length).toBeGreaterThanOrEqual(80);
    for (const { url } of ERRORS)
      expect(url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:issues|pull)\/\d+/);
    expect(ERRORS.filter((e) => e.transient).length).toBeGreaterThanOrEqual(40);
    expect(ERRORS.filter((e) => !e.transient).length).toBeGreaterThanOrEqual(40);
  });

  it('keep transient, remedy family and category above their floors', () => {
    const share = (hit: (v: (typeof verdicts)[number]) => boolean) =>
      verdicts.filter(hit).length / verdicts.length;
    expect(
      share(({ error, analysis }) => analysis.transient === error.transient),
    ).toBeGreaterThanOrEqual(FLOORS.transient);
    expect(
      share(({ error, analysis }) => remedyFamily(analysis.remedies[0]!) === error.family),
    ).toBeGreaterThanOrEqual(FLOORS.family);
    expect(
      share(({ error, analysis }) => analysis.category === error.category),
    ).toBeGreaterThanOrEqual(FLOORS.category);
  });

  it('never fails a transient error for good: a retry costs one attempt, failing it loses the job', () => {
    const lost = verdicts.filter(({ error, analysis }) => error.transient && !analysis.transient);
    expect(lost.map(({ error }) => error.message)).toEqual([]);
  });
});
