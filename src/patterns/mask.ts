/**
 * Masking: the first, deterministic step of turning a message into a template. Every part of a
 * message that is obviously a value — a number, an id, an address, a path, a quoted string, a
 * size — is replaced by a typed placeholder such as `<num>` or `<ip>`. Whatever masking misses is
 * left to {@link TemplateTree}, which finds the positions that vary across messages.
 *
 * The rules are generic: they look at the shape of a token (digits, dots, slashes, quotes), never
 * at the vocabulary of one log source.
 */

import {
  UUID_RE,
  URL_RE,
  EMAIL_RE,
  TS_RE,
  DATE_WORDS_RE,
  DATE_WORDS_HINT,
  IP_RE,
  HOST_PORT_RE,
  HOST_RE,
  GENERIC_TLD,
  WORDLIKE_TLD,
  PATH_RE,
  EXTENSION_RE,
  QUANTITY_RE,
  QUANTITY_HINT,
  SINGLE_QUOTED_RE,
  HEX_RE,
  NUMBER_RE,
  KV_VALUE_RE,
  BOOLEAN_TOKEN_RE,
  BOOLEAN_AFTER_COLON_RE,
  SINGLE_PLACEHOLDER_RE,
} from './mask-expressions.js';

/**
 * Longer messages are cut before masking: the head names the error, the tail is usually payload,
 * and it bounds the time any rule can take.
 */
export const MAX_MESSAGE = 4096;

/** Placeholder kinds masking emits, plus `*` for a position mined as variable. */
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
  'bool',
  'id',
] as const;

/** One placeholder kind; see {@link PLACEHOLDERS}. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

type Spelling = Readonly<Record<Placeholder, string>>;

const TYPED = Object.fromEntries(PLACEHOLDERS.map((p) => [p, `<${p}>`])) as Spelling;
// For grouping a value is a value: `lock=<num>` and `lock=<hex>` are the same position.
const UNTYPED = Object.fromEntries(PLACEHOLDERS.map((p) => [p, '<*>'])) as Spelling;

/** Matches any placeholder in a masked token. */
export const PLACEHOLDER_RE = new RegExp(
  `<(?:${PLACEHOLDERS.map((p) => p.replace('*', '\\*')).join('|')})>`,
  'g',
);

/** A token made only of placeholders and punctuation: a pure value, safe to merge with its neighbours. */
const VALUE_ONLY_RE = /^(?:[^\p{L}\p{N}<]*<[a-z*]+>)+[^\p{L}\p{N}<]*$/u;

// What each ASCII character tells the token scanner; a table lookup beats a chain of compares.
const LETTER = 0;
const DIGIT = 1;
const SPECIAL = 2;
const DOT = 3;
const SPACE = 4;
const LESS_THAN = 5;
const ASCII_KIND = new Uint8Array(128).map((_, c) =>
  c >= 48 && c <= 57
    ? DIGIT
    : isSpecial(c)
      ? SPECIAL
      : c === 46
        ? DOT
        : isSpace(c)
          ? SPACE
          : c === 60
            ? LESS_THAN
            : LETTER,
);

/** Replaces the variable parts of a message by typed placeholders, keeping the rest verbatim. */
export function maskMessage(message: string): string {
  return prepare(message, TYPED)
    .split(' ')
    .map((token) => maskToken(token, TYPED))
    .join(' ');
}

/**
 * Replaces the variable parts of a message by typed placeholders and returns the
 * whitespace-separated tokens, with runs of pure-value tokens merged into one so "12 ms" and
 * "12789 bytes (12.4 KB)" occupy one position, like "7" does.
 */
export function maskTokens(message: string): string[] {
  return tokenize(message, TYPED);
}

/** As {@link maskTokens}, but every placeholder is spelt `<*>`: the shape the miner compares. */
export function maskShape(message: string): string[] {
  return tokenize(message, UNTYPED);
}

