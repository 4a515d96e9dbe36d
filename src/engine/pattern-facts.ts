/**
 * What lanes may ask about the registered patterns without scanning: which
 * bytes and which 4-byte grams occur in some pattern, and the shortest
 * pattern. Recorded at add(), before the next compile, so the facts can only
 * over-approximate the compiled set: a "no" is always true.
 */
const GRAM_BITS = 24; // 2^24 bits (2 MiB): ~1.5% false "yes" at 250k distinct grams

export class PatternFacts {
  /** bytes[b] = 1: byte b occurs in some pattern. */
  readonly bytes = new Uint8Array(256);
  /** Length of the shortest pattern (Infinity: none yet). */
  minLength = Infinity;
  private readonly grams: Uint8Array | null;

  /** `withGrams`: also keep the 4-gram set (only the wrapped-base64 lane asks; it costs 2 MiB). */
  constructor(withGrams: boolean) {
    this.grams = withGrams ? new Uint8Array(1 << (GRAM_BITS - 3)) : null;
  }

  add(p: Uint8Array): void {
    if (p.length < this.minLength) this.minLength = p.length;
    for (let i = 0; i < p.length; i++) this.bytes[p[i]] = 1;
    const g = this.grams;
    if (g === null) return;
    for (let i = 0; i + 4 <= p.length; i++) {
      const h = gramHash(p[i], p[i + 1], p[i + 2], p[i + 3]);
      g[h >>> 3] |= 1 << (h & 7);
    }
  }

  /** Could b0 b1 b2 b3 occur inside some pattern? Always true when grams are not kept. */
  mayHaveGram(b0: number, b1: number, b2: number, b3: number): boolean {
    const g = this.grams;
    if (g === null) return true;
    const h = gramHash(b0, b1, b2, b3);
    return (g[h >>> 3] & (1 << (h & 7))) !== 0;
  }
}

function gramHash(b0: number, b1: number, b2: number, b3: number): number {
  return Math.imul(b0 | (b1 << 8) | (b2 << 16) | (b3 << 24), 0x9e3779b1) >>> (32 - GRAM_BITS);
}
