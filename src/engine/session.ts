/**
 * One stream's scrubbing state: the streaming core every adapter wraps.
 *
 * Positions are absolute offsets in the stream. After each write:
 *   - `frontier` is the first byte not yet emitted;
 *   - a byte before `absEnd - depth` (depth = longest suffix of the input that
 *     is a prefix of some pattern, over all automata) is *decided*: no future
 *     match can cover it;
 *   - covered bytes are final as soon as they are covered.
 * Emission walks from the frontier: an uncovered decided byte is copied, a
 * covered run yields one mask (or nothing, if it touches the run emitted just
 * before), and the walk stops at the first uncovered undecided byte. So we
 * hold back at most (longest pattern - 1) bytes and release the rest at once.
 *
 * Dynamic secrets: when the compiled set changes, every automaton that changed
 * rescans the tail we keep (recently emitted context + the held bytes) from
 * its start state; its matches over not-yet-emitted bytes join the pending
 * ranges before anything else is released.
 */
import { type Automaton, MatchSink, ROOT_STATE } from '../matcher/index.js';
import type { ScrubSession } from '../api/types.js';
import { EMPTY } from '../bytes/index.js';
import { checkCallback, checkChunk } from '../api/validate.js';
import { IntervalStack } from './intervals.js';
import { WrapLane } from './unwrap.js';

/** What a session needs from its scrubber. */
export interface SessionHost {
  /** The current automata (compiled lazily) and pattern lengths. */
  compiled(): CompiledSet;
  readonly mask: Uint8Array;
  /** Called once per mask emitted, with the longest pattern of the run. */
  countMask(pattern: number): void;
  /** Scan line-wrapped base64 as if joined (variant base64-wrapped). */
  readonly unwrapBase64: boolean;
}

export interface CompiledSet {
  readonly automata: readonly Automaton[];
  /** Length of each pattern, by pattern id. */
  readonly patternLength: Int32Array;
  readonly maxPatternLength: number;
}


/**
 * Output pieces of one write, in order. Adapters push them as they are (few
 * pieces: no copy) or joined (many small pieces: one buffer is cheaper downstream).
 */
export class Output {
  readonly pieces: Uint8Array[] = [];

  add(piece: Uint8Array): void {
    if (piece.length > 0) this.pieces.push(piece);
  }

  joined(): Uint8Array {
    if (this.pieces.length === 0) return EMPTY;
    if (this.pieces.length === 1) return this.pieces[0];
    return Buffer.concat(this.pieces);
  }

  /** Hands the output to `push`: as is when there are few pieces, else as one buffer. */
  drainTo(push: (bytes: Uint8Array) => void): void {
    if (this.pieces.length <= 4) for (const p of this.pieces) push(p);
    else push(this.joined());
    this.pieces.length = 0;
  }
}
/** Emitted bytes kept for rescans after a dynamic add, beyond 2x the longest pattern. */
const MIN_TAIL = 1024;

export class StreamSession implements ScrubSession {
  private readonly host: SessionHost;
  private automata: Automaton[] = [];
  private states: number[] = [];
  private sinks: MatchSink[] = [];
  private patternLength: Int32Array = new Int32Array(0);

  private absEnd = 0;
  private frontier = 0;
  /** The last output was a mask for a run ending at frontier - 1. */
  private runOpen = false;
  private readonly pending = new IntervalStack();

  /** The last `tailLen` input bytes, i.e. stream range [absEnd - tailLen, absEnd). */
  private tail = new Uint8Array(2 * MIN_TAIL);
  private tailLen = 0;
  private tailKeep = MIN_TAIL;

  private ended = false;
  private failed = false;
  private readonly lane: WrapLane | null;
  private maxPatternLength = 0;

  constructor(host: SessionHost) {
    this.host = host;
    this.lane = host.unwrapBase64 ? new WrapLane() : null;
  }

  get heldBytes(): number {
    return this.absEnd - this.frontier;
  }

  // The four public methods check their arguments before touching any state
  // (a wrong type used to reach the scan loops: NaN positions, endless loops).
  write(chunk: Uint8Array): Uint8Array {
    checkChunk(chunk, 'session.write');
    const out = new Output();
    this.writeTo(chunk, out);
    return out.joined();
  }

  end(): Uint8Array {
    const out = new Output();
    this.endTo(out);
    return out.joined();
  }

  writeEach(chunk: Uint8Array, emit: (piece: Uint8Array) => void): void {
    checkChunk(chunk, 'session.writeEach');
    checkCallback(emit, 'session.writeEach: emit');
    const out = new Output();
    this.writeTo(chunk, out);
    this.deliver(out, emit);
  }

  endEach(emit: (piece: Uint8Array) => void): void {
    checkCallback(emit, 'session.endEach: emit');
    const out = new Output();
    this.endTo(out);
    this.deliver(out, emit);
  }