function tokenize(message: string, spell: Spelling): string[] {
  const text = prepare(message, spell);
  const out: string[] = [];
  let previousWasValue = false;
  const n = text.length;
  let i = 0;
  // One pass both splits on whitespace and classifies each token, so words cost one scan.
  while (i < n) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    let special = false;
    let innerDot = false;
    let placeholder = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const kind = c < 128 ? ASCII_KIND[c]! : isSpace(c) ? SPACE : LETTER;
      if (kind === LETTER) continue;
      if (kind === SPACE) break;
      if (kind === DIGIT) digit = true;
      else if (kind === SPECIAL) special = true;
      else if (kind === DOT)
        innerDot ||= i > start && i + 1 < n && !isSpace(text.charCodeAt(i + 1));
      else placeholder = true;
    }
    const token = text.slice(start, i);
    const masked =
      digit || special || innerDot
        ? maskClassified(token, spell, digit, special, innerDot)
        : maskBoolean(token, spell);
    const isValue =
      (placeholder || masked !== token) && masked.includes('<') && VALUE_ONLY_RE.test(masked);
    if (isValue && previousWasValue) continue;
    out.push(masked);
    previousWasValue = isValue;
  }
  return out;
}

/** Whole-message rules: the values that may span a space (quoted strings, "30 s"). */
function prepare(message: string, spell: Spelling): string {
  let text = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  if (text.includes('"')) text = maskDoubleQuoted(text, spell.str);
  if (text.includes("'")) text = text.replace(SINGLE_QUOTED_RE, `'${spell.str}'`);
  // A month and a day alone ("May 5 retries") is not enough: a weekday, a year or a time must come too.
  if (DATE_WORDS_HINT.test(text))
    text = text.replace(DATE_WORDS_RE, (date) =>
      /:|\b\d{4}\b|^[A-Z][a-z]{2}[a-z]*,?\s+[A-Z]/.test(date) ? spell.ts : date,
    );
  if (QUANTITY_HINT.test(text)) {
    text = text.replace(QUANTITY_RE, (_m, size: string | undefined) =>
      size === undefined ? spell.duration : spell.size,
    );
  }
  return text;
}

/**
 * Masks every double-quoted string. A quote followed by a letter or digit does not close one, and a
 * backslash escapes the next character, so a quoted snippet of JSON (`"```json\n{"ti"...`) is one
 * string whatever it holds. Linear: a scan that finds no closing quote ends the search.
 */
function maskDoubleQuoted(text: string, str: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('"'); open !== -1; open = text.indexOf('"', from)) {
    const close = closingQuote(text, open + 1);
    if (close === -1) break;
    out += `${text.slice(from, open)}"${str}"`;
    from = close + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function closingQuote(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */ && !isWordChar(text.charCodeAt(i + 1))) return i;
  }
  return -1;
}

/** Masks one whitespace-free token. */
function maskToken(token: string, spell: Spelling): string {
  let digit = false;
  let special = false;
  let innerDot = false;
  const last = token.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (isSpecial(c)) special = true;
    // A dot inside a word may make it a host name; a dot at its end is only a full stop.
    else if (c === 46 && i > 0 && i < last) innerDot = true;
  }
  if (digit || special || innerDot) return maskClassified(token, spell, digit, special, innerDot);
  return maskBoolean(token, spell);
}

/**
 * Masks a token whose characters were already classified: the flags decide which rules can apply
 * at all, since regexes are the cost here. The order goes from the most to the least specific shape.
 */
function maskClassified(
  token: string,
  spell: Spelling,
  digit: boolean,
  special: boolean,
  innerDot: boolean,
): string {
  if (digit && !special) {
    const plain = maskPlainNumber(token, spell);
    if (plain !== undefined) return plain;
  }
  let t = token;
  if (special) {
    if (t.includes('://')) t = t.replace(URL_RE, spell.url);
    if (t.includes('@')) t = t.replace(EMAIL_RE, spell.email);
  }
  // Each rule runs only if the punctuation it needs is there: the regexes are most of the cost.
  const colon = special && t.includes(':');
  if (digit && colon) t = t.replace(HOST_PORT_RE, spell.host);
  // Before the date rule, which would take the 154-37-122 of 195-154-37-122.rev.example.eu.
  // Three labels at least, so two dots.
  if (innerDot && t.indexOf('.') !== t.lastIndexOf('.'))
    t = t.replace(HOST_RE, (m, tld: string) => (isTld(tld) ? spell.host : m));
  if (digit) {
    if (t.length >= 36 && t.includes('-')) t = t.replace(UUID_RE, spell.uuid);
    if (colon || t.includes('-') || t.includes('/')) t = t.replace(TS_RE, spell.ts);
    if (colon || (innerDot && t.indexOf('.') !== t.lastIndexOf('.')))
      t = t.replace(IP_RE, spell.ip);
  }
  if (special && (t.includes('/') || t.includes('\\')))
    t = t.replace(PATH_RE, (m, relative: string | undefined) =>
      relative === undefined || EXTENSION_RE.test(relative) ? spell.path : m,
    );
  if (digit) {
    t = maskIds(t, spell);
  }
  // ok:true, ret:false — a boolean after a separator is a value whatever names it.
  if (special && (t.includes(':true') || t.includes(':false')))
    t = t.replace(BOOLEAN_AFTER_COLON_RE, spell.bool);
  // Last, so a value already typed above keeps its type.
  if (special && t.includes('='))
    t = t.replace(KV_VALUE_RE, (m, value: string) =>
      SINGLE_PLACEHOLDER_RE.test(value) ? m : `=${spell['*']}`,
    );
  return t;
}

