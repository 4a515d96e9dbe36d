#!/usr/bin/env node
// Runs the property tests much longer with a random seed (or SCRUB_FUZZ_SEED),
// e.g. `npm run fuzz` or `npm run fuzz -- 200` (factor). The seed is printed
// first and fast-check prints it again with the shrunk counterexample on failure.
import { spawnSync } from 'node:child_process';

const factor = process.argv[2] ?? process.env.SCRUB_FUZZ_FACTOR ?? '50';
const seed = process.env.SCRUB_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.error(`scrub-filter fuzz: seed=${seed} factor=${factor} (rerun: SCRUB_FUZZ_SEED=${seed} npm run fuzz -- ${factor})`);
const result = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    // Every suite with property tests that take the seed and the factor (test/helpers/chunking.ts).
    'test/engine.property.test.ts',
    'test/matcher.test.ts',
    'test/streams.test.ts',
    'test/registry.test.ts',
    'test/lanes.property.test.ts',
    'test/lanes.joints.test.ts',
    'test/detect/property.test.ts',
    'test/detect/holdback.test.ts',
    'test/detect/trigger.test.ts',
    '--testTimeout=0',
  ],
  { stdio: 'inherit', env: { ...process.env, SCRUB_FUZZ_SEED: seed, SCRUB_FUZZ_FACTOR: factor } },
);
if (result.status !== 0) console.error(`scrub-filter fuzz: FAILED with seed=${seed}`);
process.exit(result.status ?? 1);
