#!/usr/bin/env node
// Detection's first pass alone (src/detect/trigger.ts: the WebAssembly kernel
// and its JavaScript fallback) over the bench log in 64 KiB chunks, every
// detector's windows, same process, rounds interleaved: ms per pass (best
// and median) and the window starts found. With --baseline DIST, the same
// for another build (e.g. an older commit's dist/), so a kernel change is
// measured before / after in one process.
//
//   node bench/first-pass.mjs [--mib 16] [--rounds 25] [--baseline /tmp/old/dist]
//
// Needs dist/ (npm run build).
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { CHUNK, MIB, MAX_SECRETS, generateLog, makeSecrets } from './lib/gen.mjs';

const { values: args } = parseArgs({
  options: {
    mib: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '25' },
    baseline: { type: 'string' },
  },
});
const bytes = Math.round((Number(args.mib) * MIB) / CHUNK) * CHUNK;
const rounds = Number(args.rounds);
if (!(bytes >= CHUNK)) throw new Error(`--mib must give at least one ${CHUNK}-byte chunk, got ${args.mib}`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${args.rounds}`);
const buf = generateLog({ bytes, secrets: makeSecrets(MAX_SECRETS) }).buf;

/** The first pass of one build, over every detector's windows, in both engines. */
async function passesOf(dist, label) {
  const mod = (f) => import(pathToFileURL(join(resolve(dist), 'detect', `${f}.js`)).href);
  const [detect, trigger] = await Promise.all(['index', 'trigger'].map(mod));
  // Every window, each handler a no-op: what the pass reports, not what the detectors do with it.
  const windows = detect.everyTriggerWindow?.() ?? (await windowsBefore(mod));
  const triggers = windows.map((window) => ({ window, onHit: () => null }));
  const out = [];
  for (const wasm of [true, false]) {
    const table = new trigger.TriggerTable(triggers, { wasm });
    let found = 0;
    const sink = { triggerAt: () => found++ };
    out.push({
      name: `${label} ${table.engine}`,
      run() {
        found = 0;
        for (let s = 0; s < buf.length; s += CHUNK) table.sample(buf.subarray(s, s + CHUNK), sink);
        return found;
      },
    });
  }
  return out;
}

/** A build older than everyTriggerWindow (a baseline): its windows from the trigger families themselves. */
async function windowsBefore(mod) {
  const [pk, cs, pr, jwt, ctx] = await Promise.all(['private-key', 'checksummed', 'providers', 'jwt', 'context'].map(mod));
  const every = () => true;
  const families = [pk.privateKeyTriggers(), cs.checksummedTriggers(every), pr.providerTriggers(every), jwt.jwtTriggers(), ctx.contextTriggers(every)];
  return [...new Set(families.flat().map((t) => t.window))];
}

const passes = [...(await passesOf(fileURLToPath(new URL('../dist', import.meta.url)), 'this build'))];
if (args.baseline) passes.push(...(await passesOf(args.baseline, 'baseline')));
const ms = new Map(passes.map((p) => [p.name, []]));
const found = new Map();
for (let r = 0; r < rounds + 3; r++) {
  for (const p of r % 2 ? [...passes].reverse() : passes) {
    const t = performance.now();
    found.set(p.name, p.run());
    if (r >= 3) ms.get(p.name).push(performance.now() - t); // three warm-up rounds
  }
}
console.log(`first pass over ${bytes / MIB} MiB of the bench log in 64 KiB chunks, ${rounds} rounds (ms per pass)`);
for (const p of passes) {
  const xs = ms.get(p.name).sort((a, b) => a - b);
  console.log(`${p.name.padEnd(20)} best ${xs[0].toFixed(2).padStart(6)}  median ${xs[xs.length >> 1].toFixed(2).padStart(6)}  starts reported ${found.get(p.name)}`);
}
