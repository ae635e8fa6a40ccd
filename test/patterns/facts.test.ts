import { describe, expect, it } from 'vitest';
import { extractFacts, parseDuration } from '../../src/patterns/facts.js';

describe('extractFacts', () => {
  it('reads the Node error code, host and port of a refused connection', () => {
    const facts = extractFacts({ message: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(facts.code).toBe('ECONNREFUSED');
    expect(facts.host).toBe('127.0.0.1');
    expect(facts.port).toBe(6379);
    expect(facts.resource).toBe('redis');
  });

  it('handles an IPv6 loopback address', () => {
    const facts = extractFacts({ message: 'connect ECONNREFUSED ::1:5432' });
    expect(facts.host).toBe('::1');
    expect(facts.port).toBe(5432);
    expect(facts.resource).toBe('postgres');
  });

  it('takes a SQLSTATE from the code field or from the text', () => {
    expect(
      extractFacts({ message: 'sorry, too many clients already', code: '53300' }).sqlstate,
    ).toBe('53300');
    expect(
      extractFacts({ message: 'FATAL: terminating connection (SQLSTATE 57P01)' }).sqlstate,
    ).toBe('57P01');
    expect(extractFacts({ message: 'x', code: 'ECONNRESET' }).sqlstate).toBeUndefined();
  });

  it('finds the HTTP status in SDK, axios and Gemini wordings', () => {
    expect(extractFacts({ message: 'Request failed with status code 503' }).status).toBe(503);
    expect(extractFacts({ message: '429 You exceeded your current quota' }).status).toBe(429);
    // Python's requests (and huggingface_hub over it).
    expect(
      extractFacts({
        message: 'HTTPError: 429 Client Error: Too Many Requests for url: https://x.io',
      }).status,
    ).toBe(429);
    expect(
      extractFacts({
        message:
          'Error fetching from https://x: [429 Too Many Requests] Resource has been exhausted',
      }).status,
    ).toBe(429);
    expect(
      extractFacts({ message: '529 {"type":"error","error":{"type":"overloaded_error"}}' }).status,
    ).toBe(529);
    expect(
      extractFacts({ message: "openai.InternalServerError: Error code: 500 - {'error': {}}" })
        .status,
    ).toBe(500);
    expect(
      extractFacts({ message: 'API Error: 500 Internal server error. Try again' }).status,
    ).toBe(500);
    expect(extractFacts({ message: 'API Error: 529 Overloaded. This is temporary' }).status).toBe(
      529,
    );
    expect(extractFacts({ message: 'Client error: (429) Too Many Requests' }).status).toBe(429);
    expect(extractFacts({ message: '(remote response: 429: Too Many Requests)' }).status).toBe(429);
    expect(extractFacts({ message: 'anything', status: 401 }).status).toBe(401);
    expect(extractFacts({ message: 'read 5000 rows in 200 ms' }).status).toBeUndefined();
    expect(
      extractFacts({ message: "Cannot read properties of undefined (reading 'id') at rows[250]" })
        .status,
    ).toBeUndefined();
  });

  it('names the errno that Python and Rust print as its wording, as Node names it', () => {
    const codes = (message: string) => extractFacts({ message }).codes;
    expect(
      codes(
        "redis.exceptions.ConnectionError: Error reading from h:6379 : (104, 'Connection reset by peer')",
      ),
    ).toEqual(['ECONNRESET']);
    expect(codes('OSError: [Errno 28] No space left on device')).toEqual(['ENOSPC']);
    expect(codes('[Errno -3] Temporary failure in name resolution')).toEqual(['EAI_AGAIN']);
    expect(codes('error: Connection refused (os error 111)')).toEqual(['ECONNREFUSED']);
    // The same words in prose are not an errno.
    expect(codes('the peer said: connection reset by peer, it seems')).toEqual([]);
  });

  it('reads how long to wait from rate-limit texts and headers', () => {
    expect(
      extractFacts({ message: 'Rate limit reached ... Please try again in 20s.' }).retryAfterMs,
    ).toBe(20_000);
    expect(extractFacts({ message: 'Please try again in 1.632s. Visit ...' }).retryAfterMs).toBe(
      1632,
    );
    expect(extractFacts({ message: 'Please try again in 6m0s.' }).retryAfterMs).toBe(360_000);
    expect(extractFacts({ message: 'Please try again in 120ms.' }).retryAfterMs).toBe(120);
    expect(extractFacts({ message: 'Too busy, retry after 30 seconds' }).retryAfterMs).toBe(30_000);
    expect(extractFacts({ message: 'x-ratelimit-reset-requests: 1s' }).retryAfterMs).toBe(1000);
    expect(extractFacts({ message: 'Retry-After: 17' }).retryAfterMs).toBe(17_000);
    expect(extractFacts({ message: '{"retryDelay":"38s"}' }).retryAfterMs).toBe(38_000);
  });

  it('collects provider codes from JSON bodies', () => {
    const facts = extractFacts({
      message: '{"error":{"type":"insufficient_quota","code":"insufficient_quota"}}',
    });
    expect(facts.codes).toContain('insufficient_quota');
    expect(facts.resource).toBe('openai');
  });

  it('ignores envelope words such as {"type": "error"} as codes', () => {
    const facts = extractFacts({
      message: '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    });
    expect(facts.code).toBe('overloaded_error');
  });

  it('takes codes printed in a stack by util.inspect, such as a fetch cause', () => {
    const facts = extractFacts({
      message: 'fetch failed',
      stack: "[cause]: ConnectTimeoutError {\n code: 'UND_ERR_CONNECT_TIMEOUT' }",
    });
    expect(facts.codes).toContain('UND_ERR_CONNECT_TIMEOUT');
  });

  it('reads the error class name from the message prefix', () => {
    expect(extractFacts({ message: 'TokenExpiredError: jwt expired' }).name).toBe(
      'TokenExpiredError',
    );
  });

  it('does not take words that merely look like codes inside paths', () => {
    expect(extractFacts({ message: 'failed to read /srv/ENOENT-notes/EPIPE.txt' }).codes).toEqual(
      [],
    );
  });

  it('attributes hosts of known providers', () => {
    expect(
      extractFacts({ message: 'getaddrinfo ENOTFOUND db.abcdefgh.supabase.co' }).resource,
    ).toBe('supabase');
    expect(extractFacts({ message: 'getaddrinfo EAI_AGAIN api.anthropic.com' }).resource).toBe(
      'anthropic',
    );
    expect(extractFacts({ message: 'getaddrinfo EAI_AGAIN api.anthropic.com' }).host).toBe(
      'api.anthropic.com',
    );
  });
});

describe('parseDuration', () => {
  it('treats a bare number as seconds and sums compound durations', () => {
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('2 minutes')).toBe(120_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});
