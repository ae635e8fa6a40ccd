import { describe, expect, it } from 'vitest';
import {
  compareToTemplate,
  coversTemplate,
  differInWords,
  generaliseTemplate,
} from '../../src/patterns/template-compare.js';

const split = (s: string): string[] => s.split(' ');

describe('compareToTemplate', () => {
  it('counts same and differing constant tokens, skipping wildcards', () => {
    expect(
      compareToTemplate(split('open <*> for a.b done'), split('open x for c.d done'), 0.4),
    ).toEqual({ same: 3, diff: 1 });
  });

  it('refuses a message that differs in a word', () => {
    expect(
      compareToTemplate(
        split('Starting installer initialization.'),
        split('Starting installer finalization.'),
        0.9,
      ),
    ).toBeUndefined();
  });

  it('refuses a message that differs in too many values', () => {
    expect(
      compareToTemplate(split('a.b c.d e.f end'), split('x.y z.w e.f end'), 0.4),
    ).toBeUndefined();
  });
});

describe('differInWords', () => {
  it('tells words from values', () => {
    expect(differInWords('begin', 'end')).toBe(true);
    expect(differInWords('report.pdf', 'invoice.xlsx')).toBe(false);
    expect(differInWords('lock=<*>,', 'flags=<*>,')).toBe(true);
    expect(differInWords('ws=<*>,', 'ws=<*>},')).toBe(false);
    expect(differInWords('<*>:<*>', '<*>')).toBe(false);
  });
});

describe('generaliseTemplate and coversTemplate', () => {
  it('turns disagreeing positions into wildcards, after which the template covers both', () => {
    const template = split('sync a.x b.x done');
    expect(generaliseTemplate(template, split('sync c.y b.x done'))).toBe(true);
    expect(template).toEqual(split('sync <*> b.x done'));
    expect(coversTemplate(template, split('sync q.q b.x done'))).toBe(true);
    expect(coversTemplate(template, split('sync q.q b.y done'))).toBe(false);
  });
});
