/**
 * One stream's scrubbing state: the streaming core every adapter wraps.
 *
 * Positions are absolute offsets in the stream. Each write:
 *   1. picks up a changed compiled set (dynamic adds): every new automaton
 *      rescans the kept history from its start state and every lane rebuilds
 *      itself from the history (lane.rebind), so matches in progress survive;
 *   2. scans the chunk with every automaton, then with every lane (decoded
 *      views, detectors); a detector may register a secret, and then step 1
 *      runs again over history + chunk before anything is emitted;
 *   3. emits from the frontier (the first byte not yet emitted): an uncovered
 *      byte before `limit` is released, a covered run yields one mask the
 *      moment it starts (nothing if it touches the run emitted just before),
 *      and the walk stops at the first uncovered byte at or after `limit`.
 * `limit` = min(absEnd - deepest automaton state, every lane's holdFrom): no
 * future match can cover a byte before it. So the stream holds back exactly
 * what a match still needs, at most max(longest pattern, each lane's
 * maxHold) bytes, and the output does not depend on the chunking.
 *
 * Fail closed: a match that would cover a byte already emitted in clear
 * (outside the one case that cannot be helped: an occurrence that began
 * before an add) or held bytes outgrowing the kept history are internal
 * errors; the write throws before any of its output is handed over and the
 * session refuses every later call.
 */
import { concatBytes, EMPTY, plainView } from '../bytes/index.js';
import { type Automaton, MatchSink, ROOT_STATE } from '../matcher/index.js';
import type { ScrubSession } from '../api/types.js';
import { checkCallback, checkChunk } from '../api/validate.js';
import type { CompiledSet } from './compiled.js';
import { IntervalStack } from './intervals.js';
import type { Lane, LaneContext } from './lanes/lane.js';

export type { CompiledSet };

/** What a session needs from its scrubber. */
export interface SessionHost {
  /** The current automata (compiled lazily) and pattern lengths. */
  compiled(): CompiledSet;
  readonly mask: Uint8Array;
  /** Called once per mask emitted, with the label (pattern id, or detector tag) of the run's longest range. */
  countMask(label: number): void;
  /** Fresh lanes for a new session (decoded views, detectors). */
  createLanes(): Lane[];
  /** Input each stream keeps (at least) so that an add() can still find an occurrence that began before it. */
  readonly historyBytes: number;
  /** A detector found a secret nobody registered: add it (name `detect:<detector>`). */
  registerDetected(value: Uint8Array, detector: string): void;
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

/** Ranges found during one write, in any order (sorted by end before use). */
class FoundRanges {
  start: number[] = [];
  end: number[] = [];
  label: number[] = [];
  length: number[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(start: number, end: number, label: number, length: number): void {
    const k = this.count++;
    this.start[k] = start;
    this.end[k] = end;
    this.label[k] = label;
    this.length[k] = length;
  }

  /** Indices in order of end. */
  order(): number[] {
    const idx: number[] = new Array(this.count);
    let sorted = true;
    for (let i = 0; i < this.count; i++) {
      idx[i] = i;
      if (i > 0 && this.end[i] < this.end[i - 1]) sorted = false;
    }
    if (!sorted) idx.sort((x, y) => this.end[x] - this.end[y]);
    return idx;
  }
}

/** The lane context with its per-call fields writable (lanes see it read-only). */
type MutableContext = Omit<LaneContext, 'chunk' | 'base' | 'historyStart' | 'set'> & {
  chunk: Uint8Array;
  base: number;
  historyStart: number;
  set: CompiledSet;
};

/** Minimum slack kept beyond every bound (a few bytes of context for the lanes' look-behind). */
const SLACK = 64;

export class StreamSession implements ScrubSession {
  private readonly host: SessionHost;
  private set: CompiledSet | null = null;
  private automata: readonly Automaton[] = [];
  private states: number[] = [];
  private sinks: MatchSink[] = [];
  private patternLength: Int32Array = new Int32Array(0);
  private readonly lanes: Lane[];

  private absEnd = 0;
  private frontier = 0;
  /** End of the last clean byte emitted (bytes in [cleanEnd, frontier) went out as masks). */
  private cleanEnd = 0;
  /** The frontier when the compiled set last changed: an occurrence starting before it may have been emitted in part. */
  private recallFloor = 0;
  /** The last output was a mask for a run ending at frontier - 1. */
  private runOpen = false;
  private readonly pending = new IntervalStack();
  private readonly found = new FoundRanges();
  /** Ranges being pushed come from a rescan (clipped to the frontier) rather than a scan (checked). */
  private rescanning = false;
  private registered = false;

  /** Input bytes [tailEnd - tailLen, tailEnd); at least the last min(keep, tailEnd). tailEnd = absEnd between writes. */
  private tail: Uint8Array;
  private tailLen = 0;
  private tailEnd = 0;
  /** Input bytes kept: rescans read exactly the last `keep`; held bytes never exceed it. */
  private keep: number;

  private ended = false;
  private failed = false;

  /** The one context object lanes see (fields updated per call). */
  private readonly ctx: MutableContext;

