/**
 * The wrapped-base64 lane (variant `base64-wrapped`).
 *
 * `base64` and PEM tools wrap their output every 64 or 76 columns, so an
 * encoded secret can be split by a line break anywhere. This lane scans the
 * text a second time as if such line breaks were not there, but only inside
 * blocks of wrapped base64, so plain logs cost one native newline search per
 * line and a short backward check.
 *
 * A *joint* is the line break (LF, CRLF, CR CR LF) ending a line whose last
 * MIN_WRAP_WIDTH or more bytes are base64 characters (either alphabet, `=`
 * padding): a wrapped line, or the first line of a block after a prefix. At a joint the lane starts (its state is the
 * automaton's state after the last longest-pattern bytes of that line) and
 * scans the following bytes, skipping joints, until a line break that is not
 * a joint. Matches are mapped back to stream positions across the skipped
 * joints and masked with them. While the lane is inside a block it also holds
 * back the bytes its own automaton state could still need.
 */
import { concatBytes } from '../bytes/index.js';
import { type Automaton, MatchSink, ROOT_STATE } from '../matcher/index.js';

export const MIN_WRAP_WIDTH = 16;
const LF = 0x0a;
const CR = 0x0d;

const BASE64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=') BASE64_CHAR[c.charCodeAt(0)] = 1;

/** Lane matches, in stream positions (start inclusive, end inclusive). */
export interface LaneRanges {
  starts: number[];
  ends: number[];
  patterns: number[];
  count: number;
}

/** Reads stream bytes that came before the current chunk. */
export type TailReader = (from: number, to: number) => Uint8Array;

export class WrapLane {
  private automata: readonly Automaton[] = [];
  private states: number[] = [];
  private active = false;
  /** Current line: where it starts, and the base64 run its bytes so far end with. */
  private lineStart = 0;
  private carriedRun = 0;
  /** CRs at the end of the previous chunk, not yet known to be content or part of a joint. */
  private deferredCR = 0;
  /** Stream position of the last byte the lane has scanned. */
  private lastVirtual = 0;
  /** Recent joints (first byte, length), oldest first; only those within reach of a pattern are kept. */
  private jointPos: number[] = [];
  private jointLen: number[] = [];
  private readonly sink = new MatchSink();
  readonly ranges: LaneRanges = { starts: [], ends: [], patterns: [], count: 0 };
  /** First stream byte the lane needs held back (Infinity: none). */
  holdFrom = Infinity;

  /** New automata (dynamic adds): a block in progress is rescanned from its next joint. */
  reset(automata: readonly Automaton[]): void {
    this.automata = automata;
    this.states = automata.map(() => ROOT_STATE);
    this.active = false;
  }

  /**
   * Scans chunk (stream range [base, base + chunk.length)) for wrapped
   * base64; fills `ranges` and `holdFrom`.
   */
  scan(chunk: Uint8Array, base: number, maxLen: number, patternLength: Int32Array, tail: TailReader): void {
    this.ranges.count = 0;
    this.holdFrom = Infinity;
    if (this.automata.length === 0) return;
    const n = chunk.length;
    let from = 0; // chunk index where the active lane resumes
    let nl = chunk.indexOf(LF);
    let leadingCR = 0;
    while (leadingCR < n && chunk[leadingCR] === CR) leadingCR++;
    if (this.deferredCR > 0 && leadingCR < n && leadingCR !== nl) {
      // CRs that ended the previous chunk were line content after all.
      if (this.active) this.run(new Uint8Array(this.deferredCR).fill(CR), 0, this.deferredCR, base - this.deferredCR, patternLength);
      this.deferredCR = 0;
    }
    while (nl >= 0) {
      // Fast path for the common line: the lane is idle, the line began in this
      // chunk, and its last MIN_WRAP_WIDTH bytes are not all base64 (most log
      // lines fail within a few bytes), so it cannot end in a joint.
      if (!this.active && this.lineStart >= base && this.deferredCR === 0 && (nl === 0 || chunk[nl - 1] !== CR)) {
        const lineFrom = this.lineStart - base;
        const floor = Math.max(lineFrom, nl - MIN_WRAP_WIDTH);
        let k = nl - 1;
        while (k >= floor && BASE64_CHAR[chunk[k]] === 1) k--;
        if (nl - 1 - k < MIN_WRAP_WIDTH) {
          this.lineStart = base + nl + 1;
          this.carriedRun = 0;
          nl = chunk.indexOf(LF, nl + 1);
          continue;
        }
      }
      // The line's content ends before its CRs (which may have ended the previous chunk).
      let contentEnd = nl;
      while (contentEnd > 0 && chunk[contentEnd - 1] === CR && base + contentEnd - 1 >= this.lineStart) contentEnd--;
      const contentEndPos = contentEnd === 0 ? base - this.deferredCR : base + contentEnd;
      this.deferredCR = 0;
      const lineFrom = Math.max(0, this.lineStart - base);
      let k = contentEnd - 1;
      while (k >= lineFrom && BASE64_CHAR[chunk[k]] === 1) k--;
      // Length of the base64 run that ends the line (it may have begun in an earlier chunk).
      const run = contentEnd - 1 - k + (k < lineFrom && this.lineStart < base ? this.carriedRun : 0);
      const isJoint = run >= MIN_WRAP_WIDTH;

      if (this.active) this.run(chunk, from, contentEnd, base, patternLength);
      if (isJoint) {
        if (!this.active) this.start(chunk, base, contentEndPos, maxLen, tail);
        this.jointPos.push(contentEndPos);
        this.jointLen.push(base + nl + 1 - contentEndPos);
        this.dropOldJoints(base + nl, maxLen);
        from = nl + 1;
      } else {
        this.active = false;
      }
      this.lineStart = base + nl + 1;
      this.carriedRun = 0;
      nl = chunk.indexOf(LF, nl + 1);
    }
    // The partial last line: trailing CRs may yet turn out to start a joint.
    let end = n;
    while (end > 0 && chunk[end - 1] === CR && base + end - 1 >= this.lineStart) end--;
    // A chunk of CRs only extends the CRs still undecided from before.
    this.deferredCR = (end === 0 && this.lineStart < base ? this.deferredCR : 0) + (n - end);
    const lineFrom = Math.max(0, this.lineStart - base);
    let k = end - 1;
    while (k >= lineFrom && BASE64_CHAR[chunk[k]] === 1) k--;
    this.carriedRun = end - 1 - k + (k < lineFrom && this.lineStart < base ? this.carriedRun : 0);
    if (this.active) {
      this.run(chunk, from, end, base, patternLength);
      const depth = this.depth(this.states);
      if (depth > 0) this.holdFrom = this.virtualStart(this.lastVirtual, depth);
    } else if (this.deferredCR > 0 && this.carriedRun >= MIN_WRAP_WIDTH) {
      // The CRs may start a joint: hold what the lane would need if it does
      // (without CRs, the main scan already holds the same bytes).
      const lineEnd = base + n - this.deferredCR;
      const states: number[] = [];
      this.entryStates(chunk, base, lineEnd, maxLen, tail, states);
      this.holdFrom = lineEnd - this.depth(states);
    }
  }

