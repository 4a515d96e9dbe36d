/**
 * A compiled byte-level Aho-Corasick automaton (see build.ts for how it is made).
 *
 * State ids are "hot ids", chosen so the scan loop needs one typed-array load
 * and one comparison per byte:
 *   [0, plainLimit)          dense rows of states that end no pattern
 *   [plainLimit, denseLimit) dense rows of states that end a pattern
 *   [denseLimit, ...)        sparse (trie) states: denseLimit + trie node id
 * Dense ids are premultiplied by the number of byte classes, so a transition
 * is `dense[state + classOf[byte]]`. Dense rows belong to the states of depth
 * <= 2 and to branching states (see build.ts).
 * Sparse states keep only their trie edges and a failure link (~13 bytes
 * each instead of a full row): the single-child chains that spell out one
 * secret. Trie ids are in preorder, so following a chain is `state + 1` and
 * reads memory in address order; along plain steps (see RUN4) the scan
 * compares four input bytes with four chain labels at once. A sparse state's
 * other children (and a first child that is dense) are in the extra table,
 * as hot ids; its failure link is a hot id too and its chain ends in a
 * dense row.
 */

import { GRAM, type GramFilter } from './prefilter.js';

/** Where scan() appends matches: parallel arrays of (end index, pattern id). */
export class MatchSink {
  ends: Int32Array;
  pats: Int32Array;
  count = 0;

  constructor(capacity = 64) {
    this.ends = new Int32Array(capacity);
    this.pats = new Int32Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  /** Doubles the capacity; called from the scan loop only when full. */
  grow(): void {
    const ends = new Int32Array(this.ends.length * 2);
    const pats = new Int32Array(this.pats.length * 2);
    ends.set(this.ends);
    pats.set(this.pats);
    this.ends = ends;
    this.pats = pats;
  }
}

export const ROOT_STATE = 0;
/** The skip scan resumes once the automaton is this shallow (it re-reads these bytes). */
export const SHALLOW_DEPTH = 2;
const NEVER = Number.MAX_SAFE_INTEGER;
/** A filter hit within this many samples of entering skip mode counts as quick. */
const QUICK_HIT = 2;
/** Longest stretch the exact mode lingers after quick hits (bytes). */
const MAX_LINGER = 4096;

/** Tables produced by the builder; the Automaton only reads them. */
export interface AutomatonTables {
  classCount: number;
  classOf: Uint8Array;
  dense: Int32Array;
  plainLimit: number;
  denseLimit: number;
  /** Dense ids below this are non-matching states of depth <= SHALLOW_DEPTH (dense plain rows are in BFS order). */
  shallowLimit: number;
  /** Dense index -> trie node id. */
  denseNode: Int32Array;
  /** (dense index - plain count) -> pattern id, for dense states that end a pattern. */
  denseOut: Int32Array;
  /** Per trie node: byte of the edge to node+1 (its first child) and flags HAS_FIRST, ENDS, HAS_EXTRA. */
  firstEdge: Uint16Array;
  /** Per trie node: failure link as a hot id (only read for sparse nodes). */
  fail: Int32Array;
  /** Per trie node: id of the longest pattern that ends here, or -1. */
  out: Int32Array;
  /** Per trie node: depth (length of the prefix it stands for). */
  depth: Uint16Array | Uint32Array;
  /** Per trie node: byte of its first edge (as in firstEdge), contiguous along a chain so four can be compared at once; 4 bytes of padding. */
  label: Uint8Array;
  /** Extra children of sparse nodes (2nd, 3rd... child, or a dense first child) as hot ids, keyed by (node, class). */
  extraNode: Int32Array;
  extraClass: Uint16Array;
  extraChild: Int32Array;
  nodeCount: number;
  patternCount: number;
  maxPatternLength: number;
  /** Skip filter, or null when patterns are too short for it. */
  filter: GramFilter | null;
}

/**
 * firstEdge layout (one Uint16 per trie node). The first child is labelled by
 * its byte, not its class, so walking along a secret needs no class lookup:
 * `(firstEdge[u] & FIRST_MASK) === (byte | HAS_FIRST)`.
 */
export const FIRST_BYTE = 0x00ff;
/** The node has a first child (node + 1), labelled FIRST_BYTE. */
export const HAS_FIRST = 0x0100;
export const FIRST_MASK = FIRST_BYTE | HAS_FIRST;
/**
 * Four plain steps follow from this node, so the scan may compare four bytes at
 * once. A plain step follows the first edge of a sparse node to a sparse child
 * at which no pattern ends. (A flag, not a separate array: the chain walk then
 * reads two arrays, firstEdge and label.)
 */
export const RUN4 = 0x2000;
/** Some pattern ends at this node (its own or, through its failure link, a shorter one). */
export const ENDS = 0x4000;
/** The node has children beyond its first (in the extra table, keyed by class). */
export const HAS_EXTRA = 0x8000;

export function extraSlot(node: number, cls: number, mask: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(cls, 0x85ebca6b)) & mask;
}

