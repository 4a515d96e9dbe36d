/**
 * Issue 10, "controls" and "the mask cannot re-form a secret", through the
 * built command: --variants, --stats=json, the terminal hint, mask checks,
 * ::stop-commands:: with --add-mask.
 */
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, collect, expectNoSecrets, fakeSecret, NODE, ourLines, requireBuilt, runCli, sleep } from './helpers.js';

beforeAll(() => requireBuilt());
vi.setConfig({ testTimeout: 30_000 });

const hasScript = ((): boolean => {
  const r = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('util-linux');
})();

describe('--variants LIST', () => {
  it('masks the chosen encodings only', async () => {
    const V = 'fake/pass+word=42';
    const b64 = Buffer.from(`u:${V}`).toString('base64');
    const pct = encodeURIComponent(V);
    const input = `${JSON.stringify(V)} ${b64} ${pct}\n`;
    const r = await runCli(['--secret-env', 'FAKE_V', '--variants', 'percent'], { env: { FAKE_V: V }, input });
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toContain(b64); // base64 not chosen
    expect(out).not.toContain(pct);
    const all = await runCli(['--secret-env', 'FAKE_V'], { env: { FAKE_V: V }, input });
    expect(all.stdout.toString()).not.toContain(b64.slice(4, 16));
  });

  it('unknown names are exit 2, listing the valid ones', async () => {
    const r = await runCli(['--secret-env', 'HOME', '--variants', 'base64,yaml'], { input: 'x\n' });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual([
      "scrub-filter: --variants: unknown name 'yaml' (valid: lines, json, base64, base64-wrapped, percent, entities, shell; none: --no-variants) (see scrub-filter --help)",
    ]);
  });
});

describe('--stats=json', () => {
  it('one JSON line on stderr: masks per secret name, never a value', async () => {
    const A = fakeSecret('a');
    const B = fakeSecret('b');
    const r = await runCli(['--secret-env', 'FAKE_A', '--secret-env', 'FAKE_B', '--stats=json'], { env: { FAKE_A: A, FAKE_B: B }, input: `${A} ${A}\n` });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({ secrets: 2, masked: 2, names: { 'env:FAKE_A': 2, 'env:FAKE_B': 0 }, detected: {} });
    expectNoSecrets(r.stderr, [A, B]);
  });
});

describe('pipe mode on a terminal', () => {
  it.skipIf(!hasScript)('a one-line hint on stderr when stdin is a terminal', async () => {
    const inner = `"${NODE}" "${BIN}" --secret-env HOME`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const result = collect(child, 20_000);
    await sleep(1500);
    child.stdin!.write('\x04');
    const r = await result;
    expect(r.stdout.toString()).toContain('scrub-filter: reading stdin from the terminal (end with Ctrl-D); to run a command: scrub-filter [options] -- COMMAND');
  });

  it('no hint when stdin is not a terminal', async () => {
    const r = await runCli(['--secret-env', 'HOME'], { input: 'x\n' });
    expect(r.stderr).toBe('');
  });
});

describe('the mask cannot re-form a secret', () => {
  it("--mask '' is refused (the issue: abcabcdefdef became abcdef, the secret)", async () => {
    const r = await runCli(['--secret-env', 'FAKE_S', '--mask', ''], { env: { FAKE_S: 'abcdef' }, input: 'abcabcdefdef\n' });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)[0]).toMatch(/^scrub-filter: --mask: an empty mask joins the text around a secret/);
  });

  it('a mask that contains a registered secret is refused by name', async () => {
    const r = await runCli(['--secret-env', 'FAKE_S', '--mask', '[FAKE-word-99]'], { env: { FAKE_S: 'FAKE-word-99' }, input: 'FAKE-word-99\n' });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: env:FAKE_S: the mask text contains this secret, so every mask would show it (choose another --mask)']);
  });

  it('a secret that contains the mask is warned about by name (exit 2 with --strict)', async () => {
    const S = 'x***y-fake-secret';
    const r = await runCli(['--secret-env', 'FAKE_S'], { env: { FAKE_S: S }, input: `${S}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('***\n');
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: warning: env:FAKE_S: contains the mask text: masked output around it can re-form the secret (choose another --mask)']);
    const s = await runCli(['--strict', '--secret-env', 'FAKE_S'], { env: { FAKE_S: S }, input: `${S}\n` });
    expect(s.code).toBe(2);
    expect(s.stdout.length).toBe(0);
  });

  it('at run time, an ::add-mask:: value inside the mask stops output (exit 70)', async () => {
    const r = await runCli(['--add-mask', '--mask', '<hidden-FAKE-value>'], { input: '::add-mask::FAKE-value\nFAKE-value later\n' });
    expect(r.code).toBe(70);
    expect(r.stdout.toString()).not.toContain('later');
    expect(r.stderr).toContain('add-mask: the mask text contains this secret');
  });
});

describe('::stop-commands:: with --add-mask', () => {
  it('mask lines between ::stop-commands::TOKEN and ::TOKEN:: are ordinary output', async () => {
    const A = fakeSecret('stopped');
    const B = fakeSecret('resumed');
    const input = [
      '::stop-commands::fake-resume-1',
      `::add-mask::${A}`,
      `printed ${A}`,
      '::fake-resume-1::',
      `::add-mask::${B}`,
      `now ${B} but ${A}`,
      '',
    ].join('\n');
    const r = await runCli(['--add-mask'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(
      ['::stop-commands::fake-resume-1', `::add-mask::${A}`, `printed ${A}`, '::fake-resume-1::', `now *** but ${A}`, ''].join('\n'),
    );
  });
});