  constructor(host: SessionHost) {
    this.host = host;
    this.lanes = host.createLanes();
    this.keep = Math.max(host.historyBytes, SLACK);
    this.tail = new Uint8Array(Math.min(2 * this.keep, 1 << 16));
    const session = this;
    this.ctx = {
      chunk: EMPTY,
      base: 0,
      historyStart: 0,
      set: { automata: [], patternLength: new Int32Array(0), maxPatternLength: 0 },
      history(from: number, to: number): Uint8Array {
        return session.historyRange(from, to, this.base);
      },
      cover(start: number, end: number, label: number): void {
        session.addRange(start, end, label, end - start + 1);
      },
      register(value: Uint8Array, detector: string): void {
        session.registered = true;
        session.host.registerDetected(value, detector);
      },
    };
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
  writeTo(input: Uint8Array, out: Output): void {
    this.enter('write');
    const chunk = plainView(input);
    try {
      this.found.clear();
      this.sync(EMPTY);
      if (chunk.length > 0) {
        this.scanChunk(chunk, out);
        this.appendTail(chunk);
      } else if (this.found.count > 0) {
        this.emit(EMPTY, this.absEnd, this.limit(), this.ranges(), out);
      }
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  endTo(out: Output): void {
    this.enter('end');
    try {
      this.found.clear();
      this.sync(EMPTY);
      const ctx = this.laneContext(EMPTY, this.absEnd);
      for (const lane of this.lanes) lane.end(ctx);
      if (this.registered) this.resync(EMPTY);
      this.ended = true;
      this.emit(EMPTY, this.absEnd, this.absEnd, this.ranges(), out);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  private enter(op: 'write' | 'end'): void {
    if (this.failed) throw new Error('scrub-filter: session failed earlier; refusing to emit more data');
    if (this.ended) throw new Error(op === 'end' ? 'scrub-filter: session already ended (end() called twice)' : 'scrub-filter: write after end');
  }

  /** Picks up automata compiled since the last call: rescans the history with each new one and rebinds the lanes. */
  private sync(chunk: Uint8Array): void {
    const set = this.host.compiled();
    if (set === this.set) return;
    const next = set.automata;
    let same = next.length === this.automata.length;
    for (let k = 0; same && k < next.length; k++) same = next[k] === this.automata[k];
    this.set = set;
    this.patternLength = set.patternLength;
    this.ctx.set = set;
    // The history to rescan: exactly the last `keep` bytes as kept until now (the same for every chunking).
    const kept = this.keep;
    this.updateKeep(set);
    if (same) return;
    const histEnd = this.tailEnd + chunk.length;
    const histLen = Math.min(kept + chunk.length, this.tailLen + chunk.length);
    const histStart = histEnd - histLen;
    const history = this.historyWith(chunk, histStart);
    const states: number[] = [];
    const sink = new MatchSink();
    this.rescanning = true;
    for (let k = 0; k < next.length; k++) {
      const old = this.automata.indexOf(next[k]);
      if (old >= 0) {
        states.push(this.states[old]);
        continue;
      }
      sink.clear();
      states.push(next[k].scan(history, 0, history.length, ROOT_STATE, sink));
      for (let m = 0; m < sink.count; m++) this.addMatch(histStart + sink.ends[m], sink.pats[m]);
    }
    this.automata = next.slice();
    this.states = states;
    while (this.sinks.length < next.length) this.sinks.push(new MatchSink());
    this.sinks.length = next.length;
    const ctx = this.laneContext(history, histStart);
    ctx.historyStart = histStart;
    for (const lane of this.lanes) lane.rebind(ctx);
    this.rescanning = false;
    // An occurrence that began before this point may have been emitted in part: it is masked from the frontier on.
    this.recallFloor = this.frontier;
  }

  /** A detector registered a secret during this write: sync again over history + chunk before emitting. */
  private resync(chunk: Uint8Array): void {
    this.registered = false;
    this.sync(chunk);
  }

  private scanChunk(chunk: Uint8Array, out: Output): void {
    const n = chunk.length;
    const base = this.absEnd;
    for (let k = 0; k < this.automata.length; k++) {
      const sink = this.sinks[k];
      sink.clear();
      this.states[k] = this.automata[k].scan(chunk, 0, n, this.states[k], sink);
      for (let m = 0; m < sink.count; m++) this.addMatch(base + sink.ends[m], sink.pats[m]);
    }
    if (this.lanes.length > 0) {
      const ctx = this.laneContext(chunk, base);
      for (const lane of this.lanes) lane.scan(ctx);
      if (this.registered) this.resync(chunk);
    }
    this.absEnd = base + n;
    const limit = this.limit();
    if (this.found.count === 0 && this.pending.count === 0) {
      // Common case: nothing covered. Release the decided bytes: held ones, then a view of the chunk.
      if (limit > this.frontier) {
        this.emitRange(this.frontier, limit, chunk, base, out);
        this.frontier = limit;
        this.runOpen = false;
      }
    } else {
      this.emit(chunk, base, limit, this.ranges(), out);
    }
    if (this.absEnd - this.frontier > this.keep) {
      throw new Error(
        `scrub-filter: internal error: ${this.absEnd - this.frontier} bytes held back, more than the ${this.keep} kept; failing closed`,
      );
    }
  }

  /** First byte a future match may still cover: min over automata (absEnd - depth) and lanes (holdFrom). */
  private limit(): number {
    let depth = 0;
    for (let k = 0; k < this.automata.length; k++) {
      const d = this.automata[k].depthOf(this.states[k]);
      if (d > depth) depth = d;
    }
    let limit = this.absEnd - depth;
    for (const lane of this.lanes) if (lane.holdFrom < limit) limit = lane.holdFrom;
    return limit;
  }

  private laneContext(chunk: Uint8Array, base: number): MutableContext {
    const ctx = this.ctx;
    ctx.chunk = chunk;
    ctx.base = base;
    ctx.historyStart = this.tailEnd - Math.min(this.tailLen, this.keep);
    return ctx;
  }

  private addMatch(end: number, pattern: number): void {
    const len = this.patternLength[pattern];
    this.addRange(end - len + 1, end, pattern, len);
  }

  /** Every covered range goes through here: checked (no clean byte may be covered late), then clipped. */
  private addRange(start: number, end: number, label: number, length: number): void {
    if (!this.rescanning && start < this.cleanEnd && start >= this.recallFloor) {
      throw new Error(
        `scrub-filter: internal error: a match at ${start}..${end} covers bytes already emitted (up to ${this.cleanEnd}); failing closed`,
      );
    }
    if (end < this.frontier) return; // entirely emitted already (only after an add)
    this.found.push(start < this.frontier ? this.frontier : start, end, label, length);
  }

  /** Pending ranges and this write's ranges, merged in end order (overlapping and touching ones join). */
  private ranges(): IntervalStack {
    const r = new IntervalStack();
    const p = this.pending;
    const f = this.found;
    const order = f.order();
    let i = 0;
    let j = 0;
    while (i < p.count || j < order.length) {
      if (j >= order.length || (i < p.count && p.end[i] <= f.end[order[j]])) {
        r.push(p.start[i], p.end[i], p.pattern[i], p.patternLength[i]);
        i++;
      } else {
        const k = order[j++];
        r.push(f.start[k], f.end[k], f.label[k], f.length[k]);
      }
    }
    f.clear();
    return r;
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
      if (r.end[j] + 1 > f) f = r.end[j] + 1;
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

  /** Emits stream range [from, to) in clear: a copy of the part still in the tail, a view of the part in `chunk`. */
  private emitRange(from: number, to: number, chunk: Uint8Array, base: number, out: Output): void {
    let a = from;
    if (a < base) {
      const stop = to < base ? to : base;
      out.add(this.historyRange(a, stop, base).slice());
      a = stop;
    }
    if (a < to) out.add(chunk.subarray(a - base, to - base));
    this.cleanEnd = to;
  }

  /** Stream bytes [from, to) before `base` (a chunk's start, or a replay's), from the tail. */
  private historyRange(from: number, to: number, base: number): Uint8Array {
    const tailStart = this.tailEnd - this.tailLen;
    if (from < tailStart || to > base || to > this.tailEnd) {
      throw new Error(`scrub-filter: internal error: bytes ${from}..${to} are not kept; failing closed`);
    }
    return this.tail.subarray(from - tailStart, to - tailStart);
  }

  /** The kept input from histStart, followed by `chunk` (a copy when both are needed). */
  private historyWith(chunk: Uint8Array, histStart: number): Uint8Array {
    const tailStart = this.tailEnd - this.tailLen;
    // A view of the tail when nothing follows: it is only read during the rescan (lanes copy what they keep).
    const kept = this.tail.subarray(histStart - tailStart, this.tailLen);
    return chunk.length === 0 ? kept : concatBytes([kept, chunk]);
  }

  private updateKeep(set: CompiledSet): void {
    let need = 2 * set.maxPatternLength;
    for (const lane of this.lanes) need = Math.max(need, lane.maxHold(set));
    this.keep = Math.max(this.host.historyBytes, need + SLACK);
  }

  /** Keeps at least the last `keep` input bytes (amortised O(1) per byte: the buffer is up to twice that). */
  private appendTail(chunk: Uint8Array): void {
    const keep = this.keep;
    const n = chunk.length;
    this.tailEnd += n;
    if (n >= keep) {
      if (this.tail.length < keep) this.tail = new Uint8Array(2 * keep);
      this.tail.set(chunk.subarray(n - keep), 0);
      this.tailLen = keep;
      return;
    }
    if (this.tailLen + n > this.tail.length) {
      // Keep the last (keep - n) bytes, then append: the tail never holds fewer than `keep` once it had them.
      const retain = Math.min(this.tailLen, keep - n);
      const from = this.tailLen - retain;
      if (this.tail.length < 2 * keep) {
        const bigger = new Uint8Array(2 * keep);
        bigger.set(this.tail.subarray(from, this.tailLen), 0);
        this.tail = bigger;
      } else {
        this.tail.copyWithin(0, from, this.tailLen);
      }
      this.tailLen = retain;
    }
    this.tail.set(chunk, this.tailLen);
    this.tailLen += n;
  }
}
