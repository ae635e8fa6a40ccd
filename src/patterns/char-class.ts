/**
 * What each character is to the mask's scanners: table lookups and small predicates instead of
 * regexes, because they run on every character of every message.
 */

/**
 * Which special character it is, one bit each, so a token's set of them is one number and a rule
 * needing a slash or an `=` is skipped without searching the token for it.
 */
export const BIT = { slash: 1, backslash: 2, at: 4, quote: 8, equals: 16, colon: 32 } as const;
const BIT_OF: Readonly<Record<string, number>> = {
  '/': BIT.slash,
  '\\': BIT.backslash,
  '@': BIT.at,
  '"': BIT.quote,
  "'": BIT.quote,
  '=': BIT.equals,
  ':': BIT.colon,
};
/** The {@link BIT} of each ASCII special character, 0 for the others. */
export const SPECIAL_BIT = new Uint8Array(128).map((_, c) => BIT_OF[String.fromCharCode(c)] ?? 0);

// / \ @ " ' = :
export function isSpecial(c: number): boolean {
  return c < 128 && SPECIAL_BIT[c] !== 0;
}

// What each ASCII character tells the token scanner; a table lookup beats a chain of compares.
export const LETTER = 0;
export const DIGIT = 1;
export const SPECIAL = 2;
export const DOT = 3;
export const SPACE = 4;
export const LESS_THAN = 5;
export const ASCII_KIND = new Uint8Array(128).map((_, c) =>
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

/** The characters of `\s` in a regex. */
export function isSpace(c: number): boolean {
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
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ( [ {
export function isOpening(c: number): boolean {
  return c === 40 || c === 91 || c === 123;
}

// ) ] } , ; . ! ?
export function isClosing(c: number): boolean {
  return (
    c === 41 || c === 93 || c === 125 || c === 44 || c === 59 || c === 46 || c === 33 || c === 63
  );
}
