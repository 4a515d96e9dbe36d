/**
 * The first pass run by the WebAssembly kernel (first-pass.wat): exactly the
 * starts of trigger windows, in increasing order.
 *
 * Each instance owns its kernel's memory: the filter's nibble tables (from
 * the buckets of buckets.ts), the hash of the windows' keys, then the input.
 * A chunk is copied in pieces of PIECE bytes plus the 3 bytes after (a
 * window starting in a piece may end in the next one); each piece reports
 * the starts inside it only. One instance is shared by every lane of a
 * TriggerTable (and every scrubber with the same detectors); JavaScript runs
 * one call at a time, and a call reads its results out of the memory before
 * handing any to its sink (see sample).
 */
import { instantiateKernel } from '../bytes/wasm.js';
import { bucketsFor } from './buckets.js';
import { FIRST_PASS_WASM_BASE64 } from './first-pass-wasm-bytes.js';
import type { TriggerSink } from './trigger.js';

/** Bytes of the chunk per kernel call. */
export const PIECE = 65536;
/** The most windows the kernel's hash holds (4,096 slots: at most half full, so probes stay short). */
export const MAX_KERNEL_WINDOWS = 2048;
const HASH = 1024;
const HASH_SLOTS = 4096;
const OUT = 32768;
const IN = 131072;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  sample: (n: number) => number;
}

/** The hash slot where the kernel starts looking for little-endian key `key` (first-pass.wat). */
export function firstSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 20;
}

export class WasmFirstPass {
  private readonly mem: Uint8Array;
  private readonly out: Int32Array;
  private readonly run: (n: number) => number;

  private constructor(exports: KernelExports, windows: readonly Uint8Array[]) {
    // The memory never grows (4 pages, fixed), so these views stay valid.
    const buffer = exports.memory.buffer;
    this.mem = new Uint8Array(buffer);
    this.out = new Int32Array(buffer, OUT, 2 * (PIECE / 16 + 1));
    this.run = exports.sample;
    const bucket = bucketsFor(windows);
    const hash = new Int32Array(buffer, HASH, HASH_SLOTS);
    windows.forEach((w, i) => {
      // The kernel's tables hold 8 buckets, one bit each: a larger bucket would drop the window from stage 1.
      if (bucket[i] > 7) throw new Error(`scrub-filter: internal error: first-pass bucket ${bucket[i]} out of range`);
      const bit = 1 << bucket[i];
      for (let o = 0; o < 4; o++) {
        this.mem[32 * o + (w[o] & 15)] |= bit;
        this.mem[32 * o + 16 + (w[o] >> 4)] |= bit;
      }
      const key = w[0] | (w[1] << 8) | (w[2] << 16) | (w[3] << 24);
      let h = firstSlot(key);
      while (hash[h] !== 0 && hash[h] !== key) h = (h + 1) & (HASH_SLOTS - 1);
      hash[h] = key;
    });
  }

  /**
   * A kernel for these windows (distinct, 4 bytes, none with a zero byte;
   * at most MAX_KERNEL_WINDOWS), or null (no WebAssembly: the caller keeps
   * the JavaScript loop).
   */
  static create(windows: readonly Uint8Array[]): WasmFirstPass | null {
    if (windows.length > MAX_KERNEL_WINDOWS) throw new Error(`the first-pass kernel holds at most ${MAX_KERNEL_WINDOWS} windows, got ${windows.length}`);
    const exports = instantiateKernel(FIRST_PASS_WASM_BASE64);
    return exports === null ? null : new WasmFirstPass(exports as unknown as KernelExports, windows);
  }

  /**
   * Calls sink.triggerAt(p) for every start p of a window (p + 3 <
   * chunk.length), in increasing p. Each piece's starts are read out of the
   * kernel's memory before the sink sees any of them, so a sink may sample
   * again (a warning callback that scrubs, through any scrubber sharing this
   * table): the nested call reuses the memory freely.
   */
  sample(chunk: Uint8Array, sink: TriggerSink): void {
    const mem = this.mem;
    const out = this.out;
    for (let s = 0; s < chunk.length; s += PIECE) {
      const end = Math.min(chunk.length, s + PIECE + 3);
      const n = end - s;
      mem.set(chunk.subarray(s, end), IN);
      const words = this.run(n);
      if (words === 0) continue; // nothing here: the common case
      // Starts in this piece whose 4 bytes are all in it (the kernel may report one that reads past it; those after PIECE are the next piece's).
      const last = Math.min(PIECE, n - 3);
      const starts: number[] = [];
      for (let k = 0; k < words; k += 2) {
        const g = out[k];
        let mask = out[k + 1];
        while (mask !== 0) {
          const p = g + 31 - Math.clz32(mask & -mask);
          mask &= mask - 1;
          if (p < last) starts.push(s + p);
        }
      }
      for (const p of starts) sink.triggerAt(p);
    }
  }
}
