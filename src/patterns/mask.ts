/**
 * Masking: the first, deterministic step of turning a message into a template. Every part of a
 * message that is obviously a value — a number, an id, an address, a path, a quoted string, a
 * size — is replaced by a typed placeholder such as `<num>` or `<ip>`. Whatever masking misses is
 * left to {@link TemplateTree}, which finds the positions that vary across messages.
 *
 * The rules are generic: they look at the shape of a token (digits, dots, slashes, quotes), never
 * at the vocabulary of one log source. This file holds the message-level scan; the rules for one
 * token are in `mask-token.ts`.
 */

import {
  DATE_WORDS_RE,
  DATE_WORDS_HINT,
  MONTH_NAME_HINT,
  QUANTITY_RE,
  QUANTITY_HINT,
  SINGLE_QUOTED_RE,
} from './mask-expressions.js';
import {
  ASCII_KIND,
  LETTER,
  DIGIT,
  SPECIAL,
  DOT,
  SPACE,
  SPECIAL_BIT,
  isDigit,
  isSpace,
  isWordChar,
} from './char-class.js';
import { maskBoolean, maskClassified, maskToken } from './mask-token.js';
import { TYPED, UNTYPED, type Spelling } from './placeholders.js';

export { PLACEHOLDERS, PLACEHOLDER_RE, type Placeholder } from './placeholders.js';

/**
 * Longer messages are cut before masking: the head names the error, the tail is usually payload,
 * and it bounds the time any rule can take.
 */
export const MAX_MESSAGE = 4096;

/** A token made only of placeholders and punctuation: a pure value, safe to merge with its neighbours. */
const VALUE_ONLY_RE = /^(?:[^\p{L}\p{N}<]*<[a-z*]+>)+[^\p{L}\p{N}<]*$/u;

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
    let special = 0;
    let innerDot = false;
    let placeholder = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const kind = c < 128 ? ASCII_KIND[c]! : isSpace(c) ? SPACE : LETTER;
      if (kind === LETTER) continue;
      if (kind === SPACE) break;
      if (kind === DIGIT) digit = true;
      else if (kind === SPECIAL) special |= SPECIAL_BIT[c]!;
      else if (kind === DOT)
        innerDot ||= i > start && i + 1 < n && !isSpace(text.charCodeAt(i + 1));
      else placeholder = true;
    }
    const token = text.slice(start, i);
    const masked =
      digit || special !== 0 || innerDot
        ? maskClassified(token, spell, digit, special, innerDot)
        : maskBoolean(token, spell);
    const isValue = (placeholder || masked !== token) && isValueOnly(masked);
    if (isValue && previousWasValue) continue;
    out.push(masked);
    previousWasValue = isValue;
  }
  return out;
}

/**
 * {@link VALUE_ONLY_RE} by hand for ASCII, the common case: the regex, with its Unicode classes,
 * cost more than the rest of the token's classification.
 */
function isValueOnly(masked: string): boolean {
  const n = masked.length;
  let values = 0;
  for (let i = 0; i < n; i++) {
    const c = masked.charCodeAt(i);
    if (c === 60 /* < */) {
      let j = i + 1;
      for (
        let k = masked.charCodeAt(j);
        (k >= 97 && k <= 122) || k === 42;
        k = masked.charCodeAt(j)
      )
        j++;
      if (j === i + 1 || masked.charCodeAt(j) !== 62 /* > */) return false;
      values++;
      i = j;
    } else if (c >= 128) return VALUE_ONLY_RE.test(masked);
    else if (isWordChar(c) && c !== 95 /* _ */) return false;
  }
  return values > 0;
}

/** Whole-message rules: the values that may span a space (quoted strings, "30 s"). */
function prepare(message: string, spell: Spelling): string {
  let text = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  if (text.includes('"')) text = maskDoubleQuoted(text, spell.str);
  if (text.includes("'"))
    text = text.replace(SINGLE_QUOTED_RE, (quoted, offset: number) =>
      isRecord(text, offset, offset + quoted.length - 1) ? quoted : `'${spell.str}'`,
    );
  // A month and a day alone ("May 5 retries") is not enough: a weekday, a year or a time must come too.
  if (MONTH_NAME_HINT.test(text) && DATE_WORDS_HINT.test(text))
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
    // A record is kept: its words are masked one by one like the rest of the message.
    out += isRecord(text, open, close)
      ? text.slice(from, close + 1)
      : `${text.slice(from, open)}"${str}"`;
    from = close + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Most words a quoted record may hold; a longer quotation is payload (a query, a document). */
const MAX_RECORD_WORDS = 4;

/**
 * True when the quotation between `open` and `close` (the quote characters) is a short record
 * with values of its own, such as a request line (`"GET /a/1 HTTP/1.1"`): two to
 * {@link MAX_RECORD_WORDS} tokens on one line, one of them holding a digit or a slash, and not
 * the value of a key (`tag="View Lock"`). Masked whole, `"<str>"` would stand for both `"GET …"`
 * and `"POST …"`, two events; masked token by token, the words stay and the values go. A quoted
 * name or piece of prose (`'left pad'`, `"Here is th"`) has no values and stays one value.
 */
function isRecord(text: string, open: number, close: number): boolean {
  const before = text.charCodeAt(open - 1);
  if (before === 61 /* = */ || before === 58 /* : */) return false;
  let words = 1;
  let values = false;
  for (let i = open + 1; i < close; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      // A double space or a space at an edge is layout, not a record.
      if (i === open + 1 || i === close - 1 || text.charCodeAt(i + 1) === 32) return false;
      if (++words > MAX_RECORD_WORDS) return false;
    } else if (c === 34 || c === 39 || c === 92 || isSpace(c)) return false;
    else if (c === 47 /* / */ || isDigit(c)) values = true;
  }
  return words > 1 && values;
}

function closingQuote(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */ && !isWordChar(text.charCodeAt(i + 1))) return i;
  }
  return -1;
}
