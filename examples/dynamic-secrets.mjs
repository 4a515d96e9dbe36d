// Dynamic secrets: a job's log is already streaming when a secret is fetched
// from a vault; `scrubber.add()` applies at once to every live stream,
// including bytes a stream is still holding back (bytes already emitted
// cannot be recalled): `node examples/dynamic-secrets.mjs`.
import { setTimeout as sleep } from 'node:timers/promises';
import { createScrubber } from 'scrub-filter';

const scrubber = createScrubber({ secrets: [{ value: 'fake-static-token-1111', name: 'env:STATIC' }] });

/** A stand-in for a vault client: resolves after a while with a freshly issued credential. */
async function vaultRead(path) {
  await sleep(20);
  return { path, value: 'fake-issued-cred-9f9f9f' };
}

const build = scrubber.stream();
const test = scrubber.stream();
const out = { build: [], test: [] };
build.on('data', (d) => out.build.push(d));
test.on('data', (d) => out.test.push(d));

build.write('build: using fake-static-token-1111\n');
const pending = vaultRead('secret/ci/db'); // fetched while the jobs run
await sleep(5);
// 'fake-' could still become the static token, so the stream holds it back
// (only such a prefix is ever held); the add below rescans what is held.
test.write('test: connecting with fake-');
const cred = await pending;
const r = scrubber.add(cred.value, { name: `vault:${cred.path}` });
console.error(`registered ${r.name}: ${r.patterns} patterns`);
test.end('issued-cred-9f9f9f\n');
build.end(`build: db url postgres://ci:${cred.value}@db/ci\n`);
await Promise.all([new Promise((r) => build.on('end', r)), new Promise((r) => test.on('end', r))]);

process.stdout.write(Buffer.concat(out.build));
process.stdout.write(Buffer.concat(out.test));
console.log(JSON.stringify(scrubber.stats().masked));
