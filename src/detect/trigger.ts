/**
 * The first pass: find every position where a 4-byte trigger window starts,
 * without stepping an automaton over every byte. Its result is exact: the
 * starts p (p + 3 < chunk length) whose 4 bytes are some window, each once,
 * in increasing order.
 *
 * Two implementations. Where WebAssembly exists (always, in Node), a SIMD
 * kernel (first-pass.wat) filters 16 positions at a time by the windows'
 * nibbles and looks each passing one up exactly. The JavaScript fallback
 * samples bigrams: each window's three bigrams are flagged in a 64 K table
 * (bit k: "some window has this bigram at offset k"); the loop reads one
 * bigram every 3 bytes, and a window starting at p contains the bigram at
 * exactly one sample position i in [p, p + 2], so a clear entry proves no
 * window starts at i, i - 1 or i - 2, and a set bit k names the one start
 * (i - k) to look up. The short triggers (`ghp_`, `AKIA`) live here and
 * never touch the exact-pattern automaton and its 4-gram skip filter.
 *
 * Every start p is checked exactly once, when its 4 bytes have all arrived:
 * starts inside a chunk by sample, the (at most 3) starts that straddle the
 * previous chunk's end by the lane's `stitch`.
 */
import type { Candidate, StreamReader } from './candidate.js';
import { WasmFirstPass } from './first-pass-wasm.js';

export type OnHit = (r: StreamReader, p: number) => Candidate | null;

export interface Trigger {
  /** Exactly 4 latin1 bytes. */
  readonly window: string;
  readonly onHit: OnHit;
}

/** Every 4-byte window `a + x` for each byte x of `set` (a latin1 string). */
export function windowsWith(prefix3: string, set: Uint8Array): string[] {
  const out: string[] = [];
  for (let b = 0; b < 256; b++) if (set[b] === 1) out.push(prefix3 + String.fromCharCode(b));
  return out;
}

/** Every 4-byte window `x + a` for each byte x of `set`. */
export function windowsBefore(set: Uint8Array, suffix3: string): string[] {
  const out: string[] = [];
  for (let b = 0; b < 256; b++) if (set[b] === 1) out.push(String.fromCharCode(b) + suffix3);
  return out;
}

/** Every upper/lower-case spelling of `s` (short ASCII strings only). */
export function caseVariants(s: string): string[] {
  let out = [''];
  for (const ch of s) {
    const l = ch.toLowerCase();
    const u = ch.toUpperCase();
    out = out.flatMap((p) => (l === u ? [p + ch] : [p + l, p + u]));
  }
  return out;
}