  /** A throwing consumer loses the rest of the pieces: the stream is then incomplete, so the session fails (closed). */
  private deliver(out: Output, emit: (piece: Uint8Array) => void): void {
    try {
      out.drainTo(emit);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /**
   * Like write(), but hands the output over as pieces (views of `chunk` where
   * possible: no copy of clean text). The chunk must not be modified until
   * the pieces are consumed.
   */
  writeTo(chunk: Uint8Array, out: Output): void {
    this.enter('write');
    try {
      this.sync();
      this.scanAndEmit(chunk, out);
      this.appendTail(chunk);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  endTo(out: Output): void {
    this.enter('end');
    try {
      this.sync();
      this.ended = true;
      this.emit(EMPTY, this.absEnd, this.absEnd, this.takePending(), out);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  private enter(op: 'write' | 'end'): void {
    if (this.failed) throw new Error('scrub-filter: session failed earlier; refusing to emit more data');
    if (this.ended) throw new Error(op === 'end' ? 'scrub-filter: session already ended (end() called twice)' : 'scrub-filter: write after end');
  }

  /** Picks up automata compiled since the last call and rescans the tail with each changed one. */
  private sync(): void {
    const set = this.host.compiled();
    this.patternLength = set.patternLength;
    this.maxPatternLength = set.maxPatternLength;
    const next = set.automata;
    const want = 2 * set.maxPatternLength + 64;
    if (want > this.tailKeep) this.tailKeep = want;
    let same = next.length === this.automata.length;
    for (let k = 0; same && k < next.length; k++) same = next[k] === this.automata[k];
    if (same) return;

    const sink = new MatchSink();
    const tailStart = this.absEnd - this.tailLen;
    const states: number[] = [];
    for (let k = 0; k < next.length; k++) {
      const old = this.automata.indexOf(next[k]);
      if (old >= 0) {
        states.push(this.states[old]);
        continue;
      }
      sink.clear();
      states.push(next[k].scan(this.tail, 0, this.tailLen, ROOT_STATE, sink));
      // Each automaton's matches come in end order; merge them into the pending ranges one set at a time.
      const rescan = new IntervalStack();
      this.collect(sink, tailStart, rescan);
      if (rescan.count > 0) this.mergePending(rescan);
    }
    this.automata = next.slice();
    this.states = states;
    this.lane?.reset(this.automata);
    while (this.sinks.length < next.length) this.sinks.push(new MatchSink());
    this.sinks.length = next.length;
  }

  private scanAndEmit(chunk: Uint8Array, out: Output): void {
    const n = chunk.length;
    if (n === 0) return;
    const base = this.absEnd;
    let matched = false;
    let depth = 0;
    for (let k = 0; k < this.automata.length; k++) {
      const a = this.automata[k];
      this.sinks[k].clear();
      this.states[k] = a.scan(chunk, 0, n, this.states[k], this.sinks[k]);
      if (this.sinks[k].count > 0) matched = true;
      const d = a.depthOf(this.states[k]);
      if (d > depth) depth = d;
    }
    // The lane reads bytes before the chunk from the tail, which ends at absEnd until appended to.
    if (this.lane !== null) {
      this.lane.scan(chunk, base, this.maxPatternLength, this.patternLength, this.readTail);
      if (this.lane.ranges.count > 0) matched = true;
    }
    this.absEnd = base + n;
    let limit = this.absEnd - depth;
    if (this.lane !== null && this.lane.holdFrom < limit) limit = this.lane.holdFrom;

    if (!matched && this.pending.count === 0) {
      // Common case: nothing covered. Release the decided bytes: held ones, then a view of the chunk.
      if (limit > this.frontier) {
        this.emitRange(this.frontier, limit, chunk, base, out);
        this.frontier = limit;
        this.runOpen = false;
      }
      return;
    }
    const ranges = new IntervalStack();
    this.addPendingAndMatches(ranges, base);
    this.emit(chunk, base, limit, ranges, out);
  }

  /** Ranges in end order: carried ranges (all end before base), then this chunk's matches. */
  private addPendingAndMatches(ranges: IntervalStack, base: number): void {
    const p = this.pending;
    for (let j = 0; j < p.count; j++) ranges.push(p.start[j], p.end[j], p.pattern[j], p.patternLength[j]);
    const lane = this.lane !== null && this.lane.ranges.count > 0 ? this.lane.ranges : null;
    let sources = lane ? 1 : 0;
    for (const sink of this.sinks) if (sink.count > 0) sources++;
    if (sources === 1 && !lane) {
      for (const sink of this.sinks) this.collect(sink, base, ranges);
      return;
    }
    // Several sources (two automata, the wrapped-base64 lane): order all new matches by end.
    const starts: number[] = [];
    const ends: number[] = [];
    const pats: number[] = [];
    for (const sink of this.sinks) {
      for (let m = 0; m < sink.count; m++) {
        const end = base + sink.ends[m];
        ends.push(end);
        starts.push(end - this.patternLength[sink.pats[m]] + 1);
        pats.push(sink.pats[m]);
      }
    }
    if (lane) {
      for (let m = 0; m < lane.count; m++) {
        starts.push(lane.starts[m]);
        ends.push(lane.ends[m]);
        pats.push(lane.patterns[m]);
      }
    }
    const order = ends.map((_, i) => i).sort((x, y) => ends[x] - ends[y]);
    for (const i of order) this.pushRange(ranges, starts[i], ends[i], pats[i]);
  }

  private collect(sink: MatchSink, base: number, into: IntervalStack): void {
    for (let m = 0; m < sink.count; m++) this.pushMatch(into, base + sink.ends[m], sink.pats[m]);
  }

  private pushMatch(into: IntervalStack, end: number, pattern: number): void {
    this.pushRange(into, end - this.patternLength[pattern] + 1, end, pattern);
  }

  private pushRange(into: IntervalStack, start: number, end: number, pattern: number): void {
    if (end < this.frontier) return; // entirely emitted already (only on rescans)
    // Emitted bytes cannot be recalled: cover from the frontier on.
    into.push(start < this.frontier ? this.frontier : start, end, pattern, this.patternLength[pattern]);
  }

  /** Merges rescan ranges into the pending ones (both sorted by end). */
  private mergePending(rescan: IntervalStack): void {
    const p = this.pending;
    const merged = new IntervalStack();
    let i = 0;
    let j = 0;
    while (i < p.count || j < rescan.count) {
      if (j >= rescan.count || (i < p.count && p.end[i] <= rescan.end[j])) {
        merged.push(p.start[i], p.end[i], p.pattern[i], p.patternLength[i]);
        i++;
      } else {
        merged.push(rescan.start[j], rescan.end[j], rescan.pattern[j], rescan.patternLength[j]);
        j++;
      }
    }
    p.clear();
    for (let k = 0; k < merged.count; k++) p.push(merged.start[k], merged.end[k], merged.pattern[k], merged.patternLength[k]);
  }

  /**
   * Emits from the frontier up to `limit` (exclusive) for uncovered bytes, and
   * through any covered run that starts at the frontier. `chunk` holds stream
   * range [base, absEnd); earlier bytes come from the tail.
   */
  private emit(chunk: Uint8Array, base: number, limit: number, r: IntervalStack, out: Output): void {
    const mask = this.host.mask;
    let f = this.frontier;
    let j = 0;
    for (; j < r.count; j++) {
      const s = r.start[j];
      if (s > f) {
        const stop = s < limit ? s : limit;
        if (stop > f) {
          this.emitRange(f, stop, chunk, base, out);
          f = stop;
          this.runOpen = false;
        }
        if (f < s) break; // an undecided, uncovered byte blocks the rest
      }
      if (!this.runOpen) {
        out.add(mask.slice());
        this.host.countMask(r.pattern[j]);
      }
      f = r.end[j] + 1;
      this.runOpen = true;
    }
    if (j === r.count && limit > f) {
      this.emitRange(f, limit, chunk, base, out);
      f = limit;
      this.runOpen = false;
    }
    this.frontier = f;
    // Ranges not reached yet stay pending.
    this.pending.clear();
    for (let k = j; k < r.count; k++) this.pending.push(r.start[k], r.end[k], r.pattern[k], r.patternLength[k]);
  }

  private takePending(): IntervalStack {
    const copy = new IntervalStack();
    const p = this.pending;
    for (let k = 0; k < p.count; k++) copy.push(p.start[k], p.end[k], p.pattern[k], p.patternLength[k]);
    return copy;
  }

  /** Emits stream range [from, to): a copy of the part still in the tail, a view of the part in `chunk`. */
  private emitRange(from: number, to: number, chunk: Uint8Array, base: number, out: Output): void {
    let a = from;
    if (a < base) {
      const stop = to < base ? to : base;
      const tailStart = base - this.tailLen;
      out.add(this.tail.slice(a - tailStart, stop - tailStart));
      a = stop;
    }
    if (a < to) out.add(chunk.subarray(a - base, to - base));
  }

  /** Stream range [from, to) of the bytes before the chunk being scanned (they are in the tail). */
  private readonly readTail = (from: number, to: number): Uint8Array => {
    const tailStart = this.absEnd - this.tailLen;
    return this.tail.subarray(from - tailStart, to - tailStart);
  };

  /** Keeps the last `tailKeep` input bytes (amortised O(1) per byte: the buffer is twice that size). */
  private appendTail(chunk: Uint8Array): void {
    const keep = this.tailKeep;
    const n = chunk.length;
    if (this.tail.length < 2 * keep) {
      const bigger = new Uint8Array(2 * keep);
      bigger.set(this.tail.subarray(0, this.tailLen));
      this.tail = bigger;
    }
    if (n >= keep) {
      this.tail.set(chunk.subarray(n - keep), 0);
      this.tailLen = keep;
      return;
    }
    if (this.tailLen + n > this.tail.length) {
      const retain = keep - n;
      this.tail.copyWithin(0, this.tailLen - retain, this.tailLen);
      this.tailLen = retain;
    }
    this.tail.set(chunk, this.tailLen);
    this.tailLen += n;
  }
}
