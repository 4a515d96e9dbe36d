/**
 * Every registered pattern, who it belongs to, and the automata compiled from
 * them.
 *
 * Compilation is lazy (at the next write after any add), so a burst of adds
 * costs one build. To keep an add cheap when many secrets are already
 * registered, patterns live in levels over consecutive ranges of pattern ids:
 *   - levels[0], the base: everything up to the last full merge;
 *   - further levels, the mid: batches of recent patterns, merged into one
 *     while they stay under max(minRecent, base/8) patterns, else into base;
 *   - recent: patterns added since, at most RECENT_MAX (rebuilt on each
 *     change, so a single add costs milliseconds whatever the size of the set;
 *     when full it is sealed as a mid level as it is, without a rebuild).
 * Streams scan with all of them. Rebuild work stays amortised O(1) per pattern.
 *
 * Patterns no automaton covers yet are always built synchronously (a one-shot
 * scrub must see them without the event loop turning). A *merge* only
 * rebuilds patterns that are covered already, so a big one runs in the
 * background (a worker thread): until its result lands, the levels it will
 * replace stay published and keep covering every pattern; the next compile
 * after it lands swaps them for the merged automaton. One merge at a time.
 *
 * *Settling*: the size rules above leave a few small levels behind for good
 * (a handful of dynamic adds or detected secrets next to a big base never
 * reach base/8), and every stream scans each level: one extra automaton
 * costs about as much per byte as the base itself (the skip filter's samples
 * dominate, whatever the level's size). So once the set has not changed for
 * max(settleMs, SETTLE_FACTOR x the last full build's time), everything is
 * merged into one automaton, in the background like any merge. The quiet
 * time bounds the cost: settle merges keep at most 1/(SETTLE_FACTOR + 1) of
 * a core busy, however adds are spaced.
 */
import { type Automaton, buildAutomaton } from '../matcher/index.js';
import { type BackgroundBuild, type PackedPatterns, workerBuilder } from '../matcher/background.js';
import type { CompiledSet } from './session.js';

/** Patterns in `recent`, rebuilt on each change: small enough to build in a few ms. */
const RECENT_MAX = 128;
const MIN_MID = 2048;
/** Merges of at most this many patterns run synchronously (a few ms; ~15 ms on a loaded 2-core machine with variants). */
const SYNC_MERGE_MAX = 512;
/** Small levels sealed during a background merge that are folded together in place. */
const TRAILING_MAX = 4;
/** Least quiet time (ms without new patterns) before the levels settle into one. */
const SETTLE_MS = 1000;
/** The quiet time is also at least this many times the last full build took (see Settling). */
const SETTLE_FACTOR = 8;

export interface RegistryTuning {
  /** `mid` is merged into `base` beyond max(minRecent, base/8) patterns; `recent` into `mid` beyond min(RECENT_MAX, minRecent). */
  minRecent?: number;
  /** Dense-row budget per automaton (Int32 entries); see matcher/build.ts. */
  denseBudget?: number;
  /** Background builder for merges (default: a worker thread when available); null = merge synchronously. */
  background?: BackgroundBuild | null;
  /** Merges of more patterns than this go to the background builder (default SYNC_MERGE_MAX). */
  syncMergeMax?: number;
  /** Least quiet time before the levels settle into one automaton (default SETTLE_MS; Infinity: never). */
  settleMs?: number;
  /** The clock settling reads, in ms (default performance.now; tests drive their own). */
  clock?: () => number;
}

/** The default background builder: one per process, made on first use. */
let defaultBuilder: BackgroundBuild | null | undefined;

interface Level {
  from: number;
  to: number;
  automaton: Automaton;
}

interface Merge {
  from: number;
  to: number;
  result: Automaton | null;
  failed: boolean;
}

export class PatternRegistry {
  private data = new Uint8Array(1 << 12);
  private dataLen = 0;
  private offsets = new Float64Array(64); // start of pattern i in data; i+1 is its end
  private lengths = new Int32Array(64);
  private owners = new Int32Array(64);
  private count = 0;

  /** Consecutive ranges [0, sealedEnd); levels[0] is the base. */
  private levels: Level[] = [];
  private sealedEnd = 0;
  private recent: Automaton | null = null; // patterns [sealedEnd, count)
  private merge: Merge | null = null;
  private compiledCount = 0;
  private set: CompiledSet = { automata: [], patternLength: this.lengths, maxPatternLength: 0 };
  private maxLen = 0;
  private readonly minRecent: number;
  private readonly recentMax: number;
  private readonly denseBudget: number | undefined;
  private readonly background: BackgroundBuild | null;
  private readonly syncMergeMax: number;
  private readonly settleMs: number;
  private readonly clock: () => number;
  /** When patterns were last compiled in (the quiet time counts from there). */
  private changedAt = 0;
  /** How long the last build of everything (sync, or background until it landed) took, in ms. */
  private fullBuildMs = 0;

