/**
 * Building an automaton off the main thread, for merges of already-covered
 * patterns (the registry keeps scanning with the old levels meanwhile, so
 * nothing waits for the result and nothing is unmasked).
 *
 * Patterns travel packed (one byte buffer and the end offset of each
 * pattern), copied; the tables come back as transferred ArrayBuffers (the
 * worker's isolate detaches them, never ours: see workerBuilder), so neither
 * direction copies more than the pattern bytes once.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Automaton, type AutomatonTables } from './automaton.js';
import type { BuildOptions } from './build.js';

/** Patterns as one buffer: pattern i is data[ends[i-1] (or 0), ends[i]). */
export interface PackedPatterns {
  data: Uint8Array;
  ends: Int32Array;
}

/**
 * Builds an automaton later; rejects if it cannot (the caller then builds
 * synchronously). `poll`, if there, settles the promises of finished builds
 * now: a caller that writes chunk after chunk without the event loop turning
 * (a stream fed from memory, a loop of scrub() calls) would otherwise never
 * see a result.
 */
export interface BackgroundBuild {
  (patterns: PackedPatterns, options: BuildOptions): Promise<Automaton>;
  poll?(): void;
}

export function unpack(p: PackedPatterns): Uint8Array[] {
  const out: Uint8Array[] = new Array(p.ends.length);
  let start = 0;
  for (let i = 0; i < p.ends.length; i++) {
    out[i] = p.data.subarray(start, p.ends[i]);
    start = p.ends[i];
  }
  return out;
}

/** Every distinct ArrayBuffer behind the tables (a transfer list may not repeat one). */
export function tableBuffers(t: AutomatonTables): ArrayBuffer[] {
  const arrays = [t.classOf, t.dense, t.denseNode, t.denseOut, t.firstEdge, t.label, t.fail, t.out, t.depth, t.extraNode, t.extraClass, t.extraChild];
  if (t.filter) arrays.push(t.filter.bits);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

interface Reply {
  id: number;
  tables?: AutomatonTables;
  error?: string;
}

/**
 * A builder backed by one worker thread (created on first use, unref'd so it
 * never keeps a process alive: a merge is only an optimisation, the levels it
 * would replace stay correct). Returns null when the worker script is not
 * there (e.g. running from TypeScript sources), so callers build in place.
 */
export function workerBuilder(script: URL = new URL('./build-worker.js', import.meta.url)): BackgroundBuild | null {
  if (script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return null;
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (a: Automaton) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error): void => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
    worker = null;
  };
  /** Replies come on a port of their own, which poll() can read without the event loop. */
  let replies: MessagePort | null = null;
  const deliver = (m: Reply): void => {
    const entry = waiting.get(m.id);
    if (!entry) return;
    waiting.delete(m.id);
    if (m.tables) entry.resolve(new Automaton(m.tables));
    else entry.reject(new Error(`scrub-filter: background build failed: ${m.error}`));
  };
  const start = (): Worker => {
    const channel = new MessageChannel();
    const w = new Worker(script, { workerData: { replies: channel.port2 }, transferList: [channel.port2] });
    replies = channel.port1;
    replies.on('message', deliver);
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('scrub-filter: background build worker exited')));
    // After the listeners (adding a 'message' listener refs a port again).
    replies.unref();
    w.unref();
    return w;
  };
  const build: BackgroundBuild = (patterns, options) =>
    new Promise<Automaton>((resolve, reject) => {
      try {
        worker ??= start();
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        // Copied, not transferred: detaching any ArrayBuffer in this isolate invalidates V8's
        // "no detached buffers" protector for good, and every typed-array loop of the process
        // (the matcher, the lanes, the caller's own code) then pays a check per access.
        worker.postMessage({ id, patterns, options });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  build.poll = (): void => {
    if (replies === null || waiting.size === 0) return;
    for (let m = receiveMessageOnPort(replies); m !== undefined; m = receiveMessageOnPort(replies)) deliver(m.message as Reply);
  };
  return build;
}
