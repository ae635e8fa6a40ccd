import type { Resource } from '../knowledge/resources.js';
import type { ErrorInput } from './fingerprint.js';

/** Structured facts read off an error, whether they came as fields or only inside its text. */
export interface ErrorFacts {
  /** Every machine code found, the error's own `code` and `type` first. */
  codes: string[];
  /** The first of {@link ErrorFacts.codes}. */
  code?: string;
  /** Error class name: the `name` field, or the `Xxx:` prefix of the message or stack. */
  name?: string;
  /** PostgreSQL SQLSTATE (five characters, e.g. `53300`, `57P01`). */
  sqlstate?: string;
  /** HTTP status of the failed response. */
  status?: number;
  /** How long the upstream asked us to wait, from Retry-After or a rate-limit reset. */
  retryAfterMs?: number;
  host?: string;
  port?: number;
  /** The service the error most likely came from. */
  resource?: Resource;
}

const NODE_CODES =
  'ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EAI_FAIL|EPIPE|EHOSTUNREACH|' +
  'ENETUNREACH|EADDRINUSE|EACCES|EPERM|ENOSPC|EMFILE|ENFILE|ENOMEM|ENOENT|EPROTO|' +
  'ERESOLVE|EINTEGRITY|ETARGET|EUSAGE|ELIFECYCLE|E404|E401|E403|EMAXCONNSESSION';
const TLS_CODES =
  'CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|' +
  'SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|ERR_TLS_CERT_ALTNAME_INVALID';
const OTHER_CODES =
  'UND_ERR_[A-Z_]+|ERR_[A-Z0-9_]+|ER_[A-Z_]+|TS\\d{4,5}|P[1-6]\\d{3}|YN\\d{4}|MODULE_NOT_FOUND|' +
  'PROTOCOL_CONNECTION_LOST|RESOURCE_EXHAUSTED|API_KEY_INVALID|DEADLINE_EXCEEDED|' +
  'FUNCTION_INVOCATION_[A-Z_]+|EDGE_FUNCTION_INVOCATION_[A-Z_]+|BUILD_EXCEEDED_MAXIMUM_TIME|' +
  'CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|PGRST\\d{3}';
