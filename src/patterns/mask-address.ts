/**
 * The commonest addresses, told by hand when they are a whole token: `10.0.0.1`, `10.0.0.1:5432`
 * and `/10.0.0.1:5432` (how HDFS and many servers name a peer). Each would otherwise go through
 * the host-and-port or the IP regex, and then through every later token rule, to end as one
 * placeholder; together they are about a sixth of the tokens with punctuation in Loghub's lines.
 */
import { isDigit } from './char-class.js';
import type { Spelling } from './placeholders.js';

/**
 * What the token rules make of a token that is exactly an IPv4 address (`<ip>`), one with a port
 * of one to five digits (`<host>`), or the latter after one slash (`/<host>`); `undefined` for any
 * other token. The same answer as the rules, which a test checks against them.
 */
export function maskWholeAddress(token: string, spell: Spelling): string | undefined {
  const slash = token.charCodeAt(0) === 47; /* / */
  let i = slash ? 1 : 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (token.charCodeAt(i) !== 46 /* . */) return undefined;
      i++;
    }
    const start = i;
    while (i - start < 3 && isDigit(token.charCodeAt(i))) i++;
    if (i === start) return undefined;
  }
  if (i === token.length) return slash ? undefined : spell.ip;
  if (token.charCodeAt(i) !== 58 /* : */) return undefined;
  const port = ++i;
  while (isDigit(token.charCodeAt(i))) i++;
  if (i !== token.length || i === port || i - port > 5) return undefined;
  return slash ? `/${spell.host}` : spell.host;
}
