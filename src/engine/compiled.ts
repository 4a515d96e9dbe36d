/** The compiled form of a scrubber's patterns, as sessions and lanes read it. */
import type { Automaton } from '../matcher/index.js';
import type { PatternFacts } from './pattern-facts.js';

export interface CompiledSet {
  /** The current automata (the registry's levels; each scans the whole stream). */
  readonly automata: readonly Automaton[];
  /** Length of each pattern, by pattern id. */
  readonly patternLength: Int32Array;
  readonly maxPatternLength: number;
  /** Which bytes and 4-grams occur in the patterns (over-approximate: a "no" is true); absent: ask nothing. */
  readonly facts?: PatternFacts;
}
