#!/usr/bin/env node
// Adversarial floor (issue 12): MB/s of the matcher alone and of a whole
// session on inputs chosen to keep the automaton deep, as a ratio to ordinary
// log text measured in the same process (each adversarial round is bracketed
// by ordinary rounds, so load swings cancel).
//
//   node bench/adversarial.mjs [--n 1000] [--variants on|off|both] [--mib 8]
//                              [--layer matcher|session|both] [--rounds 3] [--json]
//                              [--only REGEX] [--shared-prefix 100000] [--baseline DIST]
//
// --baseline DIST also loads another build of the engine (e.g. an older
// commit's dist/) and measures it in the same process, rounds interleaved, so
// before/after figures share the machine's load.
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
    baseline: { type: 'string' },
  },
});
const load = async (dist) => ({
  engine: await import(pathToFileURL(join(dist, 'index.js')).href),
  matcher: await import(pathToFileURL(join(dist, 'matcher/index.js')).href),
  // The variant expander is internal (not a package export): read it from the build.
  variants: await import(pathToFileURL(join(dist, 'variants/index.js')).href),
});
const builds = { current: await load(process.env.SCRUB_BENCH_DIST ?? new URL('../dist', import.meta.url).pathname) };
if (args.baseline) builds.baseline = await load(args.baseline);
const { engine, variants: variantModule } = builds.current;

const n = Number(args.n);
const bytes = Math.round(Number(args.mib) * MIB / CHUNK) * CHUNK;
const rounds = Number(args.rounds);
const variantsList = args.variants === 'both' ? [false, true] : [args.variants === 'on'];
const layers = args.layer === 'both' ? ['matcher', 'session'] : [args.layer];
const log = (m) => process.stderr.write(m + '\n');
const enc = new TextEncoder();

function patternsOf(secrets, variants) {
  const all = variantModule.resolveVariants(undefined);
  const out = [];
  for (const s of secrets) {
    const b = enc.encode(s);
    if (variants) out.push(...variantModule.expandSecret(b, { variants: all }));
    else out.push(b);
  }
  return out;
}

/** A timed pass over `chunks` by layer; returns ms. */
function makeRunner(layer, secrets, variants, { engine, matcher }) {
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
  // Known secrets only (detection is measured in its own rows).
  const sc = engine.createScrubber({ secrets, variants: variants ? undefined : [], detect: false });
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

/** Paired ratio: each adversarial round between two ordinary rounds; builds' rounds interleaved. */
function measure(runners, ordinary, input) {
  const acc = runners.map(() => ({ ratios: [], adv: [], ord: [] }));
  for (const runner of runners) {
    runner.run(ordinary);
    runner.run(input);
  }
  for (let r = 0; r < rounds; r++) {
    runners.forEach((runner, k) => {
      const o1 = runner.run(ordinary);
      const x = runner.run(input);
      const o2 = runner.run(ordinary);
      acc[k].adv.push(mbps(x));
      acc[k].ord.push(mbps((o1 + o2) / 2));
      acc[k].ratios.push((o1 + o2) / 2 / x);
    });
  }
  return acc.map((a) => ({ mbps: median(a.adv), ordinaryMbps: median(a.ord), ratio: median(a.ratios) }));
}

function report(layer, n, variants, id, runners, ms) {
  Object.keys(builds).forEach((build, k) => {
    const m = ms[k];
    results.push({ build, layer, n, variants, input: id, ...m, buildMs: runners[k].buildMs });
    log(`${build.padEnd(8)} ${layer.padEnd(7)} n=${n} ${variants ? 'on ' : 'off'} ${id.padEnd(14)} ${m.mbps.toFixed(0).padStart(6)} MB/s  ordinary ${m.ordinaryMbps.toFixed(0).padStart(6)} MB/s  ratio ${m.ratio.toFixed(3)}  (build ${runners[k].buildMs.toFixed(0)} ms)`);
  });
}

const results = [];
const secrets = makeSecrets(n, SEED);
const ordinary = chunksOf(generateLog({ bytes, secrets, seed: SEED }).buf);
const inputs = Object.entries(ADVERSARIAL)
  .filter(([id]) => !args.only || new RegExp(args.only).test(id))
  .map(([id, make]) => [id, chunksOf(make(secrets, bytes))]);
for (const layer of layers) {
  for (const variants of variantsList) {
    const runners = Object.values(builds).map((b) => makeRunner(layer, secrets, variants, b));
    for (const [id, input] of inputs) report(layer, n, variants, id, runners, measure(runners, ordinary, input));
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
    const runners = Object.values(builds).map((b) => makeRunner(layer, spSecrets, false, b));
    report(layer, sp, false, 'shared-prefix', runners, measure(runners, spOrdinary, spInput));
  }
}
if (args.json) console.log(JSON.stringify(results));
