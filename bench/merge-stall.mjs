#!/usr/bin/env node
// Merge stall (issue 12): the longest single write() of a live stream while
// secrets keep being added to a large scrubber, through at least one mid->base
// merge. Each write is one 64 KiB chunk of ordinary text after one add();
// the event loop turns between writes (as in a real pipe), so a background
// merge can land. Runs the same sequence with merges in place (`sync`) and in
// the worker (`worker`), in the same process.
//
//   node bench/merge-stall.mjs [--n 10000] [--adds 1500] [--json]
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { MIB, SEED, generateLog, makeSecrets, chunksOf } from './lib/gen.mjs';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    adds: { type: 'string', default: '1500' },
    json: { type: 'boolean', default: false },
  },
});
const dist = process.env.SCRUB_BENCH_DIST ?? new URL('../dist', import.meta.url).pathname;
const engine = await import(pathToFileURL(join(dist, 'variants/index.js')).href); // the expander is internal
const { ScrubberEngine } = await import(pathToFileURL(join(dist, 'engine/scrubber.js')).href);
const n = Number(args.n);
const adds = Number(args.adds);
const secrets = makeSecrets(n + adds, SEED);
const chunks = chunksOf(generateLog({ bytes: 8 * MIB, secrets: secrets.slice(0, n), seed: SEED }).buf);
const variants = engine.resolveVariants(undefined);
const log = (m) => process.stderr.write(m + '\n');

async function run(mode) {
  const e = new ScrubberEngine({
    mask: new TextEncoder().encode('***'),
    minLength: 1,
    expand: (s) => engine.expandSecret(s, { variants }),
    lanes: new Set(['base64-wrapped', 'percent', 'entities']),
    tuning: mode === 'sync' ? { background: null } : {},
  });
  e.addAll(secrets.slice(0, n));
  const session = e.session();
  session.write(chunks[0]);
  let worst = 0;
  let worstAt = -1;
  const times = [];
  let merges = 0;
  let prevLen = e.compiled().automata.length;
  for (let k = 0; k < adds; k++) {
    e.add(secrets[n + k]);
    const t = performance.now();
    if (process.env.STALL_TRACE) e.compiled(); // split the write's time: compile, then scan
    const tc = performance.now();
    session.write(chunks[(k + 1) % chunks.length]);
    const ms = performance.now() - t;
    if (process.env.STALL_TRACE && ms > 20) log(`  add #${k}: ${ms.toFixed(1)} ms (compile ${(tc - t).toFixed(1)}), ${e.compiled().automata.length} automata`);
    times.push(ms);
    if (ms > worst) [worst, worstAt] = [ms, k];
    const len = e.compiled().automata.length;
    if (len < prevLen) merges++;
    prevLen = len;
    await turn();
  }
  session.end();
  times.sort((a, b) => a - b);
  const res = { mode, n, adds, patterns: e.patternCount, worstMs: worst, worstAtAdd: worstAt, p99Ms: times[Math.floor(times.length * 0.99)], medianMs: times[times.length >> 1], levelDrops: merges, builds: e.builds };
  log(`${mode.padEnd(6)} ${n} secrets + ${adds} adds (${res.patterns} patterns): worst write ${worst.toFixed(1)} ms (after add #${worstAt}), p99 ${res.p99Ms.toFixed(2)} ms, median ${res.medianMs.toFixed(2)} ms, ${merges} level drops, ${e.builds} builds`);
  return res;
}

const results = [await run('sync'), await run('worker')];
if (args.json) console.log(JSON.stringify(results));
