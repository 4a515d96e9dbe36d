#!/usr/bin/env node
// Profiles one contender of the throughput table with the V8 CPU profiler and
// prints where the time goes (self time per function).
//
//   node bench/profile.mjs CONTENDER SECRETS on|off [MiB] [--setup]
//   e.g. node bench/profile.mjs sf-stream 10000 on 64
//
// Only the timed rounds are profiled (via node:inspector), unless --setup is
// given, which also records the build of the matcher.
import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateLog, makeSecrets, MIB, SEED } from './lib/gen.mjs';
import { CONTENDERS } from './lib/contenders.mjs';
import { summarise, hotLines } from './profile-summary.mjs';

const [contender, nArg, v, mibArg, ...rest] = process.argv.slice(2);
const c = CONTENDERS[contender];
if (!c || !nArg) {
  console.error(`usage: node bench/profile.mjs CONTENDER SECRETS on|off [MiB] [--setup]\ncontenders: ${Object.keys(CONTENDERS).join(', ')}`);
  process.exit(2);
}
const n = Number(nArg);
const variants = v !== 'off';
const bytes = Number(mibArg ?? 64) * MIB;
const withSetup = rest.includes('--setup');

const all = makeSecrets(Math.max(n, 1000), SEED);
const { buf } = generateLog({ bytes, secrets: makeSecrets(100_000, SEED), seed: SEED });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
if (withSetup) await session.post('Profiler.start');
let t = performance.now();
const state = await c.setup({ secrets: all.slice(0, n), variants });
const setupMs = performance.now() - t;
const ctx = c.prepare(state, buf);
await c.run(ctx, false); // warm-up
if (!withSetup) await session.post('Profiler.start');
const rounds = 3;
t = performance.now();
for (let i = 0; i < rounds; i++) await c.run(ctx, false);
const ms = (performance.now() - t) / rounds;
const { profile } = await session.post('Profiler.stop');
const dir = mkdtempSync(join(tmpdir(), 'scrub-prof-'));
const file = join(dir, `${contender}-${n}-${variants ? 'on' : 'off'}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));
console.log(`${contender} n=${n} variants ${variants ? 'on' : 'off'}: setup ${setupMs.toFixed(0)} ms, ${(bytes / ms / 1e3).toFixed(0)} MB/s over ${bytes / MIB} MiB (${rounds} profiled rounds)`);
console.log(`profile: ${file} (open in Chrome DevTools or: node bench/profile-summary.mjs ${file})`);
const { totalUs, self, incl } = summarise(profile);
console.log('| self % | total % | function |');
console.log('|---:|---:|---|');
for (const [k, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`| ${((100 * us) / totalUs).toFixed(1)} | ${((100 * (incl.get(k) ?? 0)) / totalUs).toFixed(1)} | \`${k}\` |`);
}
console.log('\nHottest lines of the top functions (share of all samples):');
for (const f of hotLines(profile, { functions: 4, lines: 6 })) {
  console.log(`  ${f.fn} (${(100 * f.share).toFixed(1)}% self)`);
  for (const l of f.lines) console.log(`    ${(100 * l.share).toFixed(1).padStart(5)}%  line ${l.line}: ${l.text}`);
}
