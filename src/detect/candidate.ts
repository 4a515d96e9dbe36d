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

import { HEX_VALUE } from '../bytes/index.js';
import { ALNUM } from './bytes.js';

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

const BACKSLASH = 0x5c;
const PERCENT = 0x25;

/**
 * Can a token start at `at`? It must not continue a word or blob: the byte
 * before it is no letter or digit. An escape ending there counts as the
 * break it encodes: JSON's and C's
 * `\n` `\r` `\t` (a line break inside a JSON log line: `"msg":"a\nghp_…"`),
 * and a percent-encoded byte that is no letter or digit (`%20`, `%3D`: a
 * URL-encoded form or redirect). `word`: the bytes a token may not follow
 * (letters and digits; header names: letters). Reads at most 3 bytes back.
 */
export function tokenBoundary(r: StreamReader, at: number, word: Uint8Array = ALNUM): boolean {
  const b = r.byteAt(at - 1);
  if (b < 0 || word[b] !== 1) return true;
  if ((b === 0x6e || b === 0x72 || b === 0x74) && r.byteAt(at - 2) === BACKSLASH) return true;
  if (r.byteAt(at - 3) !== PERCENT) return false;
  const hi = HEX_VALUE[r.byteAt(at - 2)]; // a byte: the % before it is in the stream
  const lo = HEX_VALUE[b];
  return hi >= 0 && lo >= 0 && word[hi * 16 + lo] !== 1;
}