/** A window's key: its 4 bytes, big-endian, as the table's map holds them. */
export function windowKey(b0: number, b1: number, b2: number, b3: number): number {
  return ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

export class TriggerTable {
  /** The JavaScript loop's filter: bigram (b0 << 8 | b1) -> bit k set when some window has it at offset k. */
  readonly bigram = new Uint8Array(65536);
  private readonly hits = new Map<number, OnHit[]>();
  /** The same result as sampleJs, by the WebAssembly kernel (null: not available, or not wanted). */
  private readonly kernel: WasmFirstPass | null;

  /** `wasm: false`: always the JavaScript loop (tests compare the two). */
  constructor(triggers: readonly Trigger[], opts: { wasm?: boolean } = {}) {
    const windows: Uint8Array[] = [];
    for (const t of triggers) {
      const w = t.window;
      if (w.length !== 4) throw new Error(`trigger window must be 4 bytes: ${JSON.stringify(w)}`);
      const c = [0, 1, 2, 3].map((i) => w.charCodeAt(i) & 0xff);
      // The kernel's hash marks an empty slot with key 0: a window without a zero byte never has that key.
      if (c.includes(0)) throw new Error(`trigger window must not contain a zero byte: ${JSON.stringify(w)}`);
      for (let k = 0; k < 3; k++) this.bigram[(c[k] << 8) | c[k + 1]] |= 1 << k;
      const key = windowKey(c[0], c[1], c[2], c[3]);
      const list = this.hits.get(key);
      if (list) list.push(t.onHit);
      else {
        this.hits.set(key, [t.onHit]);
        windows.push(Uint8Array.from(c));
      }
    }
    this.kernel = opts.wasm === false ? null : WasmFirstPass.create(windows);
  }

  /** Which implementation sample() runs. */
  get engine(): 'wasm' | 'js' {
    return this.kernel === null ? 'js' : 'wasm';
  }

  get windowCount(): number {
    return this.hits.size;
  }

  /** The handlers of the window whose 4 bytes (big-endian) are `key`, if any. */
  handlers(key: number): OnHit[] | undefined {
    return this.hits.get(key >>> 0);
  }

  /**
   * Calls `lane.triggerAt(p)`, in increasing p, for each chunk index p (0 <=
   * p, p + 3 < chunk.length) where a window starts.
   */
  sample(chunk: Uint8Array, lane: TriggerSink): void {
    if (this.kernel !== null) this.kernel.sample(chunk, lane);
    else this.sampleJs(chunk, lane);
  }

  /** sample() in JavaScript: the fallback, and the kernel's reference in the tests. */
  sampleJs(chunk: Uint8Array, lane: TriggerSink): void {
    const bg = this.bigram;
    const c = chunk;
    const n = c.length;
    let i = 0;
    // Four samples per test: clean text takes one branch per 12 bytes (measured 1.6x the one-sample loop).
    for (; i + 10 < n; i += 12) {
      const f0 = bg[(c[i] << 8) | c[i + 1]];
      const f1 = bg[(c[i + 3] << 8) | c[i + 4]];
      const f2 = bg[(c[i + 6] << 8) | c[i + 7]];
      const f3 = bg[(c[i + 9] << 8) | c[i + 10]];
      if ((f0 | f1 | f2 | f3) === 0) continue;
      if (f0 !== 0) this.windowsAt(c, i, f0, lane);
      if (f1 !== 0) this.windowsAt(c, i + 3, f1, lane);
      if (f2 !== 0) this.windowsAt(c, i + 6, f2, lane);
      if (f3 !== 0) this.windowsAt(c, i + 9, f3, lane);
    }
    for (; i + 1 < n; i += 3) {
      const f = bg[(c[i] << 8) | c[i + 1]];
      if (f !== 0) this.windowsAt(c, i, f, lane);
    }
  }

  /**
   * Sample i has flags f (its bigram is flagged at window offset 0, 1 or 2):
   * the windows at i, i - 1 and i - 2 whose other two bigrams are flagged at
   * their offsets too, then whose 4 bytes are a window. Common bigrams
   * (`re`, `ap`) are flagged, so this runs for ~6% of samples and nearly
   * always finds nothing: the neighbours' flags are combined without
   * branches, and only a window found takes one. A bigram reaching outside
   * the chunk counts as unflagged: a window must lie inside it (stitch
   * checks those that straddle chunks).
   */
  private windowsAt(c: Uint8Array, i: number, f: number, lane: TriggerSink): void {
    const bg = this.bigram;
    const before2 = i >= 2 ? bg[(c[i - 2] << 8) | c[i - 1]] : 0;
    const before1 = i >= 1 ? bg[(c[i - 1] << 8) | c[i]] : 0;
    const n = c.length;
    const after1 = i + 2 < n ? bg[(c[i + 1] << 8) | c[i + 2]] : 0;
    const after2 = i + 3 < n ? bg[(c[i + 2] << 8) | c[i + 3]] : 0;
    const at2 = before2 & (before1 >> 1) & (f >> 2) & 1; // window at i - 2: sample is its offset 2
    const at1 = before1 & (f >> 1) & (after1 >> 2) & 1; // at i - 1: offset 1
    const at0 = f & (after1 >> 1) & (after2 >> 2) & 1; // at i: offset 0
    if ((at2 | at1 | at0) === 0) return;
    if (at2 !== 0) this.exactAt(c, i - 2, lane);
    if (at1 !== 0) this.exactAt(c, i - 1, lane);
    if (at0 !== 0) this.exactAt(c, i, lane);
  }

  private exactAt(c: Uint8Array, p: number, lane: TriggerSink): void {
    if (this.hits.has(windowKey(c[p], c[p + 1], c[p + 2], c[p + 3]))) lane.triggerAt(p);
  }
}

/** Receives the chunk indexes where a window starts. */
export interface TriggerSink {
  triggerAt(i: number): void;
}
