/**
 * A lower-case word for a number (`a`, `b`, … `z`, `ba`, …): distinct numbers give distinct plain
 * words, which masking leaves alone, so tests can make as many different messages as they need.
 */
export function word(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}
