/**
 * A decoded view of the stream, scanned with the compiled automata.
 *
 * A *decoder* (one per encoding: wrapped base64, percent, entities) describes
 * the view as a series of *edits*: a stream range replaced by view bytes
 * (`%41` -> `A`, a line break between base64 lines -> nothing). Everything
 * else is the same in the view as in the stream, so a match that spans no
 * edit is the exact scan's business; this lane only has to find the matches
 * that span an edit, and it only runs where edits are.
 *
 * Idle: the lane asks the decoder for the next place an edit could start
 * (a native byte search: `%`, `&`, LF) and costs nothing else.
 *
 * Active: at an edit, the lane enters the view. Its automaton states at the
 * edit are the states after the last (maxLen - 1) view bytes before it, and
 * those bytes are plain stream bytes (see "idle again"), so the lane scans
 * them from the root; a match spanning the edit starts no earlier. It then
 * scans every view byte (plain runs straight from the chunk, edits from the
 * decoder's output), maps each match back to stream positions across the
 * edits, and covers the whole stream range, edits included.
 *
 * Idle again: once maxLen view bytes have passed with no edit, the last
 * maxLen view bytes are plain stream bytes, so no future match can span an
 * edit already seen, and the exact scan's holdback covers any pattern prefix
 * the view has pending (it sees the same bytes). The lane stops.
 *
 * Holdback: while active, the stream position of the first of the last
 * `depth` view bytes (depth = the deepest automaton state: a match may still
 * start there), and the start of an edit the chunk ended inside (carried to
 * the next chunk). Bounded by decoder.maxHold(maxLen).
 *
 * Rebind (the compiled set changed): the lane starts afresh at the start of
 * the kept history and replays it with the new automata, so a block or an
 * escape run in progress, and a match that began before the add, are found
 * again; nothing the old automata knew is lost because the replay rebuilds
 * it. Before the history starts the lane knows nothing; decoders treat
 * unknown bytes conservatively (see `peek`).
 */
import { concatBytes, EMPTY } from '../../bytes/index.js';
import { type Automaton, MatchSink, ROOT_STATE } from '../../matcher/index.js';
import type { CompiledSet } from '../compiled.js';
import type { PatternFacts } from '../pattern-facts.js';
import type { Lane, LaneContext } from './lane.js';

/** What a decoder says about a possible edit. */
export const enum Parse {
  /** Not an edit: the byte is plain. */
  None = 0,
  /** An edit: stream bytes [at, out.end) become out.bytes[0, out.length). */
  Edit = 1,
  /** Cannot tell before more bytes arrive (the buffer ended inside a possible edit). */
  Incomplete = 2,
}

/** A decoder's answer for one edit. */
export class EditOut {
  /** Index in the buffer just after the edit. */
  end = 0;
  /** The view bytes (a scratch buffer of the decoder's; valid until the next parse). */
  bytes: Uint8Array = EMPTY;
  length = 0;
}

/**
 * Stream byte at an absolute position before the current buffer: the byte,
 * -1 before the start of the stream, -2 if the session no longer keeps it.
 */
export type Peek = (pos: number) => number;
export const BEFORE_STREAM = -1;
export const UNKNOWN_BYTE = -2;

