/**
 * The skip filter: lets the scan jump `stride` bytes at a time through text
 * that cannot contain a pattern, instead of stepping the automaton per byte.
 *
 * Every pattern is at least `stride + GRAM - 1` bytes long. An occurrence
 * starting at p contains exactly one sample position j = p + o with
 * 0 <= o < stride (samples are `stride` apart), and the GRAM bytes at j are
 * the pattern's bytes at offset o. So we put into the filter each pattern's
 * GRAM-byte substrings at offsets 0..stride-1; a sample the filter does not
 * hold proves that no occurrence starts in the `stride` positions ending at
 * it. A hit (a real start or a collision) sends the scan back to the exact
 * automaton from stride-1 bytes before the sample.
 *
 * The filter is a blocked Bloom filter with three bits per entry, all in
 * one 32-bit word: the hash's top bits pick the word, a second multiply of
 * the hash the three bits (see probe). An entry sets all three, so a gram
 * that was put in always finds them set; any other gram hits only if all
 * three happen to be set. One word read per sample, as with one bit, but at
 * half the memory the false hits fall from 1.7 % to 0.37 % of samples on
 * the bench log (1,000 secrets; with their variants, four times the
 * patterns, 1.4 % at 512 KiB becomes 0.29 % at 256 KiB), and the smaller
 * bitset stays in L2. (Two bits, taken from the hash below the word index:
 * 0.85 % and 0.69 %, and the scan about 1.08 times slower than with three.)
 */

/** Bytes hashed per sample (read as one little-endian 32-bit word). */
export const GRAM = 4;
const MAX_STRIDE = 32;
const MIN_STRIDE = 2;
const MIN_BITS = 18; // 32 KiB: small sets get a near-empty filter (few false hits) that still sits in cache
const MAX_BITS = 25; // 4 MiB of bitset at most
/** Bits per filter entry we aim for: 16, three set per entry (1.1 % false hits on random grams, 0.37 % measured on the bench log). */
const BITS_PER_ENTRY = 16;
/** Fewest bits per entry before we shorten the stride instead (2 % false hits on random grams). */
const MIN_BITS_PER_ENTRY = 12;

export interface GramFilter {
  bits: Int32Array;
  /** 32 - log2(word count): hash >>> shift is the word index (see probe). */
  shift: number;
  stride: number;
}

/** The sample's hash: its top bits pick the filter word (hash >>> shift), probe the bits in it. */
export function gramHash(word: number): number {
  return Math.imul(word, 0x9e3779b1);
}

/**
 * The three bits of hash h within its word (bits[h >>> shift]): the top 15
 * bits of a second multiply, which mixes every bit of h into them (the bits
 * of h below the word index depend on the gram's first bytes only).
 */
export function probe(h: number): number {
  const g = Math.imul(h, 0x85ebca6b);
  return (1 << (g >>> 27)) | (1 << ((g >>> 22) & 31)) | (1 << ((g >>> 17) & 31));
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
  const shift = 32 - (log2 - 5);
  const bits = new Int32Array(2 ** (log2 - 5));
  for (const p of patterns) {
    for (let o = 0; o < stride; o++) {
      const h = gramHash(p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24));
      bits[h >>> shift] |= probe(h);
    }
  }
  return { bits, shift, stride };
}
