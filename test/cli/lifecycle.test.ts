/**
 * Issue 10, "exact status" and "process lifecycle in wrap mode", through the
 * built command: the child's signal re-raised on ourselves, 126, write
 * errors on stderr and for --help/--version, 141 after EPIPE under load, and
 * signals / the reader leaving / stops reaching COMMAND's whole tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, collect, fakeSecret, gone, NODE, ourLines, requireBuilt, runCli, runShell, sleep, startCli, waitFor } from './helpers.js';

beforeAll(() => requireBuilt());
vi.setConfig({ testTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'scrub-lifecycle-'));
const hasScript = ((): boolean => {
  const r = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('util-linux');
})();

describe('exact status', () => {
  it('COMMAND killed itself with SIGINT: we die of SIGINT too (exit event: signal SIGINT, not code 130)', async () => {
    for (const cmd of [
      ['sh', '-c', 'kill -INT $$'],
      [NODE, '-e', "process.kill(process.pid, 'SIGINT')"],
    ]) {
      const child = spawn(NODE, [BIN, '--secret-env', 'HOME', '--', ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      const r = await collect(child);
      expect(await exit).toEqual({ code: null, signal: 'SIGINT' });
      expect(r.stderr).toBe('');
    }
  });

  it('also for SIGPIPE, which Node ignores by default (the default action is restored first)', async () => {
    const child = spawn(NODE, [BIN, '--secret-env', 'HOME', '--', 'sh', '-c', 'kill -PIPE $$'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const r = await collect(child);
    expect(r.signal).toBe('SIGPIPE');
    expect(r.code).toBe(null);
  });

  it('126 for found but not executable, 127 for not found', async () => {
    const p = join(dir, 'not-executable');
    writeFileSync(p, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r = await runCli(['--secret-env', 'HOME', '--', p]);
    expect(r.code).toBe(126);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual([`scrub-filter: cannot run '${p}': permission denied (not executable?)`]);
    const d = await runCli(['--secret-env', 'HOME', '--', dir]);
    expect(d.code).toBe(126);
    const n = await runCli(['--secret-env', 'HOME', '--', 'scrub-filter-no-such-command-xyz']);
    expect(n.code).toBe(127);
  });

  it("a stderr write error is a non-zero exit (the issue's reproduction with 2>/dev/full)", async () => {
    const r = await runShell(`"$NODE" "$BIN" --secret-env FAKE_T -- sh -c 'echo err >&2' 2>/dev/full; echo "status=$?"`, { env: { FAKE_T: fakeSecret() } });
    expect(r.stdout.toString()).toBe('status=70\n');
  });

  it('pipe mode: a warning that cannot be written to stderr is a non-zero exit too', async () => {
    const r = await runShell(`echo x | "$NODE" "$BIN" --allow-missing --secret-env FAKE_NOPE 2>/dev/full; echo " status=$?"`, { env: { FAKE_NOPE: undefined } });
    expect(r.stdout.toString()).not.toContain('status=0');
    expect(r.stdout.toString()).toMatch(/status=70\n$/);
  });

  it('--help and --version into /dev/full: non-zero with a message', async () => {
    for (const opt of ['--help', '--version']) {
      const r = await runShell(`"$NODE" "$BIN" ${opt} >/dev/full; echo "status=$?" >&2`);
      expect(r.stderr).toContain('scrub-filter: writing stdout: ENOSPC\n');
      expect(r.stderr).toContain('status=70');
    }
  });

  it('exit status after EPIPE near the end is exactly 141, every time, under load', async () => {
    const file = join(dir, 'one-mib');
    writeFileSync(file, Buffer.alloc(1024 * 1024, 'abcdefgh\n'));
    // head leaves 100 KiB before the end: more than a pipe holds, so some late write fails.
    const keep = 1024 * 1024 - 100 * 1024;
    const round = (mode: string) =>
      runShell(`"$NODE" "$BIN" --secret-env FAKE_T ${mode} | head -c ${keep} >/dev/null; echo "\${PIPESTATUS[0]}"`, {
        env: { FAKE_T: fakeSecret() },
        timeoutMs: 30_000,
      });
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      // four at once: the load is what used to turn 141 into 0
      const rs = await Promise.all([round(`< ${file}`), round(`< ${file}`), round(`-- cat ${file}`), round(`-- cat ${file}`)]);
      for (const r of rs) statuses.push(r.stdout.toString().trim());
    }
    expect(statuses).toEqual(statuses.map(() => '141'));
  });

  it('EPIPE on the very last write (held bytes released at the end) is 141, not 0', async () => {
    const T = `FAKE-held-${process.pid}-secret-value`;
    const statuses: Array<number | null> = [];
    for (let i = 0; i < 8; i++) {
      const child = startCli(['--secret-env', 'FAKE_HELD'], { env: { FAKE_HELD: T } });
      const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      child.stderr!.resume();
      child.stdin!.write('x\n');
      await waitFor(child.stdout!, 'x\n');
      child.stdout!.destroy(); // the reader goes away
      await sleep(50);
      // A prefix of the secret: held back, written only by the final write at end of input.
      child.stdin!.end(T.slice(0, 12));
      statuses.push(await exit);
    }
    expect(statuses).toEqual(statuses.map(() => 141));
  });

  it('bytes that are not UTF-8 in argv or the environment: one warning, naming the variable', async () => {
    const r = await runShell(`env $'FAKE_BADENV=x\\xffy' "$NODE" "$BIN" --secret-env HOME -- printf '%s|' $'a\\xffb' $'c\\xfed'`);
    expect(r.code).toBe(0);
    const lines = ourLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^scrub-filter: warning: not UTF-8: COMMAND's arguments and environment variable FAKE_BADENV contain bytes that are not valid UTF-8/);
    const clean = await runCli(['--secret-env', 'HOME', '--', 'true']);
    expect(clean.stderr).toBe('');
  });
});

describe("signals, the reader leaving and stops reach COMMAND's whole tree", () => {
  it("scrub-filter -- sh -c 'yes x; true' | head -c 10 exits (141), and yes is not left running", async () => {
    const tag = `FAKE-yes-${process.pid}-${Date.now()}`;
    const r = await runShell(`"$NODE" "$BIN" --secret-env HOME -- sh -c 'yes ${tag}; true' | head -c 10; echo " status=\${PIPESTATUS[0]}"`, { timeoutMs: 30_000 });
    expect(r.stdout.toString()).toBe(`${tag.slice(0, 10)} status=141\n`);
    expect(await gone(`yes ${tag}`)).toEqual([]);
  });

  it('SIGTERM reaches grandchildren that hold the pipes (no waiting for them)', async () => {
    const unique = `30.${process.pid}${Date.now() % 1000}`;
    const child = startCli(['--secret-env', 'HOME', '--', 'sh', '-c', `sleep ${unique} & sleep ${unique} & echo ready; wait`]);
    child.stdin!.end();
    const result = collect(child, 20_000);
    await waitFor(child.stdout!, 'ready\n');
    await sleep(200);
    child.kill('SIGTERM');
    const r = await result; // would take 30 s if we waited for the sleeps
    expect(r.signal).toBe('SIGTERM');
    expect(await gone(`sleep ${unique}`)).toEqual([]);
  });

  it('SIGTERM also reaches an orphan (its parent exited) that still holds the pipes', async () => {
    const unique = `31.${process.pid}${Date.now() % 1000}`;
    // (sleep &) double-forks: the sleep's parent exits at once, so no /proc walk from COMMAND finds it.
    const child = startCli(['--secret-env', 'HOME', '--', 'sh', '-c', `(sleep ${unique} &); echo ready; exec sleep ${unique}`]);
    child.stdin!.end();
    const result = collect(child, 20_000);
    await waitFor(child.stdout!, 'ready\n');
    await sleep(200);
    child.kill('SIGTERM');
    const r = await result; // would wait 31 s for the orphan if only COMMAND and its children were signalled
    expect(r.signal).toBe('SIGTERM');
    expect(await gone(`sleep ${unique}`)).toEqual([]);
  });

  it('without a terminal, COMMAND leads its own process group', async () => {
    const r = await runCli(['--secret-env', 'HOME', '--', 'sh', '-c', 'echo "$$ $(cut -d" " -f5 /proc/$$/stat)"']);
    const [pid, pgid] = r.stdout.toString().trim().split(' ');
    expect(pgid).toBe(pid);
  });

  it.skipIf(!hasScript)('on a terminal, an interactive COMMAND keeps working (it can read the terminal)', async () => {
    const inner = `"${NODE}" "${BIN}" --secret-env FAKE_TTY -- sh -c 'read x </dev/tty; echo "got $x"; echo "pgid $(cut -d" " -f5 /proc/$$/stat) ours $(cut -d" " -f5 /proc/$PPID/stat)"'`;
    const T = fakeSecret('tty');
    const child = spawn('script', ['-qec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FAKE_TTY: T } });
    const result = collect(child, 20_000);
    await sleep(1500);
    child.stdin!.write(`hello ${T}\n`);
    const r = await result;
    const text = r.stdout.toString();
    expect(text).toContain('got hello ***');
    const m = /pgid (\d+) ours (\d+)/.exec(text);
    expect(m && m[1]).toBe(m && m[2]); // in our (the foreground) group
  });
});
