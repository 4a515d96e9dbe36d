/**
 * Drives a detection lane the way the session does, with a fake LaneContext:
 * after each chunk, bytes before min(absEnd, holdFrom) are emitted, a maximal
 * covered run as one mask (touching runs merge). Checks the lane's contract
 * on the way: no cover reaches back into emitted bytes, holdback within
 * maxHold.
 */
import type { LaneContext } from '../../src/engine/lanes/lane.js';
import type { CompiledSet } from '../../src/engine/compiled.js';
import { createDetectLane, type DetectorName, DETECTOR_NAMES, labelDetector } from '../../src/detect/index.js';

const FAKE_SET: CompiledSet = { automata: [], patternLength: new Int32Array(0), maxPatternLength: 0 };
export const MASK = '***';

export interface LaneRun {
  output: Buffer;
  /** [detector, value] per register() call, in order. */
  registered: Array<[string, string]>;
  /** Covered ranges (inclusive), as reported. */
  covers: Array<[number, number, string]>;
  /** Largest absEnd - holdFrom seen after a scan. */
  maxHeld: number;
  bound: number;
}

export function runLane(chunks: readonly Uint8Array[], names: readonly DetectorName[] = DETECTOR_NAMES): LaneRun {
  const lane = createDetectLane(new Set(names));
  if (!lane) throw new Error('no lane');
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(total);
  const covered = new Uint8Array(total);
  const out: number[] = [];
  const registered: Array<[string, string]> = [];
  const covers: Array<[number, number, string]> = [];
  let frontier = 0;
  let runOpen = false;
  let absEnd = 0;
  let maxHeld = 0;
  const bound = lane.maxHold(FAKE_SET);

  const ctxFor = (chunk: Uint8Array, base: number): LaneContext => ({
    chunk,
    base,
    set: FAKE_SET,
    historyStart: 0,
    history: (from, to) => all.subarray(from, to),
    cover(start, end, label) {
      if (!(start <= end)) throw new Error(`empty cover ${start}..${end}`);
      if (start < frontier) throw new Error(`cover ${start}..${end} reaches into emitted bytes (frontier ${frontier})`);
      if (end >= absEnd) throw new Error(`cover ${start}..${end} beyond arrived bytes (${absEnd})`);
      const name = labelDetector(label);
      if (name === undefined) throw new Error(`label ${label} is no detector`);
      covers.push([start, end, name]);
      for (let q = start; q <= end; q++) covered[q] = 1;
    },
    register(value, detector) {
      registered.push([detector, Buffer.from(value).toString('latin1')]);
    },
  });
  const emitTo = (limit: number) => {
    for (; frontier < limit; frontier++) {
      if (covered[frontier]) {
        if (!runOpen) for (const c of MASK) out.push(c.charCodeAt(0));
        runOpen = true;
      } else {
        out.push(all[frontier]);
        runOpen = false;
      }
    }
  };
  for (const chunk of chunks) {
    all.set(chunk, absEnd);
    const base = absEnd;
    absEnd += chunk.length;
    lane.scan(ctxFor(chunk, base));
    const hold = lane.holdFrom;
    if (Number.isFinite(hold) && absEnd - hold > maxHeld) maxHeld = absEnd - hold;
    emitTo(Math.min(absEnd, hold));
  }
  lane.end(ctxFor(new Uint8Array(0), absEnd));
  emitTo(absEnd);
  return { output: Buffer.from(out), registered, covers, maxHeld, bound };
}

export function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** One-shot scrub of a string through the lane. */
export function scrubOnce(s: string, names?: readonly DetectorName[]): string {
  return runLane([latin1Bytes(s)], names).output.toString('latin1');
}

/** The same input, one byte per write. */
export function scrubBytewise(s: string, names?: readonly DetectorName[]): string {
  const b = latin1Bytes(s);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < b.length; i++) chunks.push(b.subarray(i, i + 1));
  return runLane(chunks, names).output.toString('latin1');
}
