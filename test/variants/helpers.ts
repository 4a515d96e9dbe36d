/**
 * Shared helpers for the variant tests: byte/pattern conversions and
 * "is this text covered by these patterns" checks, written independently of
 * src/variants so the tests do not grade the code with itself.
 */
import { ALL_VARIANTS, expandSecret } from '../../src/variants/index.js';
import type { VariantName } from '../../src/api/types.js';

export const bytes = (text: string, encoding: BufferEncoding = 'utf8'): Uint8Array => Buffer.from(text, encoding);
export const latin1 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');

/** expandSecret on a UTF-8 string or bytes, patterns returned as latin1 byte strings. */
export function expand(
  secret: string | Uint8Array,
  variants: readonly VariantName[] = ALL_VARIANTS,
  floors: { lineFloor?: number; encodedFloor?: number } = {},
): string[] {
  const input = typeof secret === 'string' ? bytes(secret) : secret;
  return expandSecret(input, { variants: new Set(variants), ...floors }).map(latin1);
}

/** Trim of ASCII whitespace (space, \t \n \v \f \r), as the contract defines it. */
export function trimAscii(text: string): string {
  return text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
}

/** Marks every char of `haystack` inside some occurrence of some pattern. */
export function coverage(haystack: string, patterns: readonly string[]): boolean[] {
  const covered = new Array<boolean>(haystack.length).fill(false);
  for (const pattern of patterns) {
    if (pattern.length === 0) continue;
    for (let at = haystack.indexOf(pattern); at !== -1; at = haystack.indexOf(pattern, at + 1)) {
      covered.fill(true, at, at + pattern.length);
    }
  }
  return covered;
}

/** True when some pattern occurs in the haystack. */
export function containsAny(haystack: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => pattern.length > 0 && haystack.includes(pattern));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
