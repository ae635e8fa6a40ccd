/**
 * The signature's hash: SHA-256 of the JSON of its parts, cut to 16 hex characters. Stored
 * signatures are these bytes, so nothing here may change what is hashed.
 */
import { hash as digest } from 'node:crypto';

/**
 * Signatures remembered by masked message. An error stream repeats a few templates (the 10,212
 * distinct Loghub lines have 743), and the hash with its JSON costs about half as much as masking.
 * Two generations of at most this many entries each: when the young one is full it becomes the
 * old one and the previous old one is dropped, so memory is bounded and templates in use stay.
 * (Deleting a Map's oldest key instead made every later `keys().next()` skip the deleted slots.)
 */
const GENERATION = 1024;
/** Longest masked message remembered, so the memo's memory stays small whatever the messages. */
const MAX_REMEMBERED_TEXT = 512;

// Only for parts with no name, code, status or frame: then the masked message alone decides the
// hash, and looking it up costs no JSON.
let young = new Map<string, string>();
let old = new Map<string, string>();

/** 16 hex characters of SHA-256 over `JSON.stringify(parts)`. */
export function hashParts(parts: string[]): string {
  // JSON keeps the boundaries between parts, so ["ab", "c"] and ["a", "bc"] differ.
  // One-shot hash: the same digest as createHash(), without a Hash object per error.
  return digest('sha256', JSON.stringify(parts), 'hex').slice(0, 16);
}

/**
 * {@link hashParts} of `[name, code, status, "template:" + masked, ...frames]`, remembered when
 * only the masked message is set.
 */
export function signatureHash(
  name: string,
  code: string,
  status: string,
  masked: string,
  frames: string[],
): string {
  const plain =
    name === '' &&
    code === '' &&
    status === '' &&
    frames.length === 0 &&
    masked.length <= MAX_REMEMBERED_TEXT;
  if (!plain) return hashParts([name, code, status, `template:${masked}`, ...frames]);
  let signature = young.get(masked);
  if (signature !== undefined) return signature;
  signature = old.get(masked) ?? hashParts(['', '', '', `template:${masked}`]);
  if (young.size >= GENERATION) {
    old = young;
    young = new Map();
  }
  young.set(masked, signature);
  return signature;
}