// Word boundaries on both sides so paths and identifiers that merely contain a code don't count.
const CODE_IN_TEXT = new RegExp(
  `(?<![\\w/.-])(${NODE_CODES}|${TLS_CODES}|${OTHER_CODES})(?![\\w-])`,
  'g',
);
// Provider JSON bodies: {"code": "insufficient_quota"}, {'type': 'overloaded_error'}, "reason": "API_KEY_INVALID".
const CODE_IN_JSON =
  /["']?\b(?:code|type|status|reason)["']?\s*[:=]\s*["']([A-Za-z][A-Za-z0-9_]{2,})["']/g;
// Envelope words such as Anthropic's {"type": "error"} name no failure.
const GENERIC_JSON_VALUES = new Set(['error', 'object', 'list', 'null', 'true', 'false']);
// SQLSTATE classes start with a digit, except a few lettered ones (HV, XX, F0, P0).
const SQLSTATE = /^(?:[0-9][0-9A-Z]|HV|XX|F0|P0)[0-9A-Z]{3}$/;
const SQLSTATE_IN_TEXT =
  /(?:SQLSTATE\s*[[(:]?\s*|\bcode:?\s*['"]?)((?:[0-9][0-9A-Z]|HV|XX|F0|P0)[0-9A-Z]{3})\b/;
// Generic "Name: message" prefixes; JS error classes end in Error or Exception by convention.
const NAME_PREFIX =
  /^\s*(?:Uncaught\s+)?([A-Z][A-Za-z0-9_]*(?:Error|Exception))\b(?:\s*\[[^\]]*\])?:/;

const STATUS_PATTERNS: readonly RegExp[] = [
  /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i,
  /\bHTTP(?:\/\d(?:\.\d)?)?\s+(\d{3})\b/i,
  /\[(\d{3})(?:\s+[A-Z][A-Za-z ]*)?\]/,
  // A status followed by its reason phrase (RFC 9110 and the older names proxies still print).
  /\b(\d{3})\s+(?:Too Many Requests|Service Unavailable|Bad Gateway|Gateway Timeout|Internal Server Error|Unauthorized|Forbidden|Not Found|Bad Request|Payload Too Large|Request Entity Too Large|Content Too Large|Request Timeout|Conflict|Unprocessable (?:Entity|Content)|Method Not Allowed|Not Acceptable|Gone|Precondition Failed|URI Too Long|Request-URI Too Large|Unsupported Media Type|Not Implemented|Insufficient Storage|Proxy Authentication Required|Length Required|Request Header Fields Too Large|Payment Required)\b/,
  /^(?:[A-Za-z]*Error:\s*)?(\d{3})\b(?:\s+[{"A-Za-z]|:)/,
  /"code"\s*:\s*(\d{3})\b/,
];

// Longest units first; "6m0s" has no word boundary between its parts, so a letter look-ahead ends a unit.
const UNIT = '(?:milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)(?![a-z])';
const DURATION_TEXT = `(\\d+(?:\\.\\d+)?\\s*${UNIT}(?:\\s*\\d+(?:\\.\\d+)?\\s*${UNIT})*)`;
const RETRY_PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:try again|retry)\\s+(?:in|after)\\s+${DURATION_TEXT}`, 'i'),
  new RegExp(`x-ratelimit-reset(?:-requests|-tokens)?["']?\\s*[:=]\\s*["']?${DURATION_TEXT}`, 'i'),
  /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?s)"/,
  /retry[-_]after["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)\b/i,
  // "Please wait 30 seconds before retrying", "Expected available in 12 seconds"
  new RegExp(`\\bwait\\s+${DURATION_TEXT}\\s+(?:before|and)\\b`, 'i'),
  new RegExp(`\\bavailable\\s+(?:again\\s+)?in\\s+${DURATION_TEXT}`, 'i'),
];

const HOST_PATTERNS: readonly RegExp[] = [
  /\b(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\s+(\S+):(\d{1,5})(?![\d:])/,
  /attempted address:?\s+(\S+):(\d{1,5})\b/,
  /\bat `([^`]+)`:`(\d{1,5})`/,
  /\b(?:ENOTFOUND|EAI_AGAIN|EAI_FAIL)\s+([\w.-]+)/,
  // Scheme length bounded: an unbounded run backtracks quadratically on long hyphenated text.
  /\b[a-z][a-z0-9+.-]{0,30}:\/\/(?:[^@\s/]+@)?(\[[0-9a-fA-F:]+\]|[\w.-]+)(?::(\d{1,5}))?/i,
];

const RESOURCE_TEXT: readonly (readonly [Resource, RegExp])[] = [
  ['bullmq', /bullmq|job stalled more than allowable limit|Missing lock for job/i],
  ['supabase', /supabase|supavisor|EMAXCONNSESSION|Tenant or user not found|PGRST\d{3}/i],
  ['prisma', /prisma|\bP[1-6]\d{3}\b/i],
  [
    'openai',
    /openai|\bgpt-[0-9a-z]|insufficient_quota|context_length_exceeded|\borg-[A-Za-z0-9]{8,}/i,
  ],
  ['anthropic', /anthropic|claude|overloaded_error|credit balance is too low/i],
  ['gemini', /gemini|generativelanguage|GoogleGenerativeAI|RESOURCE_EXHAUSTED|API_KEY_INVALID/i],
  [
    'redis',
    /redis|READONLY You can't write|MaxRetriesPerRequest|NOAUTH|WRONGPASS|OOM command not allowed/i,
  ],
  ['mysql', /mysql|mariadb|\bER_[A-Z_]+|PROTOCOL_CONNECTION_LOST|pymysql|MySQLdb/i],
  [
    'postgres',
    // The server's own wording, then its clients in other languages: psycopg, asyncpg, Ruby's
    // PG::, JDBC's PSQLException, Npgsql, libpq.
    /postgres|\bpg[-_]|pg_hba|too many clients already|remaining connection slots|terminating connection due to administrator|Connection terminated|\bSQLSTATE\b|psycopg|asyncpg|\bPG::|PSQLException|Npgsql|libpq/i,
  ],
  [
    'npm',
    /\bnpm (?:ERR!|error)|registry\.npmjs\.org|ERR_PNPM|\bpnpm\b|\byarn\b|\bYN\d{4}\b|ERESOLVE|EINTEGRITY|ETARGET/i,
  ],
  ['docker', /docker|failed to solve|pull access denied|toomanyrequests/i],
  [
    'k8s',
    /kubernetes|kubectl|\bpods?\b|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|exceeded quota:/i,
  ],
  ['vercel', /vercel|FUNCTION_INVOCATION_|BUILD_EXCEEDED_MAXIMUM_TIME/i],
  ['netlify', /netlify/i],
];
const RESOURCE_PORTS: Readonly<Record<number, Resource>> = {
  5432: 'postgres',
  6543: 'supabase',
  3306: 'mysql',
  6379: 'redis',
};
const RESOURCE_HOSTS: readonly (readonly [Resource, RegExp])[] = [
  ['openai', /(?:^|\.)openai\.com$/],
  ['anthropic', /(?:^|\.)anthropic\.com$/],
  ['gemini', /^generativelanguage\.googleapis\.com$/],
  ['supabase', /\.supabase\.(?:co|com)$/],
  ['npm', /^registry\.(?:npmjs\.org|yarnpkg\.com)$/],
  ['docker', /(?:^|\.)docker\.io$/],
];

/** A class name without its package or namespace: `java.lang.NullPointerException` → `NullPointerException`. */
export function bareClassName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Reads the structured facts out of an error: codes, SQLSTATE, HTTP status, how long to wait,
 * host and port, and the resource. Fields given on the input win over what the text suggests,
 * because messages are free text and may quote other errors.
 */
export function extractFacts(input: ErrorInput): ErrorFacts {
  const message = input.message ?? '';
  const stack = input.stack ?? '';
  const codes = collectCodes(input, message, stack);
  const facts: ErrorFacts = { codes };
  if (codes[0] !== undefined) facts.code = codes[0];

  const name = input.name ?? NAME_PREFIX.exec(message)?.[1] ?? NAME_PREFIX.exec(stack)?.[1];
  if (name !== undefined) facts.name = name;

  const sqlstate = findSqlstate(input, message);
  if (sqlstate !== undefined) facts.sqlstate = sqlstate;

  const status = validStatus(input.status) ?? findStatus(message);
  if (status !== undefined) facts.status = status;

  const retryAfterMs = findRetryAfter(message);
  if (retryAfterMs !== undefined) facts.retryAfterMs = retryAfterMs;

  const address = findAddress(message);
  if (address.host !== undefined) facts.host = address.host;
  if (address.port !== undefined) facts.port = address.port;

  const resource = findResource(`${name ?? ''} ${codes.join(' ')} ${message}\n${stack}`, address);
  if (resource !== undefined) facts.resource = resource;
  return facts;
}

function collectCodes(input: ErrorInput, message: string, stack: string): string[] {
  const codes = new Set<string>();
  if (input.code !== undefined && input.code !== '') codes.add(String(input.code));
  if (input.type !== undefined && input.type !== '') codes.add(input.type);
  for (const match of message.matchAll(CODE_IN_JSON))
    if (!GENERIC_JSON_VALUES.has(match[1]!)) codes.add(match[1]!);
  for (const match of message.matchAll(CODE_IN_TEXT)) codes.add(match[1]!);
  // Stacks printed by util.inspect carry the cause's code ("[cause]: ... code: 'UND_ERR_...'").
  for (const match of stack.matchAll(CODE_IN_TEXT)) codes.add(match[1]!);
  return [...codes];
}

function findSqlstate(input: ErrorInput, message: string): string | undefined {
  if (typeof input.code === 'string' && SQLSTATE.test(input.code)) return input.code;
  return SQLSTATE_IN_TEXT.exec(message)?.[1];
}

function validStatus(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}

function findStatus(message: string): number | undefined {
  for (const pattern of STATUS_PATTERNS) {
    const status = validStatus(Number(pattern.exec(message)?.[1]));
    // Only error statuses are read from free text: "[250]" or "200 rows" are not HTTP answers.
    if (status !== undefined && status >= 400) return status;
  }
  return undefined;
}

function findRetryAfter(message: string): number | undefined {
  for (const pattern of RETRY_PATTERNS) {
    const text = pattern.exec(message)?.[1];
    if (text === undefined) continue;
    const ms = parseDuration(text);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses durations as APIs write them: `20s`, `1.5s`, `6m0s`, `350ms`, `30 seconds`,
 * `2 minutes`. A bare number is seconds, as in a Retry-After header.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  let total = 0;
  let found = false;
  for (const match of trimmed.matchAll(new RegExp(`(\\d+(?:\\.\\d+)?)\\s*(${UNIT})`, 'gi'))) {
    const unit = match[2]!.toLowerCase();
    const key = unit.startsWith('ms') || unit.startsWith('milli') ? 'ms' : unit[0]!;
    total += Number(match[1]) * UNIT_MS[key]!;
    found = true;
  }
  return found ? Math.round(total) : undefined;
}

function findAddress(message: string): { host?: string; port?: number } {
  for (const pattern of HOST_PATTERNS) {
    const match = pattern.exec(message);
    if (match === null) continue;
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = match[2] === undefined ? undefined : Number(match[2]);
    return port === undefined ? { host } : { host, port };
  }
  return {};
}

function findResource(
  text: string,
  address: { host?: string; port?: number },
): Resource | undefined {
  for (const [resource, pattern] of RESOURCE_TEXT) if (pattern.test(text)) return resource;
  if (address.host !== undefined) {
    for (const [resource, pattern] of RESOURCE_HOSTS)
      if (pattern.test(address.host)) return resource;
  }
  return address.port === undefined ? undefined : RESOURCE_PORTS[address.port];
}