export class Automaton {
  readonly t: AutomatonTables;

  /** The first-edge labels as 32-bit little-endian words at any offset. */
  private readonly labels: DataView;

  constructor(tables: AutomatonTables) {
    this.t = tables;
    this.labels = new DataView(tables.label.buffer, tables.label.byteOffset, tables.label.byteLength);
  }

  get maxPatternLength(): number {
    return this.t.maxPatternLength;
  }

  get patternCount(): number {
    return this.t.patternCount;
  }

  get nodeCount(): number {
    return this.t.nodeCount;
  }

  /** Bytes held by the tables. */
  get tableBytes(): number {
    const t = this.t;
    return (
      t.classOf.byteLength +
      t.dense.byteLength +
      t.denseNode.byteLength +
      t.denseOut.byteLength +
      t.firstEdge.byteLength +
      t.fail.byteLength +
      t.out.byteLength +
      t.depth.byteLength +
      t.label.byteLength +
      t.extraNode.byteLength +
      t.extraClass.byteLength +
      t.extraChild.byteLength +
      (t.filter?.bits.byteLength ?? 0)
    );
  }

  /** Length of the longest suffix of the input so far that is a prefix of some pattern. */
  depthOf(state: number): number {
    const t = this.t;
    if (state < t.denseLimit) return t.depth[t.denseNode[(state / t.classCount) | 0]];
    return t.depth[state - t.denseLimit];
  }

  /**
   * Scans buf[from, to) starting in `state`; appends (index, pattern id) to
   * `sink` for every position where a pattern ends (the longest one ending
   * there), in increasing index order; returns the state after the last byte.
   * Resumable: feeding the returned state to the next call is the same as one
   * call over both ranges.
   *
   * With a skip filter, stretches that provably start no occurrence are
   * sampled every `stride` bytes instead of stepped byte by byte (see
   * prefilter.ts); the automaton runs exactly around every possible start.
   * The returned state is always the exact one (see DESIGN.md for why).
   */
  scan(buf: Uint8Array, from: number, to: number, state: number, sink: MatchSink): number {
    const filter = this.t.filter;
    if (filter === null) return this.run(buf, new DataView(buf.buffer, buf.byteOffset, buf.byteLength), from, to, state, sink, NEVER);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const bits = filter.bits;
    const shift = filter.shift;
    const stride = filter.stride;
    const lastSample = to - GRAM;
    let s = state;
    let i = from;
    // A resumed state may stand for bytes of the previous buffer; re-reading
    // SHALLOW_DEPTH bytes back must stay inside this one.
    let until = from + SHALLOW_DEPTH;
    // Text where the filter hits at once again and again (secrets' grams, near
    // misses) would bounce between the modes every few bytes: each quick hit
    // doubles how long the exact mode stays on, a long skip resets it. Staying
    // exact longer is always correct; it only costs speed on clean text.
    let linger = 0;
    for (;;) {
      if (s >= this.t.shallowLimit || i < until) {
        // Exact mode, until the automaton is shallow again past `until`.
        s = this.run(buf, view, i, to, s, sink, until);
        i = this.stoppedAt;
        if (i >= to) return s;
      }
      // Skip mode: any match in progress started at or after i - depth; re-read from there.
      // (Matches re-found there cannot be reported twice: they would be shorter than any pattern.)
      i -= this.depthOf(s);
      let j = i;
      for (; j <= lastSample; j += stride) {
        // gramHash and probe (prefilter.ts) inlined: calling them here measured 1.15x slower on the bench
        // log. If the two ever disagree, a pattern's gram is skipped and the matcher's property tests fail.
        const h = Math.imul(view.getUint32(j, true), 0x9e3779b1);
        const g = Math.imul(h, 0x85ebca6b);
        const m = (1 << (g >>> 27)) | (1 << ((g >>> 22) & 31)) | (1 << ((g >>> 17) & 31));
        if ((bits[h >>> shift] & m) === m) break;
      }
      if (j > lastSample) {
        // No occurrence starts before the unsampled end; a match may still be starting there.
        const start = Math.max(i, to - (this.t.maxPatternLength - 1));
        return this.run(buf, view, start, to, ROOT_STATE, sink, NEVER);
      }
      // Possible start within the stride-1 bytes before j: run exactly from there, far
      // enough past j that the next skip starts after j (so the scan always progresses).
      linger = j - i < QUICK_HIT * stride ? Math.min(MAX_LINGER, 2 * linger + stride) : 0;
      i = Math.max(i, j - stride + 1);
      s = ROOT_STATE;
      until = j + 1 + SHALLOW_DEPTH + linger;
    }
  }

