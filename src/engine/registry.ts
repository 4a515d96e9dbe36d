/**
 * Every registered pattern, who it belongs to, and the automata compiled from
 * them.
 *
 * Compilation is lazy (at the next write after any add), so a burst of adds
 * costs one build. To keep an add cheap when many secrets are already
 * registered, patterns live in up to three levels, oldest first:
 *   - base: everything up to the last full merge (large, rebuilt rarely);
 *   - mid: merged batches of recent patterns, up to max(MIN_MID, base/8);
 *   - recent: patterns added since, at most RECENT_MAX (rebuilt on each change,
 *     so a single add costs milliseconds whatever the size of the set).
 * Streams scan with all of them. A full `recent` folds into `mid`, a full
 * `mid` into `base`, so rebuild work stays amortised O(1) per pattern.
 */
import { type Automaton, buildAutomaton } from '../matcher/index.js';
import type { CompiledSet } from './session.js';

const RECENT_MAX = 256;
const MIN_MID = 2048;

export interface RegistryTuning {
  /** `mid` is merged into `base` beyond max(minRecent, base/8) patterns; `recent` into `mid` beyond min(RECENT_MAX, minRecent). */
  minRecent?: number;
  /** Dense-row budget per automaton (Int32 entries); see matcher/build.ts. */
  denseBudget?: number;
}

export class PatternRegistry {
  private data = new Uint8Array(1 << 12);
  private dataLen = 0;
  private offsets = new Float64Array(64); // start of pattern i in data; i+1 is its end
  private lengths = new Int32Array(64);
  private owners = new Int32Array(64);
  private count = 0;

  private base: Automaton | null = null;
  private baseCount = 0;
  private mid: Automaton | null = null;
  private midEnd = 0; // mid holds patterns [baseCount, midEnd), recent [midEnd, count)
  private recent: Automaton | null = null;
  private compiledCount = 0;
  private set: CompiledSet = { automata: [], patternLength: this.lengths, maxPatternLength: 0 };
  private maxLen = 0;
  private readonly minRecent: number;
  private readonly recentMax: number;
  private readonly denseBudget: number | undefined;

  constructor(tuning: RegistryTuning = {}) {
    this.minRecent = tuning.minRecent ?? MIN_MID;
    this.recentMax = Math.min(RECENT_MAX, this.minRecent);
    this.denseBudget = tuning.denseBudget;
  }

  get patternCount(): number {
    return this.count;
  }

  /** Automata built so far (tests check that bursts of adds build once). */
  builds = 0;

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

  /** The automata for every pattern added so far (builds what changed). */
  compiled(): CompiledSet {
    if (this.compiledCount === this.count) return this.set;
    if (this.count - this.midEnd <= this.recentMax) {
      this.recent = this.build(this.midEnd, this.count);
    } else {
      // Fold recent into mid, and mid into base when mid is full.
      this.recent = null;
      this.midEnd = this.count;
      if (this.midEnd - this.baseCount > Math.max(this.minRecent, this.baseCount / 8)) {
        this.base = this.build(0, this.count);
        this.baseCount = this.count;
        this.mid = null;
      } else {
        this.mid = this.build(this.baseCount, this.midEnd);
      }
    }
    return this.publish();
  }

  /** Merges everything into `base` now. */
  compact(): void {
    if (this.count === this.baseCount && this.mid === null && this.recent === null) return;
    this.base = this.build(0, this.count);
    this.baseCount = this.midEnd = this.count;
    this.mid = this.recent = null;
    this.publish();
  }

  private build(from: number, to: number): Automaton {
    this.builds++;
    return buildAutomaton(this.slice(from, to), { idBase: from, denseBudget: this.denseBudget });
  }

  private publish(): CompiledSet {
    this.compiledCount = this.count;
    const automata = [this.base, this.mid, this.recent].filter((a): a is Automaton => a !== null);
    this.set = { automata, patternLength: this.lengths, maxPatternLength: this.maxLen };
    return this.set;
  }

  /** Bytes held by the compiled tables. */
  get tableBytes(): number {
    return (this.base?.tableBytes ?? 0) + (this.mid?.tableBytes ?? 0) + (this.recent?.tableBytes ?? 0);
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
