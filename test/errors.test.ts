import { describe, expect, it } from 'vitest';
import {
  coerceError,
  DelayJobError,
  isDelayJobError,
  isNonRetryableError,
  isOrchestratorError,
  NonRetryableError,
  OrchestratorError,
} from '../src/core/errors.js';

describe('errors', () => {
  it('carries a stable code and the HTTP status registered for it', () => {
    const error = new OrchestratorError('ERR_UNKNOWN_JOB_TYPE', 'no job type "x"');
    expect(error.code).toBe('ERR_UNKNOWN_JOB_TYPE');
    expect(error.status).toBe(400);
    expect(isOrchestratorError(error)).toBe(true);
    expect(isOrchestratorError(new Error('plain'))).toBe(false);
  });

  it('recognises control errors by brand, not by class identity', () => {
    expect(isNonRetryableError(new NonRetryableError('bad input'))).toBe(true);
    const delay = new DelayJobError(500);
    expect(isDelayJobError(delay)).toBe(true);
    expect(delay.delayMs).toBe(500);
    expect(isDelayJobError(new Error('x'))).toBe(false);
  });

  it('turns any thrown value into an Error once', () => {
    expect(coerceError('boom').message).toBe('boom');
    expect(coerceError({ a: 1 }).message).toBe('{"a":1}');
    const original = new TypeError('t');
    expect(coerceError(original)).toBe(original);
  });
});
