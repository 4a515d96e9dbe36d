/** The compiled form of a scrubber's patterns, as sessions and lanes read it. */
import type { Automaton } from '../matcher/index.js';

export interface CompiledSet {
  /** The current automata (the registry's levels; each scans the whole stream). */
  readonly automata: readonly Automaton[];
  /** Length of each pattern, by pattern id. */
  readonly patternLength: Int32Array;
  readonly maxPatternLength: number;
  /**
   * patternBytes[b] is 1 if byte b occurs in some registered pattern (it may
   * be 1 a little early: set at add(), before the next compile). A decoded
   * byte that occurs in no pattern cannot be part of any match.
   */
  readonly patternBytes?: Uint8Array;
}
