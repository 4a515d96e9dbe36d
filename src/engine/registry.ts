/**
 * Every registered pattern, who it belongs to, and the automata compiled from
 * them.
 *
 * Compilation is lazy (at the next write after any add), so a burst of adds
 * costs one build. To keep an add cheap when many secrets are already
 * registered, patterns live in two levels:
 *   - base: everything up to the last merge (large, rebuilt rarely);
 *   - recent: patterns added since (small, rebuilt on each change).
 * Streams scan with both. When `recent` grows past max(MIN_RECENT, base/8)
 * patterns it is merged into `base`, so rebuild work stays amortised O(1)
 * per pattern and scans never run more than two automata.
 */
import { type Automaton, buildAutomaton } from '../matcher/index.js';
import type { CompiledSet } from './session.js';

const MIN_RECENT = 2048;

export interface RegistryTuning {
  /** `recent` is merged into `base` beyond max(minRecent, base/8) patterns. */
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
  private recent: Automaton | null = null;
  private compiledCount = 0;
  private set: CompiledSet = { automata: [], patternLength: this.lengths, maxPatternLength: 0 };
  private maxLen = 0;
  private readonly minRecent: number;
  private readonly denseBudget: number | undefined;

  constructor(tuning: RegistryTuning = {}) {
    this.minRecent = tuning.minRecent ?? MIN_RECENT;
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
    const recentCount = this.count - this.baseCount;
    if (recentCount > Math.max(this.minRecent, this.baseCount / 8)) {
      this.base = buildAutomaton(this.slice(0, this.count), { idBase: 0, denseBudget: this.denseBudget });
      this.baseCount = this.count;
      this.recent = null;
    } else {
      this.recent = buildAutomaton(this.slice(this.baseCount, this.count), { idBase: this.baseCount, denseBudget: this.denseBudget });
    }
    this.compiledCount = this.count;
    this.builds++;
    const automata: Automaton[] = [];
    if (this.base) automata.push(this.base);
    if (this.recent) automata.push(this.recent);
    this.set = { automata, patternLength: this.lengths, maxPatternLength: this.maxLen };
    return this.set;
  }

  /** Merges `recent` into `base` now. */
  compact(): void {
    if (this.count === this.baseCount && this.recent === null) return;
    this.base = buildAutomaton(this.slice(0, this.count), { idBase: 0, denseBudget: this.denseBudget });
    this.baseCount = this.count;
    this.recent = null;
    this.compiledCount = this.count;
    this.builds++;
    this.set = { automata: [this.base], patternLength: this.lengths, maxPatternLength: this.maxLen };
  }

  /** Bytes held by the compiled tables. */
  get tableBytes(): number {
    return (this.base?.tableBytes ?? 0) + (this.recent?.tableBytes ?? 0);
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
