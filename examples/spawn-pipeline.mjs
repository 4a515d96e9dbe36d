// Run a command with its stdout and stderr scrubbed into one job log (here
// our stdout, as a CI runner shows them), keep its exit status:
// `node examples/spawn-pipeline.mjs`.
//
// Two sources write to the same destination: pass `{ end: false }` to
// pipeline() so that the first one to finish does not end it (without it the
// other pipeline fails with ERR_STREAM_PREMATURE_CLOSE when stdout is a file
// or a terminal). One scrubber stream per source: a stream is one source's state.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createScrubber } from 'scrub-filter';

const env = { ...process.env, DEPLOY_TOKEN: 'fake-deploy-token-8c1f', DB_PASSWORD: 'fake-db-pass-31337' };
const scrubber = createScrubber({
  secrets: [
    { value: env.DEPLOY_TOKEN, name: 'env:DEPLOY_TOKEN' },
    { value: env.DB_PASSWORD, name: 'env:DB_PASSWORD' },
  ],
});

// The job: prints secrets on both streams, one split across two writes, and
// registers one it made up itself with an ::add-mask:: line.
const job = `
  process.stdout.write('deploying with ' + process.env.DEPLOY_TOKEN.slice(0, 9));
  setTimeout(() => {
    process.stdout.write(process.env.DEPLOY_TOKEN.slice(9) + '\\n');
    console.error('db error: password ' + process.env.DB_PASSWORD + ' rejected');
    console.log('::add-mask::fake-session-key-77aa');
    console.log('session key fake-session-key-77aa');
    console.error('in base64: ' + Buffer.from('u:' + process.env.DB_PASSWORD).toString('base64'));
    process.exit(3);
  }, 20);
`;
const child = spawn(process.execPath, ['-e', job], { env, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = once(child, 'exit');

await Promise.all([
  pipeline(child.stdout, scrubber.stream({ addMask: true }), process.stdout, { end: false }),
  pipeline(child.stderr, scrubber.stream({ addMask: true }), process.stdout, { end: false }),
]);
const [code, signal] = await exited;
console.error(`job exited with ${signal ?? code}; masked: ${JSON.stringify(scrubber.stats().masked)}`);
process.exitCode = code ?? 1;
