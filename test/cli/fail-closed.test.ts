/**
 * Issue 10, "fail closed by default": a named variable that is unset, or a
 * pattern that matches nothing, is exit 2 before any input is read or
 * COMMAND started; --allow-missing downgrades it; an empty value is a
 * warning; --strict turns every warning into exit 2.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectNoSecrets, fakeSecret, ourLines, requireBuilt, runCli, runShell } from './helpers.js';

beforeAll(() => requireBuilt());
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), 'scrub-fail-closed-'));
const marker = join(dir, 'command-ran');
beforeEach(() => rmSync(marker, { force: true }));

/** Runs in wrap mode (COMMAND would leave a marker) and in pipe mode; both must be exit 2 with nothing on stdout. */
async function expectExit2(args: string[], env: Record<string, string | undefined>, line: string | RegExp): Promise<string> {
  const w = await runCli([...args, '--', 'sh', '-c', `touch '${marker}'; echo ran`], { env, input: 'input\n' });
  expect(w.code).toBe(2);
  expect(w.stdout.length).toBe(0);
  expect(existsSync(marker)).toBe(false);
  const p = await runCli(args, { env, input: 'input\n' });
  expect(p.code).toBe(2);
  expect(p.stdout.length).toBe(0);
  const lines = ourLines(p.stderr);
  expect(lines.some((l) => (typeof line === 'string' ? l === line : line.test(l))), p.stderr).toBe(true);
  return p.stderr;
}

describe('missing secrets are exit 2', () => {
  it('--secret-env NOPE (unset): exit 2, names the source', async () => {
    await expectExit2(['--secret-env', 'FAKE_NOPE'], { FAKE_NOPE: undefined }, 'scrub-filter: env:FAKE_NOPE: not set (--allow-missing makes this a warning)');
  });

  it("the issue's foot-gun: GH_TOKEN=x make | scrub-filter --secret-env GH_TOKEN prints nothing, exit 2", async () => {
    const T = fakeSecret('gh');
    // The variable is set for the producer only; the filter does not see it.
    const r = await runShell(`FAKE_GH_TOKEN='${T}' sh -c 'echo "token $FAKE_GH_TOKEN"' | "$NODE" "$BIN" --secret-env FAKE_GH_TOKEN; echo "status=$?" >&2`, {
      env: { FAKE_GH_TOKEN: undefined },
    });
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toContain('status=2');
    expect(r.stderr).toContain('env:FAKE_GH_TOKEN: not set');
    expectNoSecrets(r.stdout, [T]);
  });

  it("a PREFIX* that matches nothing: exit 2", async () => {
    await expectExit2(['--secret-env', 'FAKE_NOTHING_*'], {}, 'scrub-filter: env:FAKE_NOTHING_*: no variable matches (--allow-missing makes this a warning)');
  });

  it('--allow-missing: a warning, input passes', async () => {
    const r = await runCli(['--allow-missing', '--secret-env', 'FAKE_NOPE', '--secret-env', 'FAKE_NOTHING_*'], { env: { FAKE_NOPE: undefined }, input: 'plain\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('plain\n');
    expect(ourLines(r.stderr)).toEqual([
      'scrub-filter: warning: env:FAKE_NOPE: not set',
      'scrub-filter: warning: env:FAKE_NOTHING_*: no variable matches',
    ]);
  });

  it('an empty value stays a warning (nothing to mask), exit 0', async () => {
    const r = await runCli(['--secret-env', 'FAKE_EMPTY'], { env: { FAKE_EMPTY: '' }, input: 'plain\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('plain\n');
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: warning: env:FAKE_EMPTY: empty']);
  });
});

describe('--strict: every warning is exit 2', () => {
  it('empty value', async () => {
    await expectExit2(['--strict', '--secret-env', 'FAKE_EMPTY'], { FAKE_EMPTY: '' }, 'scrub-filter: error: env:FAKE_EMPTY: empty (--strict)');
  });

  it('too short', async () => {
    const err = await expectExit2(['--strict', '--secret-env', 'FAKE_SHORT'], { FAKE_SHORT: 'q7z' }, /^scrub-filter: error: env:FAKE_SHORT: shorter than 4 bytes.*\(--strict\)$/);
    expectNoSecrets(err, ['q7z']);
  });

  it('--allow-missing under --strict is exit 2 again', async () => {
    await expectExit2(['--strict', '--allow-missing', '--secret-env', 'FAKE_NOPE'], { FAKE_NOPE: undefined }, 'scrub-filter: error: env:FAKE_NOPE: not set (--strict)');
  });

  it('no secrets at all', async () => {
    await expectExit2(['--strict'], {}, /no secrets given/);
  });

  it('at run time: a too-short ::add-mask:: value stops output (exit 70)', async () => {
    const r = await runCli(['--strict', '--add-mask'], { input: 'before\n::add-mask::ab\nafter\n' });
    expect(r.code).toBe(70);
    // Output stops at once: nothing after the refused line is written (what came before in the same read may be withheld too).
    expect(['', 'before\n']).toContain(r.stdout.toString());
    expect(r.stderr).toMatch(/add-mask: shorter than 4 bytes.*--strict/);
  });
});