export interface ViewDecoder {
  /** The lane's name (options, stats, errors). */
  readonly name: string;
  /** Longest edit in stream bytes (what an incomplete edit can carry). */
  readonly maxEditBytes: number;
  /** Upper bound on the stream bytes spanned by `viewBytes` view bytes (with the carried edit). */
  maxHold(viewBytes: number): number;
  /**
   * Optional: does this view find nothing another lane does not find anyway,
   * given the patterns (e.g. `+` read as a space when no pattern has a
   * space)? Then the lane skips its scans. Asked at every scan.
   */
  redundant?(facts: PatternFacts): boolean;
  /**
   * Optional: can no match span the edit buf[at, end), judging by the view
   * bytes around it (false when unsure)? Asked only while the lane is idle.
   */
  unspannable?(buf: Uint8Array, at: number, end: number, facts: PatternFacts): boolean;
  /** A new buffer is about to be searched (drop anything cached about the previous one). */
  startBuffer?(): void;
  /** Index of the first position in buf[from, to) where an edit may start, or -1. */
  findTrigger(buf: Uint8Array, from: number, to: number): number;
  /**
   * Is there an edit at buf[at] (a position findTrigger returned)? buf[0] is
   * stream position bufBase. `final`: the stream ends at `to` (never answer
   * Incomplete then).
   */
  parse(buf: Uint8Array, at: number, to: number, bufBase: number, peek: Peek, final: boolean, out: EditOut): Parse;
}

/** Edits of the active stretch, for mapping view offsets back to the stream. */
class EditLog {
  viewStart: number[] = [];
  viewLen: number[] = [];
  streamStart: number[] = [];
  streamEnd: number[] = [];
  head = 0;
  count = 0;

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  push(viewStart: number, viewLen: number, streamStart: number, streamEnd: number): void {
    const k = this.count++;
    this.viewStart[k] = viewStart;
    this.viewLen[k] = viewLen;
    this.streamStart[k] = streamStart;
    this.streamEnd[k] = streamEnd;
  }

  /** Forgets edits no view offset >= `floor` maps through (keeps the last one before it). */
  dropBefore(floor: number): void {
    while (this.count - this.head >= 2 && this.viewStart[this.head + 1] <= floor) this.head++;
    if (this.head > 64 && this.head * 2 > this.count) {
      const n = this.count - this.head;
      for (let i = 0; i < n; i++) {
        this.viewStart[i] = this.viewStart[this.head + i];
        this.viewLen[i] = this.viewLen[this.head + i];
        this.streamStart[i] = this.streamStart[this.head + i];
        this.streamEnd[i] = this.streamEnd[this.head + i];
      }
      this.head = 0;
      this.count = n;
    }
  }

  /**
   * Stream position of view offset `v`: for a plain byte, itself; for a byte
   * an edit produced, the edit's first stream byte (`last` false) or its last
   * (`last` true), so a mapped match covers the whole edit.
   */
  toStream(v: number, last: boolean): number {
    let k = this.count - 1;
    while (k > this.head && this.viewStart[k] > v) k--;
    const viewEnd = this.viewStart[k] + this.viewLen[k];
    if (v < viewEnd) return last ? this.streamEnd[k] - 1 : this.streamStart[k];
    return this.streamEnd[k] + (v - viewEnd);
  }
}

export class ViewLane implements Lane {
  readonly name: string;
  private readonly decoder: ViewDecoder;
  private automata: readonly Automaton[] = [];
  private patternLength: Int32Array = new Int32Array(0);
  private facts: PatternFacts | null = null;
  private maxLen = 0;
  private states: number[] = [];
  private readonly sink = new MatchSink();
  private readonly edit = new EditOut();
  private readonly log = new EditLog();

  private active = false;
  /** View bytes scanned in this active stretch (view offsets count from 0 at entry). */
  private view = 0;
  /** View offset just after the last edit (the lane goes idle maxLen view bytes later). */
  private lastEditEnd = 0;
  /** Bytes of an edit the previous buffer ended inside, from stream position carryStart. */
  private carry: Uint8Array = EMPTY;
  private carryStart = 0;
  /** Replay after a rebind: bytes before the history are unknown, not absent. */
  private historyStart = 0;
  /** Entry windows start no earlier (the view's state depends on nothing before it). */
  private floor = 0;
  private ctx: LaneContext | null = null;

  holdFrom = Infinity;

  constructor(decoder: ViewDecoder) {
    this.decoder = decoder;
    this.name = decoder.name;
  }

  maxHold(set: CompiledSet): number {
    return this.decoder.maxHold(set.maxPatternLength);
  }

