import { describe, expect, it } from 'vitest';
import { ACTION_IDS, ACTIONS, isActionId } from '../../src/knowledge/actions.js';
import { CATEGORIES, CATEGORY_IDS, isCategory } from '../../src/knowledge/categories.js';

describe('action catalogue', () => {
  it('describes every action in one line and names the knobs it changes', () => {
    expect(ACTION_IDS.length).toBeGreaterThanOrEqual(20);
    for (const id of ACTION_IDS) {
      const action = ACTIONS[id];
      expect(action.description, id).toMatch(/^[A-Z].*\.$/);
      expect(action.description.includes('\n'), id).toBe(false);
      expect(Array.isArray(action.knobs), id).toBe(true);
    }
  });

  it('marks only escalation as needing a human', () => {
    expect(ACTION_IDS.filter((id) => !ACTIONS[id].automatic)).toEqual(['escalate']);
  });

  it('recognises action ids and rejects anything else, including inherited names', () => {
    expect(isActionId('wait_for_rate_limit')).toBe(true);
    expect(isActionId('rm_rf')).toBe(false);
    expect(isActionId('toString')).toBe(false);
    expect(isActionId(42)).toBe(false);
  });
});

describe('categories', () => {
  it('keeps the seed categories and adds the ones whose fixes differ', () => {
    for (const id of [
      'orchestrator_stuck',
      'orchestrator_failed',
      'orchestrator_slow',
      'database_connection',
      'api_failure',
      'rate_limit',
      'code_generation',
      'deployment',
      'build',
    ]) {
      expect(isCategory(id), id).toBe(true);
    }
    for (const id of ['network', 'timeout', 'auth', 'resource', 'quota_exhausted', 'other'])
      expect(isCategory(id), id).toBe(true);
    expect(CATEGORY_IDS).toHaveLength(Object.keys(CATEGORIES).length);
    expect(isCategory('constructor')).toBe(false);
  });
});