/** `42`, `(3.5)`, `-7,`: a number inside punctuation, the commonest value, without any regex. */
function maskPlainNumber(token: string, spell: Spelling): string | undefined {
  let start = 0;
  let end = token.length;
  while (start < end && isOpening(token.charCodeAt(start))) start++;
  while (end > start && isClosing(token.charCodeAt(end - 1))) end--;
  let i = start;
  if (i < end && (token.charCodeAt(i) === 45 || token.charCodeAt(i) === 43)) i++; // - +
  const digitsFrom = i;
  while (i < end && isDigit(token.charCodeAt(i))) i++;
  if (i === digitsFrom) return undefined;
  if (i < end && token.charCodeAt(i) === 46 /* . */) {
    const fraction = ++i;
    while (i < end && isDigit(token.charCodeAt(i))) i++;
    if (i === fraction) return undefined;
  }
  if (i !== end) return undefined;
  return token.slice(0, start) + spell.num + token.slice(end);
}

/**
 * Anything else with a digit in it: a number (3.14), hex (0x1f, deadbeef42) or another id
 * (blk_-1608999687919862906, node-246, v2). A run is made of word characters, `$#-` and single
 * dots; a run of dots ends it, as in `icbi.........0`. A loop, because the equivalent regex
 * backtracks at every start position and took a tenth of the time.
 */
function maskIds(token: string, spell: Spelling): string {
  let out = '';
  let from = 0;
  let i = 0;
  const n = token.length;
  while (i < n) {
    if (!isIdChar(token, i)) {
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    while (i < n && isIdChar(token, i)) {
      if (isDigit(token.charCodeAt(i))) digit = true;
      i++;
    }
    if (!digit) continue;
    const run = token.slice(start, i);
    out +=
      token.slice(from, start) +
      (NUMBER_RE.test(run) ? spell.num : HEX_RE.test(run) ? spell.hex : spell.id);
    from = i;
  }
  return from === 0 ? token : out + token.slice(from);
}

function isIdChar(token: string, i: number): boolean {
  const c = token.charCodeAt(i);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  // _ $ # -
  if (c === 95 || c === 36 || c === 35 || c === 45) return true;
  // A single dot joins (3.14, v1.2); one of a run of dots does not.
  return c === 46 && token.charCodeAt(i - 1) !== 46 && token.charCodeAt(i + 1) !== 46;
}

/**
 * `true` or `false`, perhaps followed by punctuation, masked: a value in any language's output.
 * Returns the token unchanged otherwise.
 */
function maskBoolean(token: string, spell: Spelling): string {
  const c = token.charCodeAt(0);
  if (c !== 116 && c !== 102) return token; // t f
  const m = BOOLEAN_TOKEN_RE.exec(token);
  return m === null ? token : spell.bool + token.slice(m[1]!.length);
}

function isTld(label: string): boolean {
  return GENERIC_TLD.has(label) || (label.length === 2 && !WORDLIKE_TLD.has(label));
}

// / \ @ " ' = :
function isSpecial(c: number): boolean {
  return c === 47 || c === 92 || c === 64 || c === 34 || c === 39 || c === 61 || c === 58;
}

/** The characters of `\s` in a regex. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The characters of `\w` in a regex; NaN (past the end) is none. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ( [ {
function isOpening(c: number): boolean {
  return c === 40 || c === 91 || c === 123;
}

// ) ] } , ; . ! ?
function isClosing(c: number): boolean {
  return (
    c === 41 || c === 93 || c === 125 || c === 44 || c === 59 || c === 46 || c === 33 || c === 63
  );
}
