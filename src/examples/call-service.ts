import { request as httpRequest } from 'node:http';

/** One call to a demo service. */
export interface ServiceCall {
  /** Name of the resource, used in error messages: `model-api`, `postgres`, `registry`. */
  resource: string;
  method: 'POST' | 'PUT';
  url: string;
  body: unknown;
  /** The job's signal: the call stops when the attempt is aborted. */
  signal: AbortSignal;
  /** Gives up after this long with a TimeoutError, like `AbortSignal.timeout()`. */
  timeoutMs?: number;
}

const STATUS_TEXT: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Calls a service over HTTP and parses its JSON answer. Errors read like a real client's: a
 * non-2xx answer becomes "<resource> answered 429 Too Many Requests: … (retry-after: 2)", a
 * dropped connection keeps Node's ECONNRESET, a cut-off body throws JSON.parse's SyntaxError,
 * and a timeout throws the TimeoutError of `AbortSignal.timeout()`.
 */
export async function callService(call: ServiceCall): Promise<Record<string, unknown>> {
  const timeout = call.timeoutMs === undefined ? undefined : AbortSignal.timeout(call.timeoutMs);
  const signal = timeout ? AbortSignal.any([call.signal, timeout]) : call.signal;
  const payload = JSON.stringify(call.body);
  const { status, headers, text } = await new Promise<{
    status: number;
    headers: Record<string, unknown>;
    text: string;
  }>((resolve, reject) => {
    const req = httpRequest(
      call.url,
      { method: call.method, headers: { 'content-type': 'application/json' }, signal },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      // An aborted request reports a generic AbortError; say why it was aborted instead.
      if (call.signal.aborted) reject(call.signal.reason);
      else if (timeout?.aborted) reject(timeout.reason);
      else reject(error);
    });
    req.end(payload);
  });
  if (status >= 200 && status < 300) return JSON.parse(text) as Record<string, unknown>;
  const retryAfter =
    headers['retry-after'] === undefined ? '' : ` (retry-after: ${String(headers['retry-after'])})`;
  const detail = describeErrorBody(text);
  throw new Error(
    `${call.resource} answered ${status} ${STATUS_TEXT[status] ?? ''}: ${detail}${retryAfter}`.replace(
      / {2}/g,
      ' ',
    ),
  );
}

function describeErrorBody(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error === 'object' && 'message' in body.error)
      return String(body.error.message);
  } catch {
    // not JSON: show it as it came
  }
  return text.slice(0, 200);
}
