/**
 * The skip filter: lets the scan jump `stride` bytes at a time through text
 * that cannot contain a pattern, instead of stepping the automaton per byte.
 *
 * Every pattern is at least `stride + GRAM - 1` bytes long. An occurrence
 * starting at p contains exactly one sample position j = p + o with
 * 0 <= o < stride (samples are `stride` apart), and the GRAM bytes at j are
 * the pattern's bytes at offset o. So we put into a bitset the hash of each
 * pattern's GRAM-byte substrings at offsets 0..stride-1; a sample whose hash
 * bit is clear proves that no occurrence starts in the `stride` positions
 * ending at it. A set bit (a real start or a hash collision) sends the scan
 * back to the exact automaton from stride-1 bytes before the sample.
 */

/** Bytes hashed per sample (read as one little-endian 32-bit word). */
export const GRAM = 4;
const MAX_STRIDE = 32;
const MIN_STRIDE = 2;
const MIN_BITS = 18; // 32 KiB: small sets get a near-empty filter (few false hits) that still sits in cache
const MAX_BITS = 25; // 4 MiB of bitset at most
/** Bits per filter entry we aim for: 32 keeps false positives near 1/32 per sample. */
const BITS_PER_ENTRY = 32;
/** Fewest bits per entry before we shorten the stride instead (1/12 false positives). */
const MIN_BITS_PER_ENTRY = 12;

export interface GramFilter {
  bits: Int32Array;
  /** 32 - log2(bit count): hash >>> shift is the bit index. */
  shift: number;
  stride: number;
}

export function gramHash(word: number, shift: number): number {
  return Math.imul(word, 0x9e3779b1) >>> shift;
}

/** Returns null when patterns are too short (or too many) for skipping to pay. */
export function buildGramFilter(patterns: readonly Uint8Array[], minLength: number): GramFilter | null {
  if (patterns.length === 0) return null;
  let stride = Math.min(MAX_STRIDE, minLength - GRAM + 1);
  // Keep the bitset within MAX_BITS at a useful fill: fewer offsets per pattern if needed.
  const maxEntries = (1 << MAX_BITS) / MIN_BITS_PER_ENTRY;
  if (patterns.length * stride > maxEntries) stride = Math.floor(maxEntries / patterns.length);
  if (stride < MIN_STRIDE) return null;
  let log2 = MIN_BITS;
  while (log2 < MAX_BITS && 2 ** log2 < patterns.length * stride * BITS_PER_ENTRY) log2++;
  const shift = 32 - log2;
  const bits = new Int32Array(2 ** (log2 - 5));
  for (const p of patterns) {
    for (let o = 0; o < stride; o++) {
      const word = p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24);
      const h = gramHash(word, shift);
      bits[h >>> 5] |= 1 << (h & 31);
    }
  }
  return { bits, shift, stride };
}