  rebind(ctx: LaneContext): void {
    this.automata = ctx.set.automata;
    this.patternLength = ctx.set.patternLength;
    this.maxLen = ctx.set.maxPatternLength;
    this.facts = ctx.set.facts ?? null;
    this.states = this.automata.map(() => ROOT_STATE);
    this.active = false;
    this.log.clear();
    this.carry = EMPTY;
    this.floor = 0;
    this.scan(ctx);
  }

  scan(ctx: LaneContext): void {
    this.holdFrom = Infinity;
    if (this.automata.length === 0) return;
    // Redundant now: a set change that makes it useful comes with a rebind, which replays the history.
    if (this.facts !== null && this.decoder.redundant?.(this.facts) === true) return;
    this.ctx = ctx;
    this.historyStart = ctx.historyStart;
    let buf = ctx.chunk;
    let bufBase = ctx.base;
    if (this.carry.length > 0) {
      // The previous buffer ended inside a possible edit: parse it again with the new bytes.
      buf = concatBytes([this.carry, buf]);
      bufBase = this.carryStart;
      this.carry = EMPTY;
    }
    this.run(buf, bufBase);
    if (this.active) {
      const depth = this.depth();
      if (depth > 0) this.holdFrom = this.log.toStream(this.view - depth, false);
    }
    if (this.carry.length > 0 && this.carryStart < this.holdFrom) this.holdFrom = this.carryStart;
    this.ctx = null;
  }

  end(ctx: LaneContext): void {
    this.holdFrom = Infinity;
    if (this.carry.length === 0) return;
    // The stream ended inside a possible edit: decide it now that nothing follows.
    this.ctx = ctx;
    const bytes = this.carry;
    this.carry = EMPTY;
    this.run(bytes, this.carryStart, true);
    this.ctx = null;
  }

  private run(buf: Uint8Array, bufBase: number, final = false): void {
    const decoder = this.decoder;
    const edit = this.edit;
    const to = buf.length;
    decoder.startBuffer?.();
    let i = 0;
    let t = -2; // the next trigger at or after i (-1: none in buf); -2: not searched yet
    while (i < to) {
      if (t !== -1 && t < i) t = decoder.findTrigger(buf, i, to);
      if (this.active) {
        // Idle again as soon as no partial match reaches back to the last edit.
        const need = this.depth() - (this.view - this.lastEditEnd);
        if (need <= 0) {
          this.goIdle();
          continue;
        }
        const stop = t < 0 ? to : t;
        if (stop > i) {
          const step = Math.min(stop, i + need);
          this.scanPlain(buf, i, step);
          i = step;
          continue;
        }
        if (t < 0) break;
      } else if (t < 0) {
        break;
      }
      const r = decoder.parse(buf, t, to, bufBase, this.peek, final, edit);
      if (r === Parse.None) {
        if (this.active) this.scanPlain(buf, t, t + 1);
        i = t + 1;
        continue;
      }
      if (!this.active) {
        if (r === Parse.Edit && this.unspannable(buf, t, edit.end)) {
          // No match can span this edit: nothing to enter for; the view's state starts afresh after it.
          this.floor = bufBase + edit.end;
          i = edit.end;
          continue;
        }
        this.enter(buf, bufBase, t);
      }
      if (r === Parse.Incomplete) {
        this.carry = buf.slice(t, to);
        this.carryStart = bufBase + t;
        return;
      }
      this.scanEdit(bufBase + t, bufBase + edit.end);
      i = edit.end;
    }
  }

  /**
   * Leaves the view: the deepest partial match starts after the last edit,
   * so the view's state depends only on the plain bytes since then; the next
   * entry's window starts there.
   */
  private goIdle(): void {
    this.active = false;
    this.floor = this.log.toStream(this.lastEditEnd, false);
    this.log.clear();
  }

