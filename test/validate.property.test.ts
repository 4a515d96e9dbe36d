/**
 * Every public entry, called with arbitrary values (`fc.anything()`), returns
 * or throws a scrub-filter TypeError/RangeError within bounded time: never
 * hangs, never a raw property error. A hang cannot be caught in the thread
 * that hangs, so the calls run in a worker thread (on the built package)
 * that is terminated after a deadline, naming the entry that was running.
 */
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, DIST_ENTRY_URL } from './helpers/dist.js';
import { runs, seed } from './helpers/chunking.js';

const DEADLINE_MS = 30_000;

describe('public entries with arbitrary arguments', () => {
  beforeAll(() => assertFreshDist());

  it('each call returns or throws a TypeError/RangeError in bounded time', async () => {
    const progress = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('./fixtures/validate-worker.mjs', import.meta.url), {
      workerData: { entry: DIST_ENTRY_URL, progress, seed: seed(), runs: runs(150) },
    });
    let names: string[] = [];
    const result = await new Promise<{ ok: boolean; message?: string; entries?: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = new Int32Array(progress)[0];
        void worker.terminate();
        resolve({ ok: false, message: `hung: ${names[at] ?? `entry #${at}`} did not return within ${DEADLINE_MS} ms` });
      }, DEADLINE_MS);
      worker.on('message', (m: { names?: string[]; ok?: boolean; message?: string }) => {
        if (m.names) {
          names = m.names;
          return;
        }
        clearTimeout(timer);
        void worker.terminate();
        resolve(m as { ok: boolean; message?: string });
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    expect(result.message ?? '').toBe('');
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(19);
  }, DEADLINE_MS + 10_000);
});
