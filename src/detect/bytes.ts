/**
 * Byte classes the detectors test with one table load (no regex, no strings
 * on the scanning path), and the small byte helpers they share.
 */

/** A 256-entry membership table: 1 for each byte of `chars` (latin1) and of every range `a-z` given as [from, to]. */
export function byteSet(chars: string, ...ranges: Array<[string, string]>): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [a, b] of ranges) for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) t[c] = 1;
  return t;
}

export const ALNUM = byteSet('', ['A', 'Z'], ['a', 'z'], ['0', '9']);
export const UPPER_DIGIT = byteSet('', ['A', 'Z'], ['0', '9']);
/** Base64url alphabet (JWT parts, many provider tokens). */
export const B64URL = byteSet('-_', ['A', 'Z'], ['a', 'z'], ['0', '9']);
/** Standard base64 alphabet with padding (PEM bodies, AWS secret keys without '='). */
export const B64 = byteSet('+/=', ['A', 'Z'], ['a', 'z'], ['0', '9']);
export const ALNUM_UNDERSCORE = byteSet('_', ['A', 'Z'], ['a', 'z'], ['0', '9']);
export const ALNUM_DASH = byteSet('-', ['A', 'Z'], ['a', 'z'], ['0', '9']);

export const LF = 0x0a;
export const CR = 0x0d;
export const BACKSLASH = 0x5c;

/** ASCII lower-casing of one byte (letters only). */
export function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
