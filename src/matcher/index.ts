/** Byte-level Aho-Corasick matcher: build once, scan resumably. */
export { Automaton, MatchSink, ROOT_STATE } from './automaton.js';
export { buildAutomaton, type BuildOptions } from './build.js';
