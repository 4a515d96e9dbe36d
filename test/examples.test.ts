/**
 * Every file in examples/ runs with node (against the built package, as a
 * user would) and prints what its comments promise: the expected masks, and
 * no secret in any form we know it is printed in. stdout and stderr go to
 * files, not pipes: that is where two pipelines sharing process.stdout used
 * to fail with ERR_STREAM_PREMATURE_CLOSE.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, ROOT } from './helpers/dist.js';

interface Example {
  status: number;
  secrets: string[];
  stdout: string[];
  stderr?: string[];
}

const EXAMPLES: Record<string, Example> = {
  'quick-start.mjs': {
    status: 0,
    secrets: ['ghp_fake0123456789abcdefFAKEtoken', 'fake-db-password-42'],
    stdout: ['pushing with ***\n', 'git push https://x:***@github.com\n', 'Authorization: Basic ***\n', 'connecting with ***\n', '"masked":{"env:GH_TOKEN":2,"vault:db":1,"detect:auth-header":1}'],
  },
  'spawn-pipeline.mjs': {
    status: 3,
    secrets: ['fake-deploy-token-8c1f', 'fake-db-pass-31337', 'fake-session-key-77aa', '::add-mask::'],
    // (no newlines asserted: the base64-wrapped lane may hold a line's LF until the next line, so the two streams interleave late)
    stdout: ['deploying with ***', 'session key ***', 'db error: password *** rejected', 'in base64: dTp***'],
    stderr: ['job exited with 3; masked: {"env:DEPLOY_TOKEN":1,"env:DB_PASSWORD":2,"add-mask":1}'],
  },
  'spawn-scrubbed.mjs': {
    status: 3,
    secrets: ['fake-deploy-token-8c1f', 'fake-session-key-77aa', '::add-mask::'],
    stdout: ['deploying with ***', 'session key ***'],
    stderr: ['session key *** expired', 'job exited with 3; masked: {"env:DEPLOY_TOKEN":1,"add-mask":2}'],
  },
  'web-fetch.mjs': {
    status: 0,
    secrets: ['fake-api-key-5a5a5a5a'],
    stdout: ['step 1: curl -H "X-Api-Key: ***" ...\nstep 2: {"config":"key=***\\n"}\n--- proxied (200) ---\nstep 1: curl -H "X-Api-Key: ***" ...\nstep 2: {"config":"key=***\\n"}\n'],
  },
  'dynamic-secrets.mjs': {
    status: 0,
    secrets: ['fake-static-token-1111', 'fake-issued-cred-9f9f9f', 'issued-cred'],
    stdout: ['build: using ***\n', 'build: db url postgres://ci:***@db/ci\n', 'test: connecting with ***\n', '{"env:STATIC":1,"vault:secret/ci/db":2}'],
    stderr: ['registered vault:secret/ci/db:'],
  },
  'pino-destination.mjs': {
    status: 0,
    secrets: ['fake-pino-token-0d0d0d', 'fake"pass\\word-2468', JSON.stringify('fake"pass\\word-2468').slice(1, -1)],
    stdout: ['"token":"***","msg":"logged in"}\n', '"msg":"connecting with password ***"}', '"authorization":"Bearer ***"', '"message":"auth failed for ***"'],
  },
  'winston-format.mjs': {
    status: 0,
    secrets: ['fake-winston-token-7e7e7e'],
    stdout: ['"token":"***"', '"url":"https://ci:***@git.example/repo.git"', 'info: simple format too: ***\n'],
  },
};

let dir = '';

function runExample(file: string): { status: number | null; stdout: string; stderr: string } {
  const out = join(dir, `${file}.out`);
  const err = join(dir, `${file}.err`);
  const fds = [openSync(out, 'w'), openSync(err, 'w')];
  const env = { ...process.env };
  delete env.GH_TOKEN;
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'examples', file)], { cwd: ROOT, env, stdio: ['ignore', fds[0], fds[1]], timeout: 30_000 });
    return { status: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

describe('examples/', () => {
  beforeAll(() => {
    assertFreshDist();
    dir = mkdtempSync(join(tmpdir(), 'scrub-filter-examples-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every example is listed here', () => {
    expect(readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.mjs')).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it("the README's library snippet is examples/quick-start.mjs (so it stays runnable)", () => {
    const code = readFileSync(join(ROOT, 'examples/quick-start.mjs'), 'utf8').split('\n').slice(2).join('\n').trimEnd();
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('```js\n' + code + '\n```');
  });

  for (const [file, want] of Object.entries(EXAMPLES)) {
    it(file, () => {
      const r = runExample(file);
      const all = r.stdout + r.stderr;
      for (const s of want.secrets) expect(all).not.toContain(s);
      for (const s of want.stdout) expect(r.stdout).toContain(s);
      for (const s of want.stderr ?? []) expect(r.stderr).toContain(s);
      if (!want.stderr) expect(r.stderr).toBe('');
      expect(r.status).toBe(want.status);
    });
  }
});
