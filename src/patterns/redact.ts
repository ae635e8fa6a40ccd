/**
 * Redaction of secrets and personal data. Runs before anything is stored, sent to an LLM or
 * exported, so it errs on the side of removing too much: a lost token in a message costs nothing,
 * a leaked one costs a rotation.
 */

/** What a redaction marker can say was removed. */
export const REDACTION_KINDS = [
  'password',
  'private_key',
  'secret',
  'jwt',
  'bearer_token',
  'anthropic_key',
  'openai_key',
  'stripe_key',
  'github_token',
  'aws_access_key',
  'google_api_key',
  'slack_token',
  'slack_webhook',
  'sendgrid_key',
  'twilio_key',
  'vendor_token',
  'high_entropy',
  'cookie',
  'email',
] as const;

/** A redaction kind; see {@link REDACTION_KINDS}. */
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** The text that replaces a secret of the given kind, e.g. `[REDACTED:openai_key]`. */
export function redactionMarker(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

const NOT_MARKER = '(?!\\[REDACTED)';
// Prefix runs are bounded ({0,40}, {0,30}): unbounded ones backtrack quadratically on long
// hyphenated blobs, and an error message is untrusted input.
// Key names whose value is a secret in `key=value`, `key: value` and JSON `"key": "value"` forms.
const SECRET_KEY =
  '[A-Za-z0-9_-]{0,40}(?:(?:password|passwd|passphrase|secret)[A-Za-z0-9_-]{0,20}|pwd|token|api[_-]?key|apikey|access[_-]?key|account[_-]?key|auth[_-]?key|authorization|private[_-]?key|signing[_-]?key|session[_-]?id|credentials?|cookie|sig(?:nature)?)';

const SENTENCE_GOES_ON = /\s+[a-z]+\b/y;

/**
 * A word of letters that more lowercase words follow is the start of a sentence, not a value:
 * "ExpiredToken: The security token … is expired" names a credential without holding one.
 */
function isProse(value: string, text: string, end: number): boolean {
  if (!/^[A-Za-z][a-z]{0,14}$/.test(value)) return false;
  // Read in place: slicing the rest of a long message for every key would copy it each time.
  SENTENCE_GOES_ON.lastIndex = end;
  return SENTENCE_GOES_ON.test(text);
}

type Replacer = (substring: string, ...groups: string[]) => string;
const RULES: readonly (readonly [RegExp, Replacer])[] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    () => redactionMarker('private_key'),
  ],
  // scheme://user:password@host — keep the user and host, which help diagnose, drop the password.
  [
    /\b([a-z][a-z0-9+.-]{0,30}:\/\/)([^:@\s/]*):([^@\s/]+)@/gi,
    (_m, scheme, user) => `${scheme}${user}:${redactionMarker('password')}@`,
  ],
  [
    /\b(Set-Cookie|Cookie)(\s*:\s*)[^\r\n]*/gi,
    (_m, header, sep) => `${header}${sep}${redactionMarker('cookie')}`,
  ],
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => redactionMarker('jwt')],
  [/\bsk-ant-[A-Za-z0-9_*-]{10,}/g, () => redactionMarker('anthropic_key')],
  [/\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_*-]{16,}/g, () => redactionMarker('openai_key')],
  [
    /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|\bwhsec_[A-Za-z0-9]{10,}/g,
    () => redactionMarker('stripe_key'),
  ],
  [
    /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/g,
    () => redactionMarker('github_token'),
  ],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, () => redactionMarker('aws_access_key')],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, () => redactionMarker('google_api_key')],
  [
    /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
    () => redactionMarker('slack_webhook'),
  ],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, () => redactionMarker('slack_token')],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, () => redactionMarker('sendgrid_key')],
  // Twilio API key SIDs (SK…) and auth tokens that follow an account SID (AC…).
  [/\b(?:SK|AC)[0-9a-fA-F]{32}\b/g, () => redactionMarker('twilio_key')],
  // Token formats of other vendors that gitleaks knows by prefix.
  [
    /\b(?:glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|hf_[A-Za-z]{30,}|dop_v1_[a-f0-9]{64}|key-[0-9a-z]{32}|pypi-[A-Za-z0-9_-]{50,}|lin_api_[A-Za-z0-9]{40}|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,})\b/g,
    () => redactionMarker('vendor_token'),
  ],
  // After the vendor patterns, so "Bearer sk-…" still says which kind of key it was.
  [
    /\b(Bearer|Basic|Token)\s+(?!\[REDACTED)([A-Za-z0-9._~+/=-]{8,})/gi,
    // A short run of lowercase letters is a word of the sentence ("token included in the request").
    (m, scheme, value) =>
      /^[a-z]{1,15}$/.test(value!) ? m : `${scheme} ${redactionMarker('bearer_token')}`,
  ],
  [
    new RegExp(
      `(["']?)\\b(${SECRET_KEY})\\b\\1(\\s*[:=]\\s*)(["']?)${NOT_MARKER}([^"'\\s&,;}\\]]+)\\4`,
      'gi',
    ),
    (m, quote, key, sep, valueQuote, value, offset, text) =>
      isProse(value!, text!, Number(offset) + m.length)
        ? m
        : `${quote}${key}${quote}${sep}${valueQuote}${redactionMarker('secret')}${valueQuote}`,
  ],
  [
    /(?<![\w/.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    () => redactionMarker('email'),
  ],
  // Last, for formats no rule above knows: long mixed-case-and-digit tokens of high entropy, the
  // way secret scanners find generic keys. Words, hex hashes and UUIDs lack the mixed case.
  [
    /(?<![\w+=-])[A-Za-z0-9+=_-]{20,}(?![\w+=-])/g,
    (token) => (isHighEntropy(token) ? redactionMarker('high_entropy') : token),
  ],
];

/** Least Shannon entropy, in bits per character, of a token taken for a secret. */
const MIN_ENTROPY = 3.5;

function isHighEntropy(token: string): boolean {
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (token.startsWith('REDACTED')) return false;
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / token.length) * Math.log2(n / token.length);
  return entropy >= MIN_ENTROPY;
}

/**
 * Text no rule can match, returned as it is: ids, uuids, statuses, short words. Every rule needs a
 * character outside `[\w.-]` (`@ : = / space`) or a token of 15 or more characters, and none can
 * match lowercase hex digits and dashes alone (no rule's prefix is made of them, and the
 * high-entropy rule wants mixed case).
 */
const NOTHING_TO_REDACT = /^(?:[\w.-]{0,14}|[0-9a-f-]*)$/;

/** Replaces every secret and email address found in `text` with a `[REDACTED:kind]` marker. */
export function redact(text: string): string {
  if (NOTHING_TO_REDACT.test(text)) return text;
  let result = text;
  for (const [pattern, replace] of RULES)
    result = result.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  return result;
}

const SECRET_KEY_NAME = new RegExp(`^(?:${SECRET_KEY})$`, 'i');

/** True for a property name whose value {@link redactDeep} replaces whole (`password`, `apiKey`, …). */
export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAME.test(key);
}

/**
 * A copy of `value` with every string redacted, and every property whose name says it holds a
 * secret (`password`, `apiKey`, `authorization`, …) replaced whole. Errors stay errors, with
 * redacted message, stack and own properties. Cycles are preserved, never followed twice.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakMap()) as T;
}

function redactValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactValue(item, seen));
    return copy;
  }
  if (value instanceof Error) {
    const copy = new Error(redact(value.message));
    seen.set(value, copy);
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redact(value.stack);
    copyProperties(value, copy, seen);
    if (value.cause !== undefined) copy.cause = redactValue(value.cause, seen);
    return copy;
  }
  if (value instanceof Date || value instanceof RegExp) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  copyProperties(value, copy, seen);
  return copy;
}

function copyProperties(from: object, to: object, seen: WeakMap<object, unknown>): void {
  const target = to as Record<string, unknown>;
  for (const [key, item] of Object.entries(from)) {
    const secret =
      SECRET_KEY_NAME.test(key) && item !== null && item !== undefined && typeof item !== 'object';
    target[key] = secret ? redactionMarker('secret') : redactValue(item, seen);
  }
}
