/**
 * Masking: the first, deterministic step of turning a message into a template. Every part of a
 * message that is obviously a value — a number, an id, an address, a path, a quoted string, a
 * size — is replaced by a typed placeholder such as `<num>` or `<ip>`. Whatever masking misses is
 * left to {@link TemplateTree}, which finds the positions that vary across messages.
 *
 * The rules are generic: they look at the shape of a token (digits, dots, slashes, quotes), never
 * at the vocabulary of one log source.
 */

/** Placeholder kinds {@link maskTokens} emits, plus `*` for a position mined as variable. */
export const PLACEHOLDERS = [
  '*',
  'num',
  'hex',
  'uuid',
  'ip',
  'host',
  'path',
  'url',
  'email',
  'str',
  'ts',
  'duration',
  'size',
  'id',
] as const;

/** One placeholder kind; see {@link PLACEHOLDERS}. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Matches any placeholder in a masked token. */
export const PLACEHOLDER_RE = new RegExp(`<(?:${PLACEHOLDERS.map((p) => p.replace('*', '\\*')).join('|')})>`, 'g');

/** A token made only of placeholders and punctuation: a pure value, safe to merge with its neighbours. */
const VALUE_ONLY_RE = /^(?:[^\p{L}\p{N}<]*<[a-z*]+>)+[^\p{L}\p{N}<]*$/u;

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// Dates and times in the usual spellings: 2026-01-31T10:00:00.123Z, 2016/9/27:20:30:31.455, 17:41:44,747.
const TS_RE =
  /\b\d{2,4}[-/]\d{1,2}[-/]\d{1,4}(?:[T :_-]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;
const IP_RE = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])|(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
// A dotted name ending in a lowercase label, followed by a port: api.example.com:443.
const HOST_PORT_RE = /(?<![\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+:\d{1,5}\b/gi;
// A dotted name of three or more labels ending in a short lowercase label: db.eu-1.example.com.
const HOST_RE = /(?<![\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,6}(?![\w.-])/g;
const PATH_RE = /(?<![\w.:/\\-])(?:[a-z]:\\|\\\\|~?\.{0,2}\/)[^\s"'<>:,;()[\]{}]*[/\\][^\s"'<>:,;()[\]{}]*/gi;
// A number with a unit of duration or size: 30 s, 150ms, 1.2 GB, 12789 bytes (12.4 KB).
const DURATION_RE = /\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b/gi;
const SIZE_RE = /\b\d+(?:\.\d+)?\s?(?:b|bytes?|[kmgtp]i?b)\b(?:\s\(\d+(?:\.\d+)?\s?[kmgtp]i?b\))?/gi;
const DOUBLE_QUOTED_RE = /"[^"]*"/g;
// Only a quote that opens a token, so apostrophes inside words ("don't") stay text.
const SINGLE_QUOTED_RE = /(?<![\w'])'[^']*'(?![\w'])/g;
const HEX_RE = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi;
// Anything else with a digit in it: 42, -7, 3.14, blk_-1608999687919862906, node-246, v2.
const ID_RE = /[\w.$#-]*\d[\w.$#-]*/g;
// The value of key=value, whatever it looks like.
const KV_VALUE_RE = /=([^\s,;&)\]}"'<]+)/g;

/** Characters that can only occur in a token some rule may mask; tokens without them are words. */
const INTERESTING = /[\d/\\@"'=:]/;

/**
 * Replaces the variable parts of a message by typed placeholders and returns the tokens
 * (whitespace-separated), with runs of pure-value tokens merged into one so "12 ms" and
 * "12789 bytes (12.4 KB)" occupy one position, like "7" does.
 */
export function maskTokens(message: string): string[] {
  const masked = maskMessage(message);
  const raw = masked.split(/\s+/);
  const out: string[] = [];
  let previousWasValue = false;
  for (const token of raw) {
    if (token === '') continue;
    const isValue = token.includes('<') && VALUE_ONLY_RE.test(token);
    if (isValue && previousWasValue) continue;
    out.push(token);
    previousWasValue = isValue;
  }
  return out;
}

/** Replaces the variable parts of a message by typed placeholders, keeping the rest verbatim. */
export function maskMessage(message: string): string {
  // Whole-message rules first: they may span spaces (quoted values, "30 s").
  let text = message;
  if (text.includes('"')) text = text.replace(DOUBLE_QUOTED_RE, '"<str>"');
  if (text.includes("'")) text = text.replace(SINGLE_QUOTED_RE, "'<str>'");
  if (/\d/.test(text)) {
    text = text.replace(SIZE_RE, '<size>').replace(DURATION_RE, '<duration>');
  }
  return text
    .split(' ')
    .map((token) => (INTERESTING.test(token) ? maskToken(token) : token))
    .join(' ');
}

/** Masks one whitespace-free token; the order goes from the most to the least specific shape. */
function maskToken(token: string): string {
  let t = token;
  if (t.includes('://')) t = t.replace(URL_RE, '<url>');
  if (t.includes('@')) t = t.replace(EMAIL_RE, '<email>');
  if (t.includes('-')) t = t.replace(UUID_RE, '<uuid>');
  if (/\d/.test(t)) {
    t = t.replace(TS_RE, '<ts>').replace(HOST_PORT_RE, '<host>').replace(IP_RE, '<ip>');
  }
  if (t.includes('/') || t.includes('\\')) t = t.replace(PATH_RE, '<path>');
  if (t.includes('.')) t = t.replace(HOST_RE, '<host>');
  if (/\d/.test(t)) {
    t = t.replace(HEX_RE, '<hex>').replace(ID_RE, (m) => (/^[-+]?\d+(?:\.\d+)?$/.test(m) ? '<num>' : '<id>'));
  }
  // Last, so a value already typed above keeps its type.
  if (t.includes('=')) t = t.replace(KV_VALUE_RE, (m, value: string) => (value.startsWith('<') ? m : '=<*>'));
  return t;
}

/** True when a masked or mined token holds at least one placeholder. */
export function isVariableToken(token: string): boolean {
  if (!token.includes('<')) return false;
  PLACEHOLDER_RE.lastIndex = 0;
  return PLACEHOLDER_RE.test(token);
}
