/**
 * The detection lane: every enabled detector behind one first pass.
 *
 * Per chunk: live candidates read the new bytes first, then the trigger
 * windows that straddle the previous chunk's end are checked (stitch), then
 * the first pass runs over the chunk (trigger.ts) and each hit's
 * detector may start a candidate, which reads ahead at once. holdFrom is the
 * earliest `hold` of the live candidates: the session emits nothing from
 * there, so whatever a candidate decides to cover is still unemitted.
 *
 * The lane keeps its own small window of past bytes: LOOKBEHIND bytes (so a
 * trigger can check the bytes before it) and whatever a live candidate still
 * reads (`keep`: at most a committed value's REGISTER_MAX or a key body).
 * Nothing of the chunk is copied unless a candidate is live at its end.
 */
import type { Lane, LaneContext } from '../engine/lanes/lane.js';
import type { CompiledSet } from '../engine/compiled.js';
import { EMPTY, plainView } from '../bytes/index.js';
import { type Candidate, LOOKBEHIND, type StreamReader } from './candidate.js';
import { type DetectorName, DETECTOR_NAMES } from './names.js';
import { type TriggerTable, windowKey } from './trigger.js';

/** Cover labels of detectors: -1 - detector id (pattern ids are >= 0). */
export function detectorLabel(id: number): number {
  return -1 - id;
}

/** The detector a cover label names, or undefined for a pattern id. */
export function labelDetector(label: number): DetectorName | undefined {
  return label < 0 ? DETECTOR_NAMES[-1 - label] : undefined;
}

const STAR = 0x2a;

export class DetectLane implements Lane, StreamReader {
  readonly name = 'detect';
  holdFrom = Infinity;
  arrived = 0;

  private chunk: Uint8Array = EMPTY;
  private base = 0;
  /** Stream bytes [winStart, base) while scanning; [winStart, arrived) between calls. */
  private win = new Uint8Array(2 * LOOKBEHIND);
  private winStart = 0;
  private cands: Candidate[] = [];
  private ctx: LaneContext | null = null;

  constructor(
    private readonly table: TriggerTable,
    private readonly bound: number,
    /** Detectors that must hold a chunk's end before their trigger can complete (legacy OpenAI keys). */
    private readonly tails: ReadonlyArray<(r: StreamReader) => number> = [],
  ) {}

  maxHold(_set: CompiledSet): number {
    return this.bound;
  }

  scan(ctx: LaneContext): void {
    // A plain Uint8Array view keeps the first pass monomorphic (chunks arrive as Buffers and Uint8Arrays).
    const chunk = plainView(ctx.chunk);
    if (chunk.length === 0) return;
    if (ctx.base !== this.arrived) throw new Error(`scrub-filter: detect lane out of step (at ${this.arrived}, got ${ctx.base})`);
    this.ctx = ctx;
    this.chunk = chunk;
    this.base = ctx.base;
    this.arrived = ctx.base + chunk.length;
    try {
      this.advanceAll(false);
      // Windows starting in the last 3 bytes before this chunk (their 4th byte is here).
      const from = Math.max(0, this.base - 3);
      for (let p = from; p < this.base && p + 3 < this.arrived; p++) this.checkAt(p);
      this.table.sample(chunk, this);
      this.settle();
    } finally {
      this.ctx = null;
      this.chunk = EMPTY;
    }
  }

  /** Detectors do not read the compiled set: their state survives an add unchanged. */
  rebind(_ctx: LaneContext): void {}

  end(ctx: LaneContext): void {
    this.ctx = ctx;
    this.chunk = EMPTY;
    this.base = this.arrived;
    try {
      this.advanceAll(true);
      this.holdFrom = Infinity;
    } finally {
      this.ctx = null;
    }
  }

  // --- StreamReader (what candidates see) ---

  byteAt(q: number): number {
    if (q >= this.base) return this.chunk[q - this.base];
    if (q < 0) return -1;
    const i = q - this.winStart;
    if (i < 0) throw new Error('scrub-filter: detector read a byte the lane did not keep');
    return this.win[i];
  }

  cover(start: number, last: number, detector: number): void {
    this.ctx!.cover(start, last, detectorLabel(detector));
  }

  found(start: number, stop: number, detector: number): void {
    const value = new Uint8Array(stop - start);
    for (let q = start; q < stop; q++) value[q - start] = this.byteAt(q);
    this.foundValue(value, detector);
  }

  foundValue(value: Uint8Array, detector: number): void {
    // A value that is all mask characters was masked upstream already: nothing to learn.
    let stars = 0;
    while (stars < value.length && value[stars] === STAR) stars++;
    if (value.length === 0 || stars === value.length) return;
    this.ctx!.register(value, DETECTOR_NAMES[detector]);
  }

  // --- internals ---

  private advanceAll(final: boolean): void {
    const live = this.cands;
    let n = 0;
    for (let i = 0; i < live.length; i++) {
      const c = this.run(live[i], final);
      if (c !== null) live[n++] = c;
    }
    live.length = n;
  }

  /** Advances a candidate (and what it hands over to); returns the one still alive, if any. */
  private run(c: Candidate | null, final: boolean): Candidate | null {
    while (c !== null) {
      if (c.advance(this, final)) return c;
      const next: Candidate | null = c.next;
      c.next = null;
      c = next;
    }
    return null;
  }

  /** The first pass found a window starting at chunk index i. */
  triggerAt(i: number): void {
    const c = this.chunk;
    this.checkWindow(this.base + i, windowKey(c[i], c[i + 1], c[i + 2], c[i + 3]));
  }

  private checkAt(p: number): void {
    this.checkWindow(p, windowKey(this.byteAt(p), this.byteAt(p + 1), this.byteAt(p + 2), this.byteAt(p + 3)));
  }

  private checkWindow(p: number, key: number): void {
    const handlers = this.table.handlers(key);
    if (handlers === undefined) return;
    for (const h of handlers) {
      const alive = this.run(h(this, p), false);
      if (alive !== null) this.cands.push(alive);
    }
  }

  /** After a chunk: holdFrom, and the window of bytes kept for the next one. */
  private settle(): void {
    let hold = Infinity;
    let keep = this.arrived - LOOKBEHIND;
    for (const c of this.cands) {
      if (c.hold < hold) hold = c.hold;
      if (c.keep < keep) keep = c.keep;
    }
    for (const tail of this.tails) {
      const h = tail(this);
      if (h < hold) hold = h;
    }
    this.holdFrom = hold;
    if (keep < 0) keep = 0;
    const need = this.arrived - keep;
    const chunk = this.chunk;
    if (keep >= this.base) {
      if (this.win.length < need) this.win = new Uint8Array(2 * need);
      this.win.set(chunk.subarray(keep - this.base), 0);
    } else {
      if (keep < this.winStart) throw new Error('scrub-filter: detect lane lost bytes a candidate keeps');
      const off = keep - this.winStart;
      const old = this.base - keep; // bytes of the old window still needed
      if (this.win.length < need) {
        const bigger = new Uint8Array(2 * need);
        bigger.set(this.win.subarray(off, off + old), 0);
        this.win = bigger;
      } else this.win.copyWithin(0, off, off + old);
      this.win.set(chunk, old);
    }
    this.winStart = keep;
  }
}
