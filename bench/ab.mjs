#!/usr/bin/env node
// Same-process A/B of the two ratio targets between scrub-filter rows
// (issue 8: variants on / off; issue 11: detection on / off), 1,000 secrets,
// `scrubber.stream()` over the bench log in 64 KiB chunks. The two
// configurations of a pair run alternately in one process, round after round,
// and the ratio is the median of per-round ratios (MB/s of B ÷ MB/s of A in
// the same round; every other round runs B first). On a shared machine this cancels
// what the JS-loop pairing of run.mjs cannot: the loop itself runs at one of
// two speeds from one process to the next. It informs; the targets table's
// verdict stays the paired figure's.
//
//   node bench/ab.mjs [--mib 16] [--rounds 15] [--json]
//   node bench/ab.mjs --breakdown [--mib 16] [--rounds 15]
//
// --breakdown instead times, interleaved in one process, variants off, the
// pattern variants alone, each lane added on its own, all on, and detection
// on top (README's "Where the time goes"): best-of-rounds ms per pass.
//
// Needs dist/ (npm run build); run.mjs runs it on its engine snapshot.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CHUNK, MIB, MAX_SECRETS, generateLog, makeSecrets, chunksOf } from './lib/gen.mjs';
import { pump } from './lib/pump.mjs';
import { waitSettled } from './lib/detect-bench.mjs';

const { values: args } = parseArgs({
  options: {
    mib: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '15' },
    json: { type: 'boolean', default: false },
    breakdown: { type: 'boolean', default: false },
  },
});
const dist = process.env.SCRUB_BENCH_DIST ?? new URL('../dist', import.meta.url).pathname;
const { createScrubber } = await import(pathToFileURL(join(dist, 'index.js')).href);

const N = 1000;
const bytes = Math.round((Number(args.mib) * MIB) / CHUNK) * CHUNK;
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${args.rounds}`);
if (!(bytes >= CHUNK)) throw new Error(`--mib must give at least one ${CHUNK}-byte chunk, got ${args.mib}`);
// The input of run.mjs's rows: plants drawn from all MAX_SECRETS secrets, the first N registered
// (so, as there, detection finds credentials nobody registered and registers them).
const everyone = makeSecrets(MAX_SECRETS);
const secrets = everyone.slice(0, N);
const chunks = chunksOf(generateLog({ bytes, secrets: everyone }).buf);
const engineUrl = () => pathToFileURL(join(dist, 'index.js')).href;
const log = (m) => process.stderr.write(m + '\n');

const PAIRS = [
  {
    id: 'lanes',
    name: '1,000 secrets: variants on (all lanes) / variants off (issue 8)',
    target: 0.7,
    a: { variants: [], detect: false },
    b: { variants: undefined, detect: false },
  },
  {
    id: 'detect',
    name: '1,000 secrets, variants on: detection on / detection off (issue 11)',
    target: 0.6,
    a: { variants: undefined, detect: false },
    b: { variants: undefined, detect: true },
  },
];

function scrubber(opts) {
  const s = createScrubber({ secrets, ...opts });
  s.scrub('warm up the build');
  return s;
}

/** One round: the whole input through `stream()`; returns ms. */
async function round(s) {
  const t = performance.now();
  await pump(Readable.from(chunks), [s.stream()]);
  return performance.now() - t;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const quantile = (xs, q) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

if (args.breakdown) {
  const PATTERNS = ['lines', 'json', 'base64', 'shell'];
  const configs = {
    'variants off': { variants: [], detect: false },
    'pattern variants only': { variants: PATTERNS, detect: false },
    '+ base64-wrapped': { variants: [...PATTERNS, 'base64-wrapped'], detect: false },
    '+ percent': { variants: [...PATTERNS, 'percent'], detect: false },
    '+ entities': { variants: [...PATTERNS, 'entities'], detect: false },
    'all variants': { variants: undefined, detect: false },
    'all variants + detection': { variants: undefined, detect: true },
  };
  const scs = Object.entries(configs).map(([name, opts]) => [name, scrubber(opts)]);
  const best = new Map();
  for (let r = 0; r < rounds + 2; r++) {
    // After two warm-up rounds, steady state (as in the pairs below).
    if (r === 2) for (const [, s] of scs) await waitSettled(engineUrl, s);
    for (const [name, s] of scs) {
      const ms = await round(s);
      if (r >= 2) best.set(name, Math.min(best.get(name) ?? Infinity, ms));
    }
  }
  const off = best.get('variants off');
  for (const [name] of scs) log(`${name.padEnd(26)} ${best.get(name).toFixed(1).padStart(7)} ms  ${(off / best.get(name)).toFixed(2)}x variants off`);
  process.exit(0);
}

const results = [];
for (const pair of PAIRS) {
  const a = scrubber(pair.a);
  const b = scrubber(pair.b);
  // Warm-up: two rounds each (a detected value is registered in the first, as in run.mjs's warm-up),
  // then, as there, steady state: the registry has settled what detection registered.
  for (let k = 0; k < 2; k++) {
    await round(a);
    await round(b);
  }
  for (const s of [a, b]) await waitSettled(engineUrl, s);
  const ratios = [];
  const msA = [];
  const msB = [];
  for (let r = 0; r < rounds; r++) {
    // Every other round B first, so what one configuration leaves behind (GC debt, caches) does not favour the other.
    let ta;
    let tb;
    if (r % 2 === 0) {
      ta = await round(a);
      tb = await round(b);
    } else {
      tb = await round(b);
      ta = await round(a);
    }
    msA.push(ta);
    msB.push(tb);
    ratios.push(ta / tb);
  }
  const res = {
    id: pair.id,
    name: pair.name,
    target: pair.target,
    ratio: median(ratios),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    mbpsA: bytes / median(msA) / 1e3,
    mbpsB: bytes / median(msB) / 1e3,
    rounds,
    bytes,
  };
  results.push(res);
  log(`${pair.id.padEnd(7)} ratio ${res.ratio.toFixed(3)} (IQR ${res.q1.toFixed(3)}–${res.q3.toFixed(3)}), ${res.mbpsB.toFixed(0)} / ${res.mbpsA.toFixed(0)} MB/s, ${rounds} rounds of ${bytes / MIB} MiB`);
}
if (args.json) process.stdout.write(JSON.stringify(results) + '\n');
