/**
 * The Lane contract: every view of the stream besides the exact-pattern scan.
 *
 * A lane reads the stream's bytes (chunk by chunk, absolute positions),
 * reports the stream ranges it wants masked and declares what it must hold
 * back. Two kinds exist:
 *   - decoded views (wrapped base64, percent-encoding, HTML/XML entities): the
 *     lane runs the compiled automata over a transformed view of the bytes and
 *     maps matches back to stream positions;
 *   - detectors (private keys, provider tokens, credentials in context): the
 *     lane recognises a secret by its structure, covers it and registers it so
 *     that its other renderings are masked too.
 * The session treats every lane the same way (see session.ts): it scans the
 * chunk with the automata, then with each lane, unions all covered ranges, and
 * emits up to min(automata's decided limit, every lane's holdFrom).
 *
 * Contract (the session checks what it can and fails closed otherwise):
 *   - `cover` ranges are inclusive [start, end] stream positions; a range may
 *     start before the chunk but never before the lane's previous holdFrom,
 *     except during `rebind` (the session clips those to what is unemitted);
 *   - after `scan`, `absEnd - holdFrom <= maxHold(set)`, and the session keeps
 *     at least that many bytes of history, so a held byte is always readable;
 *   - `rebind` is called when the compiled set changed: the lane rebuilds its
 *     state from the history the session kept (it never just resets), so a
 *     match in progress survives an add.
 */
import type { CompiledSet } from '../compiled.js';

/** What a lane sees during one call. */
export interface LaneContext {
  /** The bytes to read now: stream range [base, base + chunk.length). */
  readonly chunk: Uint8Array;
  readonly base: number;
  /** The compiled automata (decoded views run them; detectors ignore them). */
  readonly set: CompiledSet;
  /** First stream position still kept by the session (history covers [historyStart, base)). */
  readonly historyStart: number;
  /** Stream bytes [from, to) before `base`; throws if not kept. May be a view: copy to keep. */
  history(from: number, to: number): Uint8Array;
  /** Mask stream range [start, end] (inclusive). `label` names it in stats: a pattern id, or a detector tag. */
  cover(start: number, end: number, label: number): void;
  /** A detector found a secret nobody registered: add it to the scrubber (all renderings, all streams). */
  register(value: Uint8Array, detector: string): void;
}

export interface Lane {
  /** Stable name, used in options, stats and errors (`wrapped-base64`, `percent`, `private-key`...). */
  readonly name: string;
  /** Upper bound on the bytes this lane may hold back with this compiled set. */
  maxHold(set: CompiledSet): number;
  /** Reads ctx.chunk (the next bytes of the stream). */
  scan(ctx: LaneContext): void;
  /** After scan: the first stream position the lane still needs held back (Infinity: none). */
  readonly holdFrom: number;
  /**
   * The compiled set changed. ctx.chunk is the whole kept history
   * ([historyStart, absEnd)); rebuild the lane's state from it and cover any
   * match found there (the session keeps only the unemitted part).
   */
  rebind(ctx: LaneContext): void;
  /** End of the stream: cover whatever is decided now (ctx.chunk is empty). */
  end(ctx: LaneContext): void;
}