  /** Enters a block at a joint: state from the last (maxLen - 1) bytes of the line before it. */
  private start(chunk: Uint8Array, base: number, lineEnd: number, maxLen: number, tail: TailReader): void {
    this.entryStates(chunk, base, lineEnd, maxLen, tail, this.states);
    this.jointPos.length = 0;
    this.jointLen.length = 0;
    this.lastVirtual = lineEnd - 1;
    this.active = true;
  }

  /** The automata states after the line's last (maxLen - 1) bytes before lineEnd, from the root. */
  private entryStates(chunk: Uint8Array, base: number, lineEnd: number, maxLen: number, tail: TailReader, into: number[]): void {
    const from = Math.max(this.lineStart, lineEnd - (maxLen - 1));
    const bytes =
      from >= base
        ? chunk.subarray(from - base, lineEnd - base)
        : lineEnd <= base
          ? tail(from, lineEnd)
          : concatBytes([tail(from, base), chunk.subarray(0, lineEnd - base)]);
    const sink = this.sink;
    for (let a = 0; a < this.automata.length; a++) {
      sink.clear();
      // Matches inside one line are the main scan's; only the state matters here.
      into[a] = this.automata[a].scan(bytes, 0, bytes.length, ROOT_STATE, sink);
    }
  }

  /** Scans chunk[from, to) as the continuation of the joined text. */
  private run(chunk: Uint8Array, from: number, to: number, base: number, patternLength: Int32Array): void {
    if (to <= from) return;
    this.lastVirtual = base + to - 1;
    const sink = this.sink;
    for (let a = 0; a < this.automata.length; a++) {
      sink.clear();
      this.states[a] = this.automata[a].scan(chunk, from, to, this.states[a], sink);
      for (let m = 0; m < sink.count; m++) {
        const end = base + sink.ends[m];
        const len = patternLength[sink.pats[m]];
        const r = this.ranges;
        r.starts[r.count] = this.virtualStart(end, len);
        r.ends[r.count] = end;
        r.patterns[r.count] = sink.pats[m];
        r.count++;
      }
    }
  }

  private depth(states: readonly number[]): number {
    let depth = 0;
    for (let a = 0; a < this.automata.length; a++) depth = Math.max(depth, this.automata[a].depthOf(states[a]));
    return depth;
  }

  /** Stream position of the first of `len` joined bytes ending at `end` (skipping joints). */
  private virtualStart(end: number, len: number): number {
    let pos = end;
    let need = len - 1; // bytes still to step back over
    for (let j = this.jointPos.length - 1; j >= 0 && need > 0; j--) {
      const jointEnd = this.jointPos[j] + this.jointLen[j]; // first byte after the joint
      if (jointEnd > pos) continue;
      const span = pos - jointEnd; // joined bytes between the joint and pos
      if (need <= span) break;
      need -= span + 1;
      pos = this.jointPos[j] - 1;
    }
    return pos - need;
  }

  private dropOldJoints(now: number, maxLen: number): void {
    // A joint further back than 2 * maxLen stream bytes cannot be inside any match still to come.
    let drop = 0;
    while (drop < this.jointPos.length && this.jointPos[drop] < now - 2 * maxLen - 8) drop++;
    if (drop > 0) {
      this.jointPos.splice(0, drop);
      this.jointLen.splice(0, drop);
    }
  }
}

