/**
 * What a detector sees of the stream, and the one shape of a detection in
 * progress (a Candidate).
 *
 * A trigger (a 4-byte window, see trigger.ts) makes a detector look at a
 * position; if the bytes around it can start a secret, the detector returns a
 * Candidate, which then reads the following bytes as they arrive and decides.
 * The lane holds back every byte from the earliest `hold` of its live
 * candidates, so a candidate can always cover what it has decided to mask.
 */

/** The stream as detectors read it (implemented by the lane). */
export interface StreamReader {
  /** Bytes [.., end) have arrived. */
  readonly arrived: number;
  /** The byte at stream position q (q < end, and not before what a live candidate keeps or 64 bytes back); -1 before the stream. */
  byteAt(q: number): number;
  /** Mask stream range [start, last] (inclusive). */
  cover(start: number, last: number, detector: number): void;
  /** The secret is stream bytes [start, stop): register it as a known secret (counts one detection). */
  found(start: number, stop: number, detector: number): void;
  /** Like found(), for a value assembled by the detector (a private-key body). */
  foundValue(value: Uint8Array, detector: number): void;
}

export abstract class Candidate {
  /** First stream position this candidate may still cover (the lane holds from here). `end` of the stream: nothing held. */
  hold = 0;
  /** First stream position this candidate may still read (the lane keeps bytes from here). */
  keep = 0;
  /** Set when a candidate finished its part and hands over (a prefix grammar to the value it introduces). */
  next: Candidate | null = null;

  /**
   * Reads the bytes that arrived since the last call. Returns false when the
   * candidate is finished (it has covered and reported, or given up).
   * `final`: the stream ended, decide with what is there.
   */
  abstract advance(r: StreamReader, final: boolean): boolean;
}

/** How many bytes before a trigger window detectors may read (the lane always keeps them). */
export const LOOKBEHIND = 64;

/** True when the bytes before `at` spell `lit` (case-insensitively if `fold`). */
export function endsWith(r: StreamReader, at: number, lit: Uint8Array, fold = false): boolean {
  const s = at - lit.length;
  if (s < 0) return false;
  for (let i = 0; i < lit.length; i++) {
    let b = r.byteAt(s + i);
    if (fold && b >= 0x41 && b <= 0x5a) b |= 0x20;
    if (b !== lit[i]) return false;
  }
  return true;
}
