// The same job as spawn-pipeline.mjs, with the library's helper: stdout and
// stderr scrubbed, ::add-mask:: honoured, signals reaching the whole process
// tree, the exit status kept: `node examples/spawn-scrubbed.mjs`.
import { createScrubber, spawnScrubbed } from 'scrub-filter';

const env = { ...process.env, DEPLOY_TOKEN: 'fake-deploy-token-8c1f' };
const scrubber = createScrubber({ secrets: [{ value: env.DEPLOY_TOKEN, name: 'env:DEPLOY_TOKEN' }] });

const job = `
  console.log('deploying with ' + process.env.DEPLOY_TOKEN);
  console.log('::add-mask::fake-session-key-77aa');
  console.log('session key fake-session-key-77aa');
  // A value registered on stdout masks stderr too, from the moment it was read:
  // the two pipes are read independently, so give the mask line a head start.
  setTimeout(() => {
    console.error('session key fake-session-key-77aa expired');
    process.exit(3);
  }, 50);
`;
const proc = spawnScrubbed(scrubber, process.execPath, { args: ['-e', job], env, stdin: 'ignore', addMask: true });
const { code, signal } = await proc.result; // both outputs flushed
console.error(`job exited with ${signal ?? code}; masked: ${JSON.stringify(scrubber.stats().masked)}`);
process.exitCode = code ?? 1;
