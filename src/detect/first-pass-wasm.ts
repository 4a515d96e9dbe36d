/**
 * The first pass run by the WebAssembly kernel (first-pass.wat): the same
 * starts as TriggerTable's JavaScript loop, in the same (increasing) order.
 *
 * Each instance owns its kernel's memory: the table's flags, re-indexed for
 * little-endian 16-bit loads, then the input. A chunk is copied in pieces of
 * PIECE bytes plus the 3 bytes after (a window starting in a piece may end in
 * the next one); each piece reports the starts inside it only. One instance
 * is shared by every lane of a TriggerTable (and every scrubber with the
 * same detectors); JavaScript runs one call at a time, and a call reads its
 * results out of the memory before handing any to its sink (see sample).
 */
import { instantiateKernel } from '../bytes/wasm.js';
import { FIRST_PASS_WASM_BASE64 } from './first-pass-wasm-bytes.js';
import type { TriggerSink } from './trigger.js';

/** Bytes of the chunk per kernel call (the kernel's input area holds PIECE + 3 + 16). */
export const PIECE = 65536;
const IN = 327680;
const OUT = 65536;
const ZERO_AFTER = 16;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  sample: (n: number) => number;
}

export class WasmFirstPass {
  private readonly mem: Uint8Array;
  private readonly out: Int32Array;
  private readonly run: (n: number) => number;

  private constructor(exports: KernelExports, bigram: Uint8Array) {
    // The memory never grows (8 pages, fixed), so these views stay valid.
    this.mem = new Uint8Array(exports.memory.buffer);
    this.out = new Int32Array(exports.memory.buffer, OUT, 16384);
    this.run = exports.sample;
    // bigram[b0 << 8 | b1] (the JavaScript loop's index) -> flags[b0 | b1 << 8] (a little-endian load).
    for (let h = 0; h < 65536; h++) this.mem[((h & 0xff) << 8) | (h >>> 8)] = bigram[h];
  }

  /** A kernel over the table's bigram flags, or null (no WebAssembly: the caller keeps the JavaScript loop). */
  static create(bigram: Uint8Array): WasmFirstPass | null {
    const exports = instantiateKernel(FIRST_PASS_WASM_BASE64);
    return exports === null ? null : new WasmFirstPass(exports as unknown as KernelExports, bigram);
  }

  /**
   * Calls sink.triggerAt(p) for every start p (p + 3 < chunk.length) whose
   * three bigrams are flagged, in increasing p. Each piece's starts are read
   * out of the kernel's memory before the sink sees any of them, so a sink
   * may sample again (a warning callback that scrubs, through any scrubber
   * sharing this table): the nested call reuses the memory freely.
   */
  sample(chunk: Uint8Array, sink: TriggerSink): void {
    const mem = this.mem;
    const out = this.out;
    for (let s = 0; s < chunk.length; s += PIECE) {
      const end = Math.min(chunk.length, s + PIECE + 3);
      const n = end - s;
      mem.set(chunk.subarray(s, end), IN);
      mem.fill(0, IN + n, IN + n + ZERO_AFTER);
      const words = this.run(n);
      if (words === 0) continue; // clean text: nothing to read out
      const last = Math.min(PIECE, n - 3); // starts in this piece whose 4 bytes are all in the chunk
      const starts: number[] = [];
      for (let k = 0; k < words; k += 2) {
        const g = out[k];
        let mask = out[k + 1];
        while (mask !== 0) {
          const bit = 31 - Math.clz32(mask & -mask);
          mask &= mask - 1;
          const p = g - 2 + bit;
          if (p >= 0 && p < last) starts.push(s + p);
        }
      }
      for (const p of starts) sink.triggerAt(p);
    }
  }
}
