import { describe, expect, it } from 'vitest';
import { analyzeError } from '../../src/patterns/analyze-error.js';
import { unknownErrorVerdict } from '../../src/patterns/unknown-error.js';

const verdict = (message: string, extra: { name?: string } = {}) => {
  const analysis = analyzeError({ message, ...extra });
  expect(analysis.ruleId).toBeNull();
  return {
    category: analysis.category,
    transient: analysis.transient,
    first: analysis.remedies[0],
  };
};

describe('errors no rule knows', () => {
  it('puts no retry first for a class that languages raise for a bug', () => {
    for (const message of [
      "KeyError: 'user_id'",
      'Exception in thread "main" java.lang.NullPointerException',
      'System.NullReferenceException: Object reference not set to an instance of an object.',
      'Traceback (most recent call last):\n  File "x.py", line 3\nNameError: name \'foo\' is not defined',
    ])
      expect(verdict(message), message).toEqual({
        category: 'other',
        transient: false,
        first: 'fail_fast',
      });
  });

  it('puts no retry first for wording of invalid input or configuration', () => {
    for (const message of [
      'Invalid configuration: required setting "region" is missing',
      "error: unknown option '--frobnicate'",
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'yaml: line 12: mapping values are not allowed in this context',
    ])
      expect(verdict(message).transient, message).toBe(false);
  });

  it('reads credentials, permissions and memory as standing until someone acts, before any passing wording', () => {
    // "refused", "later" and "reset" would read as passing conditions on their own.
    expect(
      verdict('BrokerConnectionError: ACCESS_REFUSED - the login was refused for this account'),
    ).toEqual({ category: 'auth', transient: false, first: 'escalate' });
    expect(
      verdict('upload failed: user svc-build does not have permission storage.objects.create'),
    ).toEqual({ category: 'auth', transient: false, first: 'escalate' });
    expect(verdict('sync aborted: upload credentials expired, try again later')).toEqual({
      category: 'auth',
      transient: true,
      first: 'refresh_credentials',
    });
    expect(verdict("mkdir '/var/cache/app': EACCES, connection reset")).toEqual({
      category: 'other',
      transient: false,
      first: 'escalate',
    });
    // (A JVM's own heap errors have a rule now; this wording has none.)
    expect(verdict('worker 3: the tile resampler ran out of memory, retrying')).toEqual({
      category: 'resource',
      transient: false,
      first: 'increase_memory',
    });
  });

  it('reads gRPC status names like the words they stand for', () => {
    expect(
      verdict('span export failed: DEADLINE_EXCEEDED while waiting for the collector'),
    ).toEqual({
      category: 'timeout',
      transient: true,
      first: 'retry_with_backoff',
    });
    expect(verdict('3 INVALID_ARGUMENT: field "dimensions" has 4 entries, want 3').transient).toBe(
      false,
    );
  });

  it('reads the statement inside a provider JSON body, which the template masks whole', () => {
    expect(
      verdict(
        "gspread.exceptions.APIError: {'code': 403, 'message': 'The caller does not have permission', 'status': 'PERMISSION_DENIED'}",
      ),
    ).toEqual({ category: 'auth', transient: false, first: 'escalate' });
  });

  it('lets the words around a file-permission error name its domain', () => {
    expect(
      verdict(
        "npm ERR! Error: EPERM: operation not permitted, rename 'C:\\Users\\dev\\app\\node_modules\\.staging\\lodash-1f2e'",
      ).category,
    ).toBe('build');
  });

  it('reads a task past its time limit as a timeout to raise, not as a rate limit', () => {
    for (const message of [
      'worker 4: step render-report hit its time limit (120s) and was stopped',
      'sandbox: execution time limit exceeded for submission 81f2',
    ])
      expect(verdict(message), message).toEqual({
        category: 'timeout',
        transient: false,
        first: 'increase_timeout',
      });
  });

  it("gives a passing condition the database category when the words are a database client's", () => {
    expect(
      verdict(
        'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection reset while executing the query',
      ),
    ).toMatchObject({ category: 'database_connection', transient: true });
    expect(verdict('upload to the CDN edge failed: connection reset').category).toBe('network');
  });

  it('takes the category from the words around the cue when they surely name a domain', () => {
    // "cancelled" and "reset" are passing conditions; the table and the GPU say where.
    expect(verdict('the SQL statement against table orders was cancelled')).toEqual({
      category: 'database_query',
      transient: true,
      first: 'retry_with_backoff',
    });
    expect(verdict('the CUDA kernel ran too long on the GPU and its GPU memory was reset')).toEqual(
      { category: 'resource', transient: true, first: 'reconnect' },
    );
    // Words that point nowhere in particular leave the cue's category.
    expect(
      verdict('docker image push to the registry was interrupted, try again later').category,
    ).toBe('api_failure');
  });

  it('lets the wording of a passing condition outweigh every permanent cue', () => {
    expect(verdict('ValidationError: upstream busy, try again later')).toEqual({
      category: 'api_failure',
      transient: true,
      first: 'retry_with_backoff',
    });
    expect(verdict('invalid state: connection to the broker was lost')).toEqual({
      category: 'network',
      transient: true,
      first: 'reconnect',
    });
    expect(verdict('ingest refused: requests are being throttled, slow down')).toMatchObject({
      category: 'rate_limit',
      first: 'wait_for_rate_limit',
    });
  });

  it('waits out an error that says when to try again', () => {
    for (const message of [
      'You have exceeded your quota; please retry in 45.77s',
      'Request was throttled. Expected available in 12 seconds.',
    ])
      expect(verdict(message), message).toEqual({
        category: 'rate_limit',
        transient: true,
        first: 'wait_for_rate_limit',
      });
    expect(
      analyzeError({ message: 'Please wait 30 seconds before retrying.' }).facts,
    ).toMatchObject({ retryAfterMs: 30_000 });
  });

  it('names a database condition by the database it came from', () => {
    expect(
      unknownErrorVerdict('the server closed the connection', { resource: 'postgres' }),
    ).toMatchObject({
      category: 'database_connection',
      transient: true,
      remedies: ['reconnect', 'retry_with_backoff'],
    });
  });

  it('does not read a word inside a quoted value, and says nothing without a cue', () => {
    expect(verdict('job "invalid-users-report" stopped at step 3')).toEqual({
      category: 'other',
      transient: true,
      first: 'retry_with_backoff',
    });
    expect(unknownErrorVerdict('the frobnicator would not frob')).toBeNull();
  });
});
