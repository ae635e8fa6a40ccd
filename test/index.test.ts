import { describe, expect, it } from 'vitest';
import * as megamind from '../src/index.js';

describe('the package entry point', () => {
  it('exports the error intelligence by name', () => {
    for (const name of [
      'analyzeError',
      'fingerprintError',
      'stuckSignature',
      'redact',
      'classifyError',
      'PatternBook',
      'TemplateTree',
    ]) {
      expect(typeof (megamind as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(megamind.CATEGORIES).toHaveProperty('database_connection');
    expect(megamind.ACTIONS).toHaveProperty('retry_with_backoff');
    expect(megamind.analyzeError({ message: 'deadlock detected', code: '40P01' }).category).toBe(
      'database_query',
    );
  });
});
