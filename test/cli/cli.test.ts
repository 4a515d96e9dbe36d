/**
 * The `scrub-filter` command as a user runs it: `node dist/cli/main.js ...`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  collect,
  expectNoSecrets,
  BIN,
  fakeSecret,
  NODE,
  ourLines,
  requireBuilt,
  ROOT,
  runCli,
  sleep,
  startCli,
  waitFor,
} from './helpers.js';

beforeAll(() => requireBuilt());
// Each test starts Node processes; on a loaded 2-core machine that alone can take a second or two.
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'));

function hasUtilLinuxScript(): boolean {
  const r = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('util-linux');
}

describe('pipe mode and secret sources', () => {
  it('--secret-env masks every occurrence, exit 0, nothing on stderr', async () => {
    const T = fakeSecret('env');
    const r = await runCli(['--secret-env', 'FAKE_T'], { env: { FAKE_T: T }, input: `a ${T} b ${T}${T}\nc\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('a *** b ***\nc\n');
    expect(r.stderr).toBe('');
  });

  it("--secret-env 'PREFIX*' takes every matching variable", async () => {
    const A = fakeSecret('a');
    const B = fakeSecret('b');
    const r = await runCli(['--secret-env', 'FAKEPFX_*', '--stats'], {
      env: { FAKEPFX_A: A, FAKEPFX_B: B },
      input: `${B} ${A}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('*** ***\n');
    expect(ourLines(r.stderr)).toEqual([
      'scrub-filter: stats: 2 secret names, 2 masked',
      'scrub-filter: stats: env:FAKEPFX_A: 1 masked',
      'scrub-filter: stats: env:FAKEPFX_B: 1 masked',
    ]);
    expectNoSecrets(r.stderr, [A, B]);
  });

  it('--secret-file: whole file, surrounding whitespace ignored', async () => {
    const V = fakeSecret('file');
    const p = join(dir, 'token');
    writeFileSync(p, `\n  ${V}  \n`);
    const r = await runCli(['--secret-file', p], { input: `x${V}y\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('x***y\n');
  });

  it('--secret-cmd: stdout is the secret, stderr goes to ours, runs before input is read', async () => {
    const V = fakeSecret('cmd');
    const r = await runCli(['--secret-cmd', 'echo helper says hi >&2; printf "%s\\n" "$FAKE_CMD_V"', '--stats'], {
      env: { FAKE_CMD_V: V },
      input: `got ${V}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('got ***\n');
    expect(r.stderr).toContain('helper says hi\n');
    expect(r.stderr).toContain('scrub-filter: stats: cmd:echo helper says hi >&2; printf "%s\\n" "$FAKE_CMD_V": 1 masked');
    expectNoSecrets(r.stderr, [V]);
  });

  it('--mask, --no-variants and --min-length', async () => {
    const V = 'fake-variant-secret-4'; // 21 bytes: its base64 has no padding
    const b64 = Buffer.from(V).toString('base64');
    const input = `${V} ${b64}\n`;
    const withVariants = await runCli(['--secret-env', 'V', '--mask', '[x]'], { env: { V }, input });
    expect(withVariants.stdout.toString()).toBe('[x] [x]\n');
    const exact = await runCli(['--secret-env', 'V', '--no-variants'], { env: { V }, input });
    expect(exact.stdout.toString()).toBe(`*** ${b64}\n`);
    const short = await runCli(['--secret-env', 'V', '--min-length', '100'], { env: { V }, input });
    expect(short.code).toBe(0);
    expect(short.stdout.toString()).toBe(input);
    expect(ourLines(short.stderr)).toEqual(['scrub-filter: warning: env:V: shorter than 100 bytes, not registered']);
  });

  it('warns once per name about unset, empty and too-short secrets (never their values)', async () => {
    const r = await runCli(
      ['--allow-missing', '--secret-env', 'FAKE_UNSET', '--secret-env', 'FAKE_UNSET', '--secret-env', 'FAKE_EMPTY', '--secret-env', 'FAKE_SHORT', '--secret-env', 'FAKE_SHORT'],
      { env: { FAKE_UNSET: undefined, FAKE_EMPTY: '', FAKE_SHORT: 'q7z' }, input: 'q7z\n' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('q7z\n');
    expect(ourLines(r.stderr)).toEqual([
      'scrub-filter: warning: env:FAKE_UNSET: not set',
      'scrub-filter: warning: env:FAKE_EMPTY: empty',
      'scrub-filter: warning: env:FAKE_SHORT: shorter than 4 bytes, not registered',
    ]);
    expectNoSecrets(r.stderr, ['q7z']);
  });

  it('warns when no secret source is given at all', async () => {
    const r = await runCli([], { input: 'plain\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('plain\n');
    expect(ourLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/no secrets given/);
  });

  it('--help and --version', async () => {
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout.toString()).toMatch(/^Usage: scrub-filter \[options\]/);
    expect(h.stdout.toString()).toContain('-- COMMAND [ARGS]');
    const v = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(v.code).toBe(0);
    expect(v.stdout.toString()).toBe(`scrub-filter ${pkg.version}\n`);
  });
});

describe('fail closed: exit 2 before reading input or starting COMMAND', () => {
  const marker = join(dir, 'command-ran');

  async function expectConfigError(args: string[], line: string | RegExp, env: Record<string, string> = {}) {
    const r = await runCli([...args, '--', 'sh', '-c', `touch '${marker}'; echo ran`], { env, input: 'input\n' });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    if (typeof line === 'string') expect(lines[0]).toBe(line);
    else expect(lines[0]).toMatch(line);
    expect(existsSync(marker)).toBe(false);
    // pipe mode too
    const p = await runCli(args, { env, input: 'input\n' });
    expect(p.code).toBe(2);
    expect(p.stdout.length).toBe(0);
    return r;
  }

  it('missing --secret-file', async () => {
    await expectConfigError(['--secret-file', './key.pem'], 'scrub-filter: file:./key.pem: no such file');
  });

  it('failing --secret-cmd (its partial output is not printed)', async () => {
    const V = fakeSecret('partial');
    const r = await expectConfigError(['--secret-cmd', 'printf %s "$FAKE_P"; exit 3'], 'scrub-filter: cmd:printf %s "$FAKE_P"; exit 3: exited with status 3', {
      FAKE_P: V,
    });
    expectNoSecrets(r.stderr, [V]);
  });

  it('--secret-cmd timeout', async () => {
    const r = await expectConfigError(['--secret-cmd', 'sleep 20', '--secret-cmd-timeout', '0.3'], 'scrub-filter: cmd:sleep 20: timed out after 0.3 s');
    expect(r.ms).toBeLessThan(8000);
  });

  it('a later source failing after good ones', async () => {
    const V = fakeSecret('good');
    await expectConfigError(['--secret-env', 'FAKE_GOOD', '--secret-file', '/nonexistent/x'], 'scrub-filter: file:/nonexistent/x: no such file', { FAKE_GOOD: V });
  });

  it('usage errors: one line with a hint to --help', async () => {
    for (const args of [['--secret', 'x'], ['--min-length', 'ten'], ['--mask'], ['cat']]) {
      const r = await runCli(args, { input: 'input\n' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout.length).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^scrub-filter: .*\(see scrub-filter --help\)$/);
    }
  });
});

describe('wrap mode', () => {
  it("scrubs COMMAND's stdout and stderr separately and exits with its status", async () => {
    const T = fakeSecret('wrap');
    const r = await runCli(['--secret-env', 'FAKE_W', '--', 'sh', '-c', 'echo "out $FAKE_W"; echo "err $FAKE_W" >&2; exit 7'], {
      env: { FAKE_W: T },
    });
    expect(r.code).toBe(7);
    expect(r.stdout.toString()).toBe('out ***\n');
    expect(r.stderr).toBe('err ***\n');
  });

  it('exit 0, and our stdin goes to COMMAND', async () => {
    const T = fakeSecret('stdin');
    const r = await runCli(['--secret-env', 'FAKE_S', '--', 'cat'], { env: { FAKE_S: T }, input: `in ${T}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('in ***\n');
  });

  it('exit 127 when COMMAND is not found, 126 when it is found but not executable', async () => {
    const r = await runCli(['--secret-env', 'HOME', '--', 'scrub-filter-no-such-command-xyz', 'arg']);
    expect(r.code).toBe(127);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual(["scrub-filter: cannot run 'scrub-filter-no-such-command-xyz': command not found"]);
    const p = join(dir, 'not-executable');
    writeFileSync(p, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r2 = await runCli(['--secret-env', 'HOME', '--', p]);
    expect(r2.code).toBe(126);
    expect(r2.stdout.length).toBe(0);
    expect(r2.stderr).toMatch(/cannot run '.*not-executable': permission denied/);
  });

  it('dies of the signal COMMAND died of', async () => {
    const r = await runCli(['--secret-env', 'HOME', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(r.signal).toBe('SIGTERM');
    expect(r.code).toBe(null);
    const k = await runCli(['--secret-env', 'HOME', '--', 'sh', '-c', 'kill -KILL $$']);
    expect(k.signal).toBe('SIGKILL');
  });

  it('forwards SIGTERM; what the trap prints is scrubbed; exit with its status', async () => {
    const T = fakeSecret('trap');
    const child = startCli(
      ['--secret-env', 'FAKE_TRAP', '--', 'sh', '-c', 'trap \'echo "got TERM $FAKE_TRAP"; exit 5\' TERM; echo ready; while :; do sleep 0.05; done'],
      { env: { FAKE_TRAP: T } },
    );
    child.stdin!.end();
    const result = collect(child);
    await waitFor(child.stdout!, 'ready\n');
    child.kill('SIGTERM');
    const r = await result;
    expect(r.stdout.toString()).toBe('ready\ngot TERM ***\n');
    expect(r.code).toBe(5);
    expect(r.signal).toBe(null);
  });

  it.each([
    ['SIGINT'],
    ['SIGHUP'],
  ] as const)('forwards %s (COMMAND dies of it, and so do we)', async (sig) => {
    const child = startCli(['--secret-env', 'HOME', '--', 'sh', '-c', 'echo ready; exec sleep 30']);
    child.stdin!.end();
    const result = collect(child);
    await waitFor(child.stdout!, 'ready\n');
    await sleep(100); // let sh exec sleep
    child.kill(sig);
    const r = await result;
    expect(r.signal).toBe(sig);
  });

  it.skipIf(!hasUtilLinuxScript())('on a terminal, Ctrl-C reaches COMMAND once (it is not forwarded a second time)', async () => {
    // `script` gives the command a pseudo-terminal; ^C written to it makes the
    // terminal send SIGINT to the foreground process group (us and COMMAND).
    const counter = fileURLToPath(new URL('./fixtures/count-int.mjs', import.meta.url));
    const inner = `"${NODE}" "${BIN}" --secret-env HOME -- "${NODE}" "${counter}"`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const result = collect(child);
    await waitFor(child.stdout!, 'ready');
    child.stdin!.write('\x03');
    const r = await result;
    const text = r.stdout.toString();
    expect(text).toContain('got INT 1');
    expect(text).toContain('done n=1');
    expect(text).not.toContain('got INT 2');
  });

  it('low latency: a line is visible long before COMMAND exits', async () => {
    const child = startCli(['--secret-env', 'HOME', '--', 'sh', '-c', 'echo step 1 done; sleep 3; echo step 2 done']);
    child.stdin!.end();
    const t0 = Date.now();
    const result = collect(child);
    const seenAt = await waitFor(child.stdout!, 'step 1 done\n');
    const r = await result;
    const exitedAt = Date.now() - t0;
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('step 1 done\nstep 2 done\n');
    expect(exitedAt - seenAt).toBeGreaterThan(2000);
  });

  it('low latency in pipe mode: no line buffering, no waiting for EOF', async () => {
    const child = startCli(['--secret-env', 'HOME']);
    const result = collect(child);
    child.stdin!.write('partial line without newline');
    await waitFor(child.stdout!, 'partial line without newline', 5000);
    child.stdin!.end('\n');
    expect((await result).code).toBe(0);
  });
});

describe('--add-mask', () => {
  it('a value split across reads is masked from then on, and the line is never printed', async () => {
    const V = fakeSecret('dyn');
    const child = startCli(['--add-mask', '--stats']);
    const result = collect(child);
    const pieces = ['before\n', '::add', '-mask::', V.slice(0, 7), V.slice(7), '\r', '\n', `value ${V.slice(0, 5)}`, `${V.slice(5)} ok\n`];
    for (const p of pieces) {
      child.stdin!.write(p);
      await sleep(40);
    }
    child.stdin!.end(`end ${V}`);
    const r = await result;
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('before\nvalue *** ok\nend ***');
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: stats: 1 secret name, 2 masked', 'scrub-filter: stats: add-mask: 2 masked']);
    expectNoSecrets(r.stderr, [V]);
  });

  it('wrap mode: a mask added on stderr applies to stdout too', async () => {
    const V = fakeSecret('cross');
    const r = await runCli(['--add-mask', '--', 'sh', '-c', 'echo "::add-mask::$FAKE_X" >&2; sleep 0.2; echo "stdout $FAKE_X"; echo "stderr $FAKE_X" >&2'], {
      env: { FAKE_X: V },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('stdout ***\n');
    expect(r.stderr).toBe('stderr ***\n');
  });

  it('without --add-mask the line is ordinary output', async () => {
    const r = await runCli(['--secret-env', 'HOME'], { input: '::add-mask::fake-not-a-command\n' });
    expect(r.stdout.toString()).toBe('::add-mask::fake-not-a-command\n');
  });

  it('an over-long mask line stops output (exit 70), nothing after it is written', async () => {
    const r = await runCli(['--add-mask'], { input: `ok\n::add-mask::${'x'.repeat(70_000)}\nafter\n` });
    expect(r.code).toBe(70);
    expect(r.stdout.toString()).toBe('ok\n');
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: an ::add-mask:: line is longer than 65536 bytes (output stopped)']);
  });
});

describe('no secret value in our own messages', () => {
  it('names that contain a value are masked in --stats and errors', async () => {
    const V = 'fake-value-in-command-text-7';
    const r = await runCli(['--secret-cmd', `echo ${V}`, '--stats'], { input: `${V}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('***\n');
    expect(ourLines(r.stderr)).toContain('scrub-filter: stats: cmd:echo ***: 1 masked');
    expectNoSecrets(r.stderr, [V]);
  });
});
