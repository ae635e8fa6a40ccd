/**
 * The rules for one whitespace-free token: numbers, ids, hosts, paths, URLs, booleans and the values
 * of `key=value`. The message-level scanner in `mask.ts` classifies each token's characters once
 * and calls {@link maskClassified} only when a rule can apply.
 */
import {
  UUID_RE,
  URL_RE,
  EMAIL_RE,
  TS_RE,
  IP_RE,
  HOST_PORT_RE,
  HOST_RE,
  GENERIC_TLD,
  WORDLIKE_TLD,
  PATH_RE,
  EXTENSION_RE,
  BOOLEAN_AFTER_COLON_RE,
} from './mask-expressions.js';
import {
  BIT,
  SPECIAL_BIT,
  isClosing,
  isDigit,
  isOpening,
  isSpace,
  isSpecial,
  isWordChar,
} from './char-class.js';
import { maskWholeAddress } from './mask-address.js';
import type { Spelling } from './placeholders.js';

/** Masks one whitespace-free token. */
export function maskToken(token: string, spell: Spelling): string {
  let digit = false;
  let special = 0;
  let innerDot = false;
  const last = token.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (isSpecial(c)) special |= SPECIAL_BIT[c]!;
    // A dot inside a word may make it a host name; a dot at its end is only a full stop.
    else if (c === 46 && i > 0 && i < last) innerDot = true;
  }
  if (digit || special !== 0 || innerDot)
    return maskClassified(token, spell, digit, special, innerDot);
  return maskBoolean(token, spell);
}

/**
 * Masks a token whose characters were already classified: the flags decide which rules can apply
 * at all, since regexes are the cost here. `special` holds the {@link SPECIAL_BIT}s of the token's
 * special characters; rules only remove characters, so a character the token lacks is never found
 * later either. The order goes from the most to the least specific shape.
 */
export function maskClassified(
  token: string,
  spell: Spelling,
  digit: boolean,
  special: number,
  innerDot: boolean,
): string {
  if (digit && special === 0) {
    const plain = maskPlainNumber(token, spell);
    if (plain !== undefined) return plain;
  }
  if (digit && innerDot) {
    const address = maskWholeAddress(token, spell);
    if (address !== undefined) return address;
  }
  let t = token;
  if ((special & (BIT.colon | BIT.slash)) === (BIT.colon | BIT.slash) && t.includes('://'))
    t = t.replace(URL_RE, spell.url);
  if ((special & BIT.at) !== 0 && t.includes('@')) t = t.replace(EMAIL_RE, spell.email);
  // Each rule runs only if the punctuation it needs is there: the regexes are most of the cost.
  // Unchanged, the token has a colon exactly when its special characters say so.
  const colon = (special & BIT.colon) !== 0 && (t === token || t.includes(':'));
  // A port follows a dotted name or address.
  if (digit && colon && t.includes('.')) t = t.replace(HOST_PORT_RE, spell.host);
  // Before the date rule, which would take the 154-37-122 of 195-154-37-122.rev.example.eu.
  // Three labels at least, so two dots.
  // And a label of lowercase letters, which an address or a version (1.2.3) lacks.
  if (innerDot && t.indexOf('.') !== t.lastIndexOf('.') && hasLowerLabel(t))
    t = t.replace(HOST_RE, (m, tld: string) => (isTld(tld) ? spell.host : m));
  if (digit) {
    if (t.length >= 36 && t.includes('-')) t = t.replace(UUID_RE, spell.uuid);
    // One count for both rules below; counted again only if the date rule changed the token.
    let marks = countMarks(t);
    // A date has two separators (2026-01-31, 2016/9/27), a time two colons (17:41:44).
    if (marks.dateSeparators >= 2 || (colon && marks.colons >= 2)) {
      const before = t;
      t = t.replace(TS_RE, spell.ts);
      if (t !== before) marks = countMarks(t);
    }
    // IPv4 has three dots, IPv6 two colons at least.
    if ((colon && marks.colons >= 2) || (innerDot && marks.dots >= 3))
      t = t.replace(IP_RE, spell.ip);
  }
  if ((special & (BIT.slash | BIT.backslash)) !== 0 && mayBePath(t))
    t = t.replace(PATH_RE, (m, relative: string | undefined) =>
      relative === undefined || EXTENSION_RE.test(relative) ? spell.path : m,
    );
  if (digit) {
    t = maskIds(t, spell);
  }
  // ok:true, ret:false — a boolean after a separator is a value whatever names it.
  if (colon && hasBooleanAfterColon(t)) t = t.replace(BOOLEAN_AFTER_COLON_RE, spell.bool);
  // Last, so a value already typed above keeps its type.
  if ((special & BIT.equals) !== 0) t = maskValues(t, spell['*']);
  return t;
}

/**
 * {@link KV_VALUE_RE} by hand: each `=` and the run of value characters after it becomes `=<*>`,
 * unless the value is one placeholder already. Most tokens with an `=` keep it unchanged (`=`,
 * `lock=<*>`), and the regex with its callback cost more than this loop.
 */
function maskValues(t: string, star: string): string {
  let out = '';
  let from = 0;
  for (let i = t.indexOf('='); i !== -1;) {
    let end = i + 1;
    while (end < t.length && isValueChar(t.charCodeAt(end))) end++;
    if (end === i + 1) {
      i = t.indexOf('=', end);
      continue;
    }
    if (!isPlaceholder(t, i + 1, end)) {
      out += `${t.slice(from, i)}=${star}`;
      from = end;
    }
    i = t.indexOf('=', end);
  }
  return from === 0 ? t : out + t.slice(from);
}

// Not whitespace nor , ; & ) ] } " '
function isValueChar(c: number): boolean {
  return !(
    c === 44 ||
    c === 59 ||
    c === 38 ||
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 34 ||
    c === 39 ||
    isSpace(c)
  );
}

