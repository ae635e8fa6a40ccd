/** How the dashboard calls the API in-process, e.g. `(path, init) => apiApp.request(path, init)`. */
export type ApiFetch = (path: string, init: RequestInit) => Response | Promise<Response>;

/** One read: the JSON, or why there is none (501 = that part of the server is not built or not running). */
export type Read<T> =
  { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

/** The cookie that carries the browser's API key to the dashboard's own pages. */
export const KEY_COOKIE = 'megamind_key';

/**
 * Reads the API's JSON on behalf of one browser request, presenting that request's key, so the
 * API's authentication, redaction and "not available yet" answers apply to the pages too.
 */
export class ApiReader {
  readonly #fetch: ApiFetch;
  readonly #key: string | undefined;
  /** True once the API refused this request's key (or its lack of one): the page asks for a key. */
  unauthorized = false;

  constructor(fetch: ApiFetch, key: string | undefined) {
    this.#fetch = fetch;
    this.#key = key;
  }

  /** GETs `path` (with its query) and parses the JSON answer. */
  async get<T>(path: string): Promise<Read<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#key) headers.authorization = `Bearer ${this.#key}`;
    let response: Response;
    try {
      response = await this.#fetch(path, { method: 'GET', headers });
    } catch (error) {
      return {
        ok: false,
        status: 500,
        code: 'ERR_DASHBOARD_READ',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (response.ok && body !== undefined) return { ok: true, data: body as T };
    if (response.status === 401) this.unauthorized = true;
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return {
      ok: false,
      status: response.status,
      code: typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
      message:
        typeof error?.message === 'string' ? error.message : `the API answered ${response.status}`,
    };
  }
}

/** Reads the API key from a Cookie header, if the browser sent one. */
export function keyFromCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === KEY_COOKIE && rest.length > 0) {
      const value = decodeURIComponent(rest.join('='));
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
