import { describe, expect, it } from 'vitest';
import { publicJson } from '../../src/api/public-json.js';

describe('publicJson', () => {
  it('redacts strings and secret-named values, drops lease tokens, and keeps pattern keys', () => {
    const shown = publicJson({
      leaseToken: 7,
      signature: 'rule:network.econnrefused@postgres',
      payload: {
        signature: 'a3f9c2e1d4b5a6f7',
        password: 1234,
        apiKey: 'k',
        nested: [{ token: true, note: 'mail ops@example.com' }],
      },
      message: 'Bearer abcdefghijklmnop failed',
      at: new Date(Date.UTC(2026, 0, 1)),
      nothing: undefined,
      infinite: Number.POSITIVE_INFINITY,
    });
    expect(shown).toEqual({
      signature: 'rule:network.econnrefused@postgres',
      payload: {
        signature: '[REDACTED:secret]',
        password: '[REDACTED:secret]',
        apiKey: '[REDACTED:secret]',
        nested: [{ token: '[REDACTED:secret]', note: 'mail [REDACTED:email]' }],
      },
      message: 'Bearer [REDACTED:bearer_token] failed',
      at: '2026-01-01T00:00:00.000Z',
      infinite: null,
    });
  });
});
