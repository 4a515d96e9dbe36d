/**
 * The wrapped-base64 lane's joint search run by the WebAssembly kernel
 * (wrapped-base64-joints.wat): every LF at index 18 or more of a buffer whose
 * 16 bytes before its CRs (at most two) are all base64, in increasing order.
 * That is what wrapped-base64.ts's JavaScript loop finds one line break at a
 * time, with one native search per line (161,558 of them in 16 MiB of the
 * bench log); the kernel lists a block's LFs 64 bytes at a time, then tests
 * each without a branch.
 *
 * A buffer is copied in pieces of PIECE bytes, each with the 18 bytes before
 * it (an LF's test reads back 18 bytes), and each piece reports its own LFs
 * only. One instance serves every lane of the process: JavaScript runs one
 * call at a time, and a call copies its results out before returning.
 */
import { instantiateKernel } from '../../bytes/wasm.js';
import { JOINTS_WASM_BASE64 } from './wrapped-base64-joints-wasm-bytes.js';

/** Bytes of the buffer per kernel call, besides the 18 before them. */
export const PIECE = 65536;
/** An LF's test reads this many bytes before it (16 base64 + 2 CRs); LFs before this index are the caller's. */
export const LOOK_BACK = 18;
const IN = 65536;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  joints: (n: number) => number;
}

export class JointKernel {
  private readonly mem: Uint8Array;
  private readonly out: Int32Array;
  private readonly run: (n: number) => number;

  private constructor(exports: KernelExports) {
    // The memory never grows (3 pages, fixed), so these views stay valid.
    this.mem = new Uint8Array(exports.memory.buffer);
    this.out = new Int32Array(exports.memory.buffer, 0, 4096);
    this.run = exports.joints;
  }

  /** The process's kernel, or null where WebAssembly is unavailable (the lane keeps its JavaScript loop). */
  static shared(): JointKernel | null {
    if (shared === undefined) {
      const exports = instantiateKernel(JOINTS_WASM_BASE64);
      shared = exports === null ? null : new JointKernel(exports as unknown as KernelExports);
    }
    return shared;
  }

  /**
   * Writes the indices of buf's passing LFs (see the header) to `into`, in
   * increasing order, growing it as needed; returns [the array, the count].
   */
  find(buf: Uint8Array, into: Int32Array): [Int32Array, number] {
    const mem = this.mem;
    const out = this.out;
    let count = 0;
    for (let s = 0; s < buf.length; s += PIECE) {
      const from = Math.max(0, s - LOOK_BACK);
      const end = Math.min(buf.length, s + PIECE);
      mem.set(buf.subarray(from, end), IN);
      const found = this.run(end - from);
      if (count + found > into.length) {
        const bigger = new Int32Array(Math.max(2 * into.length, count + found));
        bigger.set(into.subarray(0, count));
        into = bigger;
      }
      for (let k = 0; k < found; k++) into[count++] = from + out[k];
    }
    return [into, count];
  }
}

let shared: JointKernel | null | undefined;
