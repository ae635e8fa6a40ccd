import { describe, expect, it } from 'vitest';
import { ACTION_IDS, ACTIONS } from '../../src/knowledge/actions.js';
import { REMEDIES } from '../../src/heal/actions/remedies.js';
import { nextKnobValue } from '../../src/heal/actions/knob-remedy.js';
import type { RemedyServices } from '../../src/heal/remedy-services.js';
import type { JobTypeView } from '../../src/heal/job-type-view.js';

// Applicability reads registrations only; nothing here is called.
const services = {
  resetHook: () => undefined,
  fixerFor: () => undefined,
  breakers: { tripped: () => false, threshold: 10 },
} as unknown as RemedyServices;

const bare: JobTypeView = { type: 'bare', knobs: {}, resources: [], maxAttempts: 3 };

describe('the remedies of the catalogue', () => {
  it('has one module per catalogue action, under its own id, with a parameter schema', () => {
    expect(Object.keys(REMEDIES).sort()).toEqual([...ACTION_IDS].sort());
    for (const id of ACTION_IDS) {
      expect(REMEDIES[id].id).toBe(id);
      expect(REMEDIES[id].params.safeParse({ surely: 'not a parameter' }).success, id).toBe(
        id === 'clear_cache' ||
          id === 'free_disk_space' ||
          id === 'refresh_credentials' ||
          id === 'rollback_deployment',
      );
    }
  });

  it('makes a knob remedy applicable only when the job type declares the knobs it changes, naming what to declare', () => {
    for (const id of ACTION_IDS.filter(
      (action) => ACTIONS[action].knobs.length > 0 && action !== 'reset_connection_pool',
    )) {
      const verdict = REMEDIES[id].applicable({ jobType: bare, services });
      expect(verdict.ok, id).toBe(false);
      if (!verdict.ok) expect(verdict.needs).toContain(`"${ACTIONS[id].knobs[0]}"`);
    }
    for (const id of [
      'clear_cache',
      'free_disk_space',
      'refresh_credentials',
      'rollback_deployment',
      'reconnect',
      'reset_connection_pool',
    ] as const) {
      expect(REMEDIES[id].applicable({ jobType: bare, services }).ok, id).toBe(false);
    }
    for (const id of [
      'retry',
      'retry_with_backoff',
      'wait_for_rate_limit',
      'restart_job',
      'fail_fast',
      'escalate',
    ] as const) {
      expect(REMEDIES[id].applicable({ jobType: bare, services }).ok, id).toBe(true);
    }
  });

  it('moves knobs only within their declared bounds, and not at all at a bound', () => {
    const timeout = { kind: 'number' as const, default: 1000, min: 500, max: 3000, integer: true };
    expect(nextKnobValue(timeout, 1000, { factor: 2 }, 'up')).toBe(2000);
    expect(nextKnobValue(timeout, 2000, { factor: 4 }, 'up')).toBe(3000);
    expect(nextKnobValue(timeout, 3000, { factor: 2 }, 'up')).toBeUndefined();
    expect(nextKnobValue(timeout, 1000, { factor: 0.5 }, 'up')).toBeUndefined();
    const batch = { kind: 'number' as const, default: 50, min: 1, max: 100, integer: true };
    expect(nextKnobValue(batch, 3, { factor: 0.5 }, 'down')).toBe(1);
    expect(nextKnobValue(batch, 1, { factor: 0.5 }, 'down')).toBeUndefined();
    // A learned setting: set directly, only within the bounds and in the remedy's direction.
    expect(nextKnobValue(batch, 50, { to: 6 }, 'down')).toBe(6);
    expect(nextKnobValue(batch, 6, { to: 6 }, 'down')).toBeUndefined();
    expect(nextKnobValue(batch, 4, { to: 6 }, 'down')).toBeUndefined();
    expect(nextKnobValue(batch, 50, { to: 0 }, 'down')).toBeUndefined();
    expect(nextKnobValue(batch, 50, { to: 6.5 }, 'down')).toBeUndefined();
    expect(nextKnobValue(timeout, 1000, { to: 2500 }, 'up')).toBe(2500);
    expect(nextKnobValue(timeout, 1000, { to: 9000 }, 'up')).toBeUndefined();
    const model = { kind: 'choice' as const, default: 'small', options: ['small', 'large'] };
    expect(nextKnobValue(model, 'small', {}, 'up')).toBe('large');
    expect(nextKnobValue(model, 'small', { value: 'huge' }, 'up')).toBeUndefined();
    expect(nextKnobValue({ kind: 'flag', default: false }, false, {}, 'up')).toBe(true);
  });
});
