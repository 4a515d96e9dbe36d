#!/usr/bin/env node
// Adversarial floor (issue 12): MB/s of the matcher alone and of a whole
// session on inputs chosen to keep the automaton deep, as a ratio to ordinary
// log text measured in the same process (each adversarial round is bracketed
// by ordinary rounds, so load swings cancel).
//
//   node bench/adversarial.mjs [--n 1000] [--variants on|off|both] [--mib 8]
//                              [--layer matcher|session|both] [--rounds 3] [--json]
//
// Needs dist/ (npm run build). Layers: `matcher` = buildAutomaton over the
// patterns + Automaton.scan in 64 KiB chunks; `session` = scrubber.session()
// writeEach loop (adds masking, holdback and, with variants, the wrapped-base64
// lane, which is the session's, not the matcher's).
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { CHUNK, MIB, SEED, generateLog, makeSecrets, chunksOf } from './lib/gen.mjs';
import { ADVERSARIAL, nearMiss, sharedPrefixSecrets } from './lib/adversarial.mjs';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    variants: { type: 'string', default: 'both' },
    mib: { type: 'string', default: '8' },
    layer: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    'shared-prefix': { type: 'string', default: '100000' },
  },
});
const dist = process.env.SCRUB_BENCH_DIST ?? new URL('../dist', import.meta.url).pathname;
const engine = await import(pathToFileURL(join(dist, 'index.js')).href);
const matcher = await import(pathToFileURL(join(dist, 'matcher/index.js')).href);

const n = Number(args.n);
const bytes = Math.round(Number(args.mib) * MIB / CHUNK) * CHUNK;
const rounds = Number(args.rounds);
const variantsList = args.variants === 'both' ? [false, true] : [args.variants === 'on'];
const layers = args.layer === 'both' ? ['matcher', 'session'] : [args.layer];
const log = (m) => process.stderr.write(m + '\n');
const enc = new TextEncoder();

function patternsOf(secrets, variants) {
  const all = engine.resolveVariants(undefined);
  const out = [];
  for (const s of secrets) {
    const b = enc.encode(s);
    if (variants) out.push(...engine.expandSecret(b, { variants: all }));
    else out.push(b);
  }
  return out;
}

/** A timed pass over `chunks` by layer; returns ms. */
function makeRunner(layer, secrets, variants) {
  if (layer === 'matcher') {
    const t0 = performance.now();
    const a = matcher.buildAutomaton(patternsOf(secrets, variants));
    const buildMs = performance.now() - t0;
    const sink = new matcher.MatchSink();
    return {
      buildMs,
      run(chunks) {
        let s = matcher.ROOT_STATE;
        let matches = 0;
        const t = performance.now();
        for (const c of chunks) {
          sink.clear();
          s = a.scan(c, 0, c.length, s, sink);
          matches += sink.count;
        }
        globalThis.__sink = matches;
        return performance.now() - t;
      },
    };
  }
  const t0 = performance.now();
  const sc = engine.createScrubber({ secrets, variants: variants ? undefined : [] });
  sc.scrub('warm up the build');
  const buildMs = performance.now() - t0;
  return {
    buildMs,
    run(chunks) {
      const sess = sc.session();
      let out = 0;
      const emit = (p) => (out += p.length);
      const t = performance.now();
      for (const c of chunks) sess.writeEach(c, emit);
      emit(sess.end());
      globalThis.__sink = out;
      return performance.now() - t;
    },
  };
}

const mbps = (ms) => bytes / ms / 1e3;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Paired ratio: each adversarial round between two ordinary rounds. */
function measure(runner, ordinary, input) {
  runner.run(ordinary);
  runner.run(input);
  const ratios = [];
  const adv = [];
  const ord = [];
  for (let r = 0; r < rounds; r++) {
    const o1 = runner.run(ordinary);
    const x = runner.run(input);
    const o2 = runner.run(ordinary);
    adv.push(mbps(x));
    ord.push(mbps((o1 + o2) / 2));
    ratios.push((o1 + o2) / 2 / x);
  }
  return { mbps: median(adv), ordinaryMbps: median(ord), ratio: median(ratios) };
}

const results = [];
const secrets = makeSecrets(n, SEED);
const ordinary = chunksOf(generateLog({ bytes, secrets, seed: SEED }).buf);
const inputs = Object.entries(ADVERSARIAL)
  .filter(([id]) => !args.only || new RegExp(args.only).test(id))
  .map(([id, make]) => [id, chunksOf(make(secrets, bytes))]);
for (const layer of layers) {
  for (const variants of variantsList) {
    const runner = makeRunner(layer, secrets, variants);
    for (const [id, input] of inputs) {
      const m = measure(runner, ordinary, input);
      results.push({ layer, n, variants, input: id, ...m });
      log(`${layer.padEnd(7)} n=${n} ${variants ? 'on ' : 'off'} ${id.padEnd(14)} ${m.mbps.toFixed(0).padStart(6)} MB/s  ordinary ${m.ordinaryMbps.toFixed(0).padStart(6)} MB/s  ratio ${m.ratio.toFixed(3)}  (build ${runner.buildMs.toFixed(0)} ms)`);
    }
  }
}
// The shared-prefix set: its own secrets and ordinary text with them.
const sp = Number(args['shared-prefix']);
if (sp > 0 && (!args.only || /shared/.test(args.only))) {
  const spSecrets = sharedPrefixSecrets(sp);
  const spOrdinary = chunksOf(generateLog({ bytes, secrets: spSecrets, seed: SEED }).buf);
  const unit = Buffer.from(spSecrets.slice(0, 20000).map((s) => nearMiss(s) + ' ').join(''), 'latin1');
  const buf = Buffer.allocUnsafe(bytes);
  for (let p = 0; p < bytes; p += unit.length) unit.copy(buf, p, 0, Math.min(unit.length, bytes - p));
  const spInput = chunksOf(buf);
  for (const layer of layers) {
    const runner = makeRunner(layer, spSecrets, false);
    const m = measure(runner, spOrdinary, spInput);
    results.push({ layer, n: sp, variants: false, input: 'shared-prefix', ...m });
    log(`${layer.padEnd(7)} n=${sp} off shared-prefix  ${m.mbps.toFixed(0).padStart(6)} MB/s  ordinary ${m.ordinaryMbps.toFixed(0).padStart(6)} MB/s  ratio ${m.ratio.toFixed(3)}  (build ${runner.buildMs.toFixed(0)} ms)`);
  }
}
if (args.json) console.log(JSON.stringify(results));
