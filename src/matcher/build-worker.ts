/** Worker-thread entry for background builds (see background.ts). */
import { parentPort } from 'node:worker_threads';
import { tableBuffers, unpack, type PackedPatterns } from './background.js';
import { buildAutomaton, type BuildOptions } from './build.js';

parentPort?.on('message', (m: { id: number; patterns: PackedPatterns; options: BuildOptions }) => {
  try {
    const tables = buildAutomaton(unpack(m.patterns), m.options).t;
    parentPort?.postMessage({ id: m.id, tables }, tableBuffers(tables));
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