  /** Enters the view at buf[at]: states from the (maxLen - 1) plain stream bytes before it. */
  private enter(buf: Uint8Array, bufBase: number, at: number): void {
    const ctx = this.ctx as LaneContext;
    const pos = bufBase + at;
    const floor = Math.max(0, this.historyStart, this.floor);
    const from = Math.max(floor, pos - (this.maxLen - 1));
    let window: Uint8Array;
    if (from >= bufBase) window = buf.subarray(from - bufBase, at);
    else window = concatBytes([ctx.history(from, bufBase), buf.subarray(0, at)]);
    this.log.clear();
    this.log.push(0, 0, from, from);
    const sink = this.sink;
    for (let a = 0; a < this.automata.length; a++) {
      sink.clear();
      // Matches inside the window span no edit: the exact scan has them.
      this.states[a] = this.automata[a].scan(window, 0, window.length, ROOT_STATE, sink);
    }
    this.view = window.length;
    this.lastEditEnd = this.view;
    this.active = true;
  }

  /** Scans stream bytes buf[from, to) as view bytes. */
  private scanPlain(buf: Uint8Array, from: number, to: number): void {
    const start = this.view;
    this.scanView(buf, from, to, start - from);
    this.view = start + (to - from);
    // Mapping needs only edits a match can still reach back to (maxLen view bytes).
    this.log.dropBefore(this.view - this.maxLen - 1);
  }

  /** Scans an edit's view bytes; stream range [streamStart, streamEnd) becomes them. */
  private scanEdit(streamStart: number, streamEnd: number): void {
    const e = this.edit;
    this.log.push(this.view, e.length, streamStart, streamEnd);
    if (e.length > 0) {
      const start = this.view;
      this.scanView(e.bytes, 0, e.length, start);
      this.view = start + e.length;
    }
    this.lastEditEnd = this.view;
    this.log.dropBefore(this.view - this.maxLen - 1);
  }

  /** Runs every automaton over bytes[from, to), whose view offsets are index + offset. */
  private scanView(bytes: Uint8Array, from: number, to: number, offset: number): void {
    const sink = this.sink;
    const ctx = this.ctx as LaneContext;
    for (let a = 0; a < this.automata.length; a++) {
      sink.clear();
      this.states[a] = this.automata[a].scan(bytes, from, to, this.states[a], sink);
      for (let m = 0; m < sink.count; m++) {
        const vEnd = sink.ends[m] + offset;
        const pattern = sink.pats[m];
        const vStart = vEnd - this.patternLength[pattern] + 1;
        ctx.cover(this.log.toStream(vStart, false), this.log.toStream(vEnd, true), pattern);
      }
    }
  }

  /**
   * Can no match span the edit just parsed (buf[at, end))? True when it
   * decodes only to bytes no pattern has, or when the decoder can tell from
   * the view bytes around it (see ViewDecoder.unspannable). Every decoded
   * byte must be absent: a match may start or end inside an edit that
   * decodes to several bytes (`&#228;` is C3 A4; a binary secret may start
   * with A4), so one absent byte proves nothing.
   */
  private unspannable(buf: Uint8Array, at: number, end: number): boolean {
    const facts = this.facts;
    if (facts === null) return false;
    const e = this.edit;
    if (e.length > 0) {
      let k = 0;
      while (k < e.length && facts.bytes[e.bytes[k]] === 0) k++;
      if (k === e.length) return true;
    }
    return this.decoder.unspannable?.(buf, at, end, facts) ?? false;
  }

  private depth(): number {
    let depth = 0;
    for (let a = 0; a < this.automata.length; a++) {
      const d = this.automata[a].depthOf(this.states[a]);
      if (d > depth) depth = d;
    }
    return depth;
  }

  private readonly peek: Peek = (pos: number): number => {
    if (pos < 0) return BEFORE_STREAM;
    if (pos < this.historyStart) return UNKNOWN_BYTE;
    return (this.ctx as LaneContext).history(pos, pos + 1)[0];
  };
}
