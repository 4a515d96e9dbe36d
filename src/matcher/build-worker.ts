/** Worker-thread entry for background builds (see background.ts). */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { tableBuffers, unpack, type PackedPatterns } from './background.js';
import { buildAutomaton, type BuildOptions } from './build.js';

// Replies go to the port the parent polls (see workerBuilder), else to the parent itself.
const replies: MessagePort | null = (workerData as { replies?: MessagePort } | null)?.replies ?? parentPort;

parentPort?.on('message', (m: { id: number; patterns: PackedPatterns; options: BuildOptions }) => {
  try {
    const tables = buildAutomaton(unpack(m.patterns), m.options).t;
    replies?.postMessage({ id: m.id, tables }, tableBuffers(tables));
  } catch (e) {
    replies?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
