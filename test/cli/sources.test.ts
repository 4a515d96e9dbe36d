import { mkdtempSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  displayName,
  readCmdSecret,
  readEnvSecrets,
  readFileSecret,
  readSources,
  SourceError,
  type SourceWarning,
} from '../../src/cli/sources/index.js';
import { trimBytes } from '../../src/bytes/index.js';

const text = (v: Uint8Array): string => Buffer.from(v).toString('utf8');
const dir = mkdtempSync(join(tmpdir(), 'scrub-sources-'));

describe('env source', () => {
  it('reads a variable, trims surrounding whitespace, names it env:NAME', () => {
    const out = readEnvSecrets('TOK', { TOK: '  fake-env-value-1\n' });
    expect(out.map((s) => [s.name, text(s.value)])).toEqual([['env:TOK', 'fake-env-value-1']]);
  });

  it('warns by name (not value) on unset, empty and whitespace-only variables', () => {
    const warnings: SourceWarning[] = [];
    const warn = (w: SourceWarning) => warnings.push(w);
    expect(readEnvSecrets('NOPE', {}, warn)).toEqual([]);
    expect(readEnvSecrets('EMPTY', { EMPTY: '' }, warn)).toEqual([]);
    expect(readEnvSecrets('BLANK', { BLANK: ' \t\n' }, warn)).toEqual([]);
    expect(warnings).toEqual([
      { name: 'env:NOPE', message: 'not set' },
      { name: 'env:EMPTY', message: 'empty' },
      { name: 'env:BLANK', message: 'only whitespace' },
    ]);
  });

  it('expands PREFIX* to every matching variable, sorted, skipping empty ones with a warning', () => {
    const warnings: SourceWarning[] = [];
    const env = { AWS_B: 'fake-b-value', AWS_A: 'fake-a-value', AWS_EMPTY: '', AWSX: 'no', OTHER: 'no' };
    const out = readEnvSecrets('AWS_*', env, (w) => warnings.push(w));
    expect(out.map((s) => s.name)).toEqual(['env:AWS_A', 'env:AWS_B']);
    expect(out.map((s) => text(s.value))).toEqual(['fake-a-value', 'fake-b-value']);
    expect(warnings).toEqual([{ name: 'env:AWS_EMPTY', message: 'empty' }]);
  });

  it('warns when a prefix matches nothing', () => {
    const warnings: SourceWarning[] = [];
    expect(readEnvSecrets('ZZZ_*', { A: 'x' }, (w) => warnings.push(w))).toEqual([]);
    expect(warnings).toEqual([{ name: 'env:ZZZ_*', message: 'no variable matches' }]);
  });

  it('rejects malformed specs', () => {
    expect(() => readEnvSecrets('*', {})).toThrow(SourceError);
    expect(() => readEnvSecrets('', {})).toThrow(/env:: not a valid variable name/);
    expect(() => readEnvSecrets('A*B', {})).toThrow(/not a valid variable name/);
    expect(() => readEnvSecrets('A=B', {})).toThrow(/not a valid variable name/);
  });
});

describe('file source', () => {
  it('takes the whole file as one secret, surrounding whitespace removed', () => {
    const p = join(dir, 'token.txt');
    writeFileSync(p, '\n  fake-file-secret\nsecond line  \n\n');
    const out = readFileSecret(p);
    expect(out).toHaveLength(1);
    expect(out[0].name).toBe(`file:${p}`);
    expect(text(out[0].value)).toBe('fake-file-secret\nsecond line');
  });

  it('keeps bytes as bytes (no decoding)', () => {
    const p = join(dir, 'bin.key');
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x80, 0x0a]);
    writeFileSync(p, bytes);
    expect(Buffer.from(readFileSecret(p)[0].value)).toEqual(Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x80]));
  });

  it('errors by name on missing, directory and unreadable files', () => {
    expect(() => readFileSecret('./key.pem')).toThrow('file:./key.pem: no such file');
    const d = join(dir, 'adir');
    mkdirSync(d, { recursive: true });
    expect(() => readFileSecret(d)).toThrow(`file:${d}: is a directory`);
    if (process.getuid?.() !== 0) {
      const p = join(dir, 'locked');
      writeFileSync(p, 'fake-locked');
      chmodSync(p, 0o000);
      expect(() => readFileSecret(p)).toThrow(`file:${p}: permission denied`);
    }
  });

  it('refuses files larger than 1 MiB', () => {
    const p = join(dir, 'big');
    writeFileSync(p, Buffer.alloc(1024 * 1024 + 1, 0x61));
    expect(() => readFileSecret(p)).toThrow(/larger than/);
  });
});