  /** Where the last run() stopped (its second result; avoids allocating a pair). */
  private stoppedAt = 0;

  /**
   * Steps the automaton over buf[from, to), recording matches; stops early at
   * the first index >= until where the state is shallow (see shallowLimit).
   */
  private run(buf: Uint8Array, view: DataView, from: number, to: number, state: number, sink: MatchSink, until: number): number {
    const t = this.t;
    const dense = t.dense;
    const classOf = t.classOf;
    const firstEdge = t.firstEdge;
    const out = t.out;
    const labels = this.labels;
    const plainLimit = t.plainLimit;
    const denseLimit = t.denseLimit;
    const classCount = t.classCount;
    const shallowLimit = t.shallowLimit;
    let s = state;
    let i = from;
    while (i < to) {
      if (s >= denseLimit) {
        // Sparse states (deep inside a possible secret). Trie nodes are in preorder, so
        // following first children is u + 1 and a walk along a secret reads memory in
        // order: four bytes per compare along plain steps, else two loads and a compare
        // per byte, whatever the number of patterns.
        let u = s - denseLimit;
        for (;;) {
          while (firstEdge[u] & RUN4 && i + 4 <= to && view.getUint32(i, true) === labels.getUint32(u, true)) {
            u += 4;
            i += 4;
          }
          if (i === to || (firstEdge[u] & FIRST_MASK) !== (buf[i] | HAS_FIRST)) break;
          u++;
          if (firstEdge[u] & ENDS) this.record(sink, i, out[u]);
          i++;
        }
        s = denseLimit + u;
        if (i === to) break;
        // Off the chain: another child, or the failure path (which ends in a dense row).
        s = this.sparseStep(u, buf[i]);
      } else {
        // Dense states (shallow, where almost all bytes of a log stay): one load.
        s = dense[s + classOf[buf[i]]];
      }
      if (s >= plainLimit) {
        if (s < denseLimit) this.record(sink, i, t.denseOut[((s - plainLimit) / classCount) | 0]);
        else if (firstEdge[s - denseLimit] & ENDS) this.record(sink, i, out[s - denseLimit]);
      }
      i++;
      if (s < shallowLimit && i >= until) break;
    }
    this.stoppedAt = i;
    return s;
  }

  private record(sink: MatchSink, end: number, pattern: number): void {
    if (sink.count === sink.ends.length) sink.grow();
    sink.ends[sink.count] = end;
    sink.pats[sink.count] = pattern;
    sink.count++;
  }

  /** Transition from sparse trie node `node` on `byte`; returns a hot id. */
  private sparseStep(node: number, byte: number): number {
    const t = this.t;
    const denseLimit = t.denseLimit;
    const cls = t.classOf[byte];
    let u = node;
    for (;;) {
      const fe = t.firstEdge[u];
      if ((fe & FIRST_MASK) === (byte | HAS_FIRST)) return denseLimit + u + 1;
      if (fe & HAS_EXTRA) {
        const child = this.extraChildOf(u, cls);
        if (child >= 0) return child;
      }
      const f = t.fail[u];
      if (f < denseLimit) return t.dense[f + cls];
      u = f - denseLimit;
    }
  }

  private extraChildOf(node: number, cls: number): number {
    const t = this.t;
    const mask = t.extraNode.length - 1;
    let slot = extraSlot(node, cls, mask);
    for (;;) {
      const n = t.extraNode[slot];
      if (n === -1) return -1;
      if (n === node && t.extraClass[slot] === cls) return t.extraChild[slot];
      slot = (slot + 1) & mask;
    }
  }
}