  constructor(tuning: RegistryTuning = {}) {
    this.minRecent = tuning.minRecent ?? MIN_MID;
    this.recentMax = Math.min(RECENT_MAX, this.minRecent);
    this.denseBudget = tuning.denseBudget;
    if (tuning.background !== undefined) this.background = tuning.background;
    else this.background = defaultBuilder === undefined ? (defaultBuilder = workerBuilder()) : defaultBuilder;
    this.syncMergeMax = tuning.syncMergeMax ?? SYNC_MERGE_MAX;
    this.settleMs = tuning.settleMs ?? SETTLE_MS;
    this.clock = tuning.clock ?? (() => performance.now());
  }

  get patternCount(): number {
    return this.count;
  }

  /** Automata built so far, in place or in the background (tests check that bursts of adds build once). */
  builds = 0;

  /** A background merge is in flight (its levels are still the published ones). */
  get merging(): boolean {
    return this.merge !== null && this.merge.result === null && !this.merge.failed;
  }

  /** Resolves once no merge is in flight (tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.merging) await this.mergeDone;
  }
  private mergeDone: Promise<unknown> = Promise.resolve();

  /** Owner (secret index) of a pattern. */
  ownerOf(pattern: number): number {
    return this.owners[pattern];
  }

  add(pattern: Uint8Array, owner: number): void {
    if (pattern.length === 0) throw new Error('scrub-filter: internal error: empty pattern');
    if (this.count + 1 >= this.lengths.length) this.growIndex();
    while (this.dataLen + pattern.length > this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2);
      bigger.set(this.data.subarray(0, this.dataLen));
      this.data = bigger;
    }
    this.data.set(pattern, this.dataLen);
    this.offsets[this.count] = this.dataLen;
    this.lengths[this.count] = pattern.length;
    this.owners[this.count] = owner;
    this.dataLen += pattern.length;
    this.count++;
    if (pattern.length > this.maxLen) this.maxLen = pattern.length;
  }

  /** The automata as last compiled (builds nothing: patterns added since are not in them). */
  get published(): CompiledSet {
    return this.set;
  }

  /** The automata for every pattern added so far (builds what changed, picks up a finished merge). */
  compiled(): CompiledSet {
    if (this.merging) this.background?.poll?.();
    const landed = this.installMerge();
    if (this.compiledCount === this.count && !landed) return this.settle() ? this.publish() : this.set;
    if (this.compiledCount !== this.count) {
      this.changedAt = this.clock();
      if (this.count - this.sealedEnd <= this.recentMax) {
        this.recent = this.build(this.sealedEnd, this.count);
      } else if (this.recent !== null && this.count - this.compiledCount <= this.recentMax) {
        // Seal recent as it is (it covers [sealedEnd, compiledCount)); only the new patterns are built.
        this.levels.push({ from: this.sealedEnd, to: this.compiledCount, automaton: this.recent });
        this.sealedEnd = this.compiledCount;
        this.recent = this.build(this.sealedEnd, this.count);
      } else {
        // A burst: everything since the last seal becomes one level.
        this.recent = null;
        this.levels.push({ from: this.sealedEnd, to: this.count, automaton: this.build(this.sealedEnd, this.count) });
        this.sealedEnd = this.count;
      }
    }
    this.planMerge();
    return this.publish();
  }

  /** Merges everything into `base` now (synchronously; a merge in flight is dropped). */
  compact(): void {
    if (this.count === this.sealedEnd && this.levels.length <= 1 && this.merge === null) return;
    this.merge = null;
    this.levels = this.count === 0 ? [] : [{ from: 0, to: this.count, automaton: this.build(0, this.count) }];
    this.sealedEnd = this.count;
    this.recent = null;
    this.publish();
  }

  /** Merge policy: mid levels into one, or everything into base once mid outgrows base/8. */
  private planMerge(): void {
    if (this.merge !== null) {
      this.foldTrailing(this.merge.to);
      return;
    }
    if (this.levels.length < 2) return;
    const baseCount = this.levels[0].to;
    const midCount = this.sealedEnd - baseCount;
    if (midCount > Math.max(this.minRecent, baseCount / 8)) this.startMerge(0);
    else if (this.levels.length > 2) this.startMerge(1);
  }

  /**
   * Settling (see the header): once the set has been quiet long enough and
   * is still split, seals recent and merges every level into one. True if
   * the levels changed in place (a small merge); a background one publishes
   * when it lands.
   */
  private settle(): boolean {
    if (this.merge !== null || this.levels.length + (this.recent === null ? 0 : 1) < 2) return false;
    // Without a background builder a big merge would stall the caller's write.
    if (this.background === null && this.count > this.syncMergeMax) return false;
    if (this.clock() - this.changedAt < Math.max(this.settleMs, SETTLE_FACTOR * this.fullBuildMs)) return false;
    if (this.recent !== null) {
      this.levels.push({ from: this.sealedEnd, to: this.count, automaton: this.recent });
      this.sealedEnd = this.count;
      this.recent = null;
    }
    this.startMerge(0);
    return this.merge === null;
  }

  /**
   * While a merge is in flight, levels sealed after its range pile up (and
   * every stream scans each of them): as soon as the last TRAILING_MAX ones
   * hold at most syncMergeMax patterns together, fold them into one in place
   * (a bounded build). Folded levels grow up to syncMergeMax, so the count
   * grows by about one per syncMergeMax patterns added during the merge.
   */
  private foldTrailing(after: number): void {
    let k = this.levels.length;
    let total = 0;
    while (k > 0 && this.levels[k - 1].from >= after) {
      const size = this.levels[k - 1].to - this.levels[k - 1].from;
      if (total + size > this.syncMergeMax) break;
      total += size;
      k--;
    }
    if (this.levels.length - k < TRAILING_MAX) return;
    const from = this.levels[k].from;
    const to = this.sealedEnd;
    this.levels.splice(k, this.levels.length - k, { from, to, automaton: this.build(from, to) });
  }

  /** Rebuilds levels[first..] as one, in place when small, else in the background. */
  private startMerge(first: number): void {
    const from = this.levels[first].from;
    const to = this.sealedEnd;
    if (this.background === null || to - from <= this.syncMergeMax) {
      this.levels.splice(first, this.levels.length - first, { from, to, automaton: this.build(from, to) });
      return;
    }
    const merge: Merge = { from, to, result: null, failed: false };
    this.merge = merge;
    this.builds++;
    const started = this.clock();
    this.mergeDone = this.background(this.pack(from, to), { idBase: from, denseBudget: this.denseBudget }).then(
      (a) => {
        merge.result = a;
        // Until it landed, not its CPU time: an overestimate only makes settling rarer.
        this.noteBuildTime(from, started);
      },
      () => {
        merge.failed = true;
      },
    );
  }

  /** Swaps a landed merge in for the levels it covers; a failed one is redone in place. True if levels changed. */
  private installMerge(): boolean {
    const m = this.merge;
    if (m === null || (m.result === null && !m.failed)) return false;
    this.merge = null;
    const first = this.levels.findIndex((l) => l.from === m.from);
    const last = this.levels.findIndex((l) => l.to === m.to);
    // Only this merge replaces levels in [from, to), so they are all still there.
    if (first < 0 || last < first) throw new Error('scrub-filter: internal error: merged levels are gone');
    const automaton = m.result ?? this.build(m.from, m.to);
    this.levels.splice(first, last - first + 1, { from: m.from, to: m.to, automaton });
    return true;
  }

  private build(from: number, to: number): Automaton {
    this.builds++;
    const started = this.clock();
    const automaton = buildAutomaton(this.slice(from, to), { idBase: from, denseBudget: this.denseBudget });
    this.noteBuildTime(from, started);
    return automaton;
  }

  /** A build of everything (from 0) sets the settle quiet time's scale. */
  private noteBuildTime(from: number, started: number): void {
    if (from === 0) this.fullBuildMs = this.clock() - started;
  }

  private publish(): CompiledSet {
    this.compiledCount = this.count;
    const automata = this.levels.map((l) => l.automaton);
    if (this.recent !== null) automata.push(this.recent);
    this.set = { automata, patternLength: this.lengths, maxPatternLength: this.maxLen };
    return this.set;
  }

  /** A copy of patterns [from, to), packed for the background builder. */
  private pack(from: number, to: number): PackedPatterns {
    const start = this.offsets[from];
    const data = this.data.slice(start, this.offsets[to - 1] + this.lengths[to - 1]);
    const ends = new Int32Array(to - from);
    for (let i = from; i < to; i++) ends[i - from] = this.offsets[i] - start + this.lengths[i];
    return { data, ends };
  }

  /** Bytes held by the compiled tables. */
  get tableBytes(): number {
    let bytes = this.recent?.tableBytes ?? 0;
    for (const l of this.levels) bytes += l.automaton.tableBytes;
    return bytes;
  }

  private slice(from: number, to: number): Uint8Array[] {
    const views: Uint8Array[] = new Array(to - from);
    for (let i = from; i < to; i++) {
      const start = this.offsets[i];
      views[i - from] = this.data.subarray(start, start + this.lengths[i]);
    }
    return views;
  }

  private growIndex(): void {
    const n = this.lengths.length * 2;
    const offsets = new Float64Array(n);
    offsets.set(this.offsets);
    const lengths = new Int32Array(n);
    lengths.set(this.lengths);
    const owners = new Int32Array(n);
    owners.set(this.owners);
    this.offsets = offsets;
    this.lengths = lengths;
    this.owners = owners;
    // Sessions read lengths through the compiled set; refresh it on the next compile.
    this.set = { ...this.set, patternLength: this.lengths };
  }
}