/** {@link SINGLE_PLACEHOLDER_RE} on `t[start, end)`: `<num>`, `<*>`. */
function isPlaceholder(t: string, start: number, end: number): boolean {
  if (end - start < 3 || t.charCodeAt(start) !== 60 || t.charCodeAt(end - 1) !== 62) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c === 42)) return false;
  }
  return true;
}

/** `42`, `(3.5)`, `-7,`: a number inside punctuation, the commonest value, without any regex. */
function maskPlainNumber(token: string, spell: Spelling): string | undefined {
  let start = 0;
  let end = token.length;
  while (start < end && isOpening(token.charCodeAt(start))) start++;
  while (end > start && isClosing(token.charCodeAt(end - 1))) end--;
  if (!isNumber(token, start, end)) return undefined;
  // A bare number, the commonest case, makes no new string but its placeholder.
  if (start === 0 && end === token.length) return spell.num;
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
    out +=
      token.slice(from, start) +
      (isNumber(token, start, i) ? spell.num : isHex(token, start, i) ? spell.hex : spell.id);
    from = i;
  }
  return from === 0 ? token : out + token.slice(from);
}

/** `/^[-+]?\d+(?:\.\d+)?$/` on `token[start, end)`, without slicing it out. */
function isNumber(token: string, start: number, end: number): boolean {
  let i = start;
  const sign = token.charCodeAt(i);
  if (i < end && (sign === 45 || sign === 43)) i++; // - +
  const digits = i;
  while (i < end && isDigit(token.charCodeAt(i))) i++;
  if (i === digits) return false;
  if (i < end && token.charCodeAt(i) === 46 /* . */) {
    const fraction = ++i;
    while (i < end && isDigit(token.charCodeAt(i))) i++;
    if (i === fraction) return false;
  }
  return i === end;
}

/** `/^(?:0x[0-9a-f]+|(?=[0-9a-f]*[a-f])[0-9a-f]{6,})$/i` on `token[start, end)`. */
function isHex(token: string, start: number, end: number): boolean {
  if (
    end - start >= 3 &&
    token.charCodeAt(start) === 48 /* 0 */ &&
    (token.charCodeAt(start + 1) | 0x20) === 120 /* x */
  )
    return allHex(token, start + 2, end);
  if (end - start < 6 || !allHex(token, start, end)) return false;
  for (let i = start; i < end; i++) if (token.charCodeAt(i) > 57) return true;
  return false;
}

function allHex(token: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = token.charCodeAt(i);
    const lower = c | 0x20;
    if (!isDigit(c) && !(lower >= 97 && lower <= 102)) return false;
  }
  return true;
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
export function maskBoolean(token: string, spell: Spelling): string {
  // By hand rather than /^(true|false)[,.;:)\]}]?$/: every word starting with t or f comes here.
  const n = token.length;
  if (n < 4 || n > 6) return token;
  const word = token.startsWith('true') ? 4 : token.startsWith('false') ? 5 : 0;
  if (word === 0 || n > word + 1) return token;
  if (n === word + 1 && !BOOLEAN_END.includes(token[word]!)) return token;
  return spell.bool + token.slice(word);
}

/** What may follow a boolean in the same token. */
const BOOLEAN_END = ',.;:)]}';

/** True when a dot is followed by two lowercase letters, as the last label of {@link HOST_RE}. */
function hasLowerLabel(t: string): boolean {
  for (let i = t.indexOf('.'); i !== -1; i = t.indexOf('.', i + 1))
    if (isLower(t.charCodeAt(i + 1)) && isLower(t.charCodeAt(i + 2))) return true;
  return false;
}

/**
 * What {@link PATH_RE} needs, without the regex: two separators, a placeholder root (`<ROOT>/`),
 * or a slash between two name characters (`a/b`). `/<*>`, what is left of `/10.0.0.1:80` once
 * its host is masked, has none, and is the commonest token with a slash.
 */
function mayBePath(t: string): boolean {
  let separators = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 47 /* / */ || c === 92 /* \ */) {
      if (++separators === 2) return true;
      if (c === 47 && isNameChar(t.charCodeAt(i - 1)) && isNameChar(t.charCodeAt(i + 1)))
        return true;
    } else if (c === 60 /* < */) {
      const next = t.charCodeAt(i + 1);
      if (next >= 65 && next <= 90) return true;
    }
  }
  return false;
}

// \w . @ + -
function isNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 64 || c === 43 || c === 45;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** `t.includes(':true') || t.includes(':false')` in one search for colons (most tokens have one). */
function hasBooleanAfterColon(t: string): boolean {
  for (let i = t.indexOf(':'); i !== -1; i = t.indexOf(':', i + 1))
    if (t.startsWith('true', i + 1) || t.startsWith('false', i + 1)) return true;
  return false;
}

/** How many `-` or `/`, colons and dots a token holds: what the date and IP rules need. */
interface Marks {
  dateSeparators: number;
  colons: number;
  dots: number;
}

// One object reused: the counts are read right after they are taken.
const counted: Marks = { dateSeparators: 0, colons: 0, dots: 0 };

function countMarks(t: string): Marks {
  let dateSeparators = 0;
  let colons = 0;
  let dots = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 45 /* - */ || c === 47 /* / */) dateSeparators++;
    else if (c === 58 /* : */) colons++;
    else if (c === 46 /* . */) dots++;
  }
  counted.dateSeparators = dateSeparators;
  counted.colons = colons;
  counted.dots = dots;
  return counted;
}

function isTld(label: string): boolean {
  return GENERIC_TLD.has(label) || (label.length === 2 && !WORDLIKE_TLD.has(label));
}