describe('cmd source', () => {
  it("takes the command's stdout, trimmed, named cmd:<command>", async () => {
    const out = await readCmdSecret('printf "  %s\\n" "$FAKE_CMD_SECRET"', { env: { ...process.env, FAKE_CMD_SECRET: 'fake-cmd-value' } });
    expect(out.map((s) => [s.name, text(s.value)])).toEqual([['cmd:printf "  %s\\n" "$FAKE_CMD_SECRET"', 'fake-cmd-value']]);
  });

  it('runs with stdin from /dev/null (never our input)', async () => {
    const out = await readCmdSecret('cat; echo fake-after-cat');
    expect(text(out[0].value)).toBe('fake-after-cat');
  });

  it('fails on a non-zero exit, without the output in the message', async () => {
    const err = await readCmdSecret('printf fake-partial-output; exit 3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe('cmd:printf fake-partial-output; exit 3: exited with status 3');
    const err2 = await readCmdSecret('printf %s "$V"; exit 3', { env: { ...process.env, V: 'fake-hidden-1' } }).catch((e: unknown) => e);
    expect((err2 as Error).message).not.toContain('fake-hidden-1');
  });

  it('fails on death by a signal', async () => {
    await expect(readCmdSecret('kill -KILL $$')).rejects.toThrow(/killed by SIGKILL/);
  });

  it('times out, also when a grandchild keeps stdout open', async () => {
    const t0 = Date.now();
    await expect(readCmdSecret('sleep 5 & sleep 5', { timeoutMs: 300 })).rejects.toThrow('timed out after 0.3 s');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('refuses more than 1 MiB of output', async () => {
    await expect(readCmdSecret('head -c 2000000 /dev/zero | tr "\\0" a')).rejects.toThrow(/output larger than/);
  });
});

describe('readSources', () => {
  it('reads in command-line order and stops at the first error', async () => {
    const p = join(dir, 'ordered');
    writeFileSync(p, 'fake-ordered-file');
    const marker = join(dir, 'should-not-exist');
    const out = await readSources([
      { kind: 'file', path: p },
      { kind: 'env', spec: 'FAKE_ORDER' },
      { kind: 'cmd', command: 'echo fake-ordered-cmd' },
    ], { env: { ...process.env, FAKE_ORDER: 'fake-ordered-env' } });
    expect(out.map((s) => text(s.value))).toEqual(['fake-ordered-file', 'fake-ordered-env', 'fake-ordered-cmd']);
    await expect(
      readSources([
        { kind: 'file', path: join(dir, 'missing') },
        { kind: 'cmd', command: `touch ${marker}` },
      ]),
    ).rejects.toThrow(/no such file/);
    expect(() => readFileSecret(marker)).toThrow(/no such file/);
  });
});

describe('helpers', () => {
  it('trimBytes trims ASCII whitespace only', () => {
    expect(text(trimBytes(Buffer.from('\t\r\n a b \v\f')))).toBe('a b');
    expect(Buffer.from(trimBytes(Buffer.from([0xa0, 0x41, 0xa0])))).toEqual(Buffer.from([0xa0, 0x41, 0xa0]));
  });

  it('displayName keeps names on one line', () => {
    expect(displayName('a\nb\tc\x01')).toBe('a\\nb\\tc\\x01');
  });
});
