/**
 * The secret sources as modules (src/cli/sources/*): selection, formats,
 * bounds. The command-level behaviour is in sources-cli.test.ts.
 */
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnviron, readEnvSecrets, parseSelector, type EnvEntry } from '../../src/cli/sources/env.js';
import { readFileSecrets } from '../../src/cli/sources/file.js';
import { runHelper, HelperError } from '../../src/cli/sources/cmd.js';
import { parseSecrets } from '../../src/cli/sources/formats.js';
import { stripBom } from '../../src/cli/sources/text.js';
import { readSources, SourceError, displayName, type SourceWarning, type SourcedSecret } from '../../src/cli/sources/index.js';
import { trimBytes } from '../../src/bytes/index.js';

const text = (v: Uint8Array): string => Buffer.from(v).toString('utf8');
const dir = mkdtempSync(join(tmpdir(), 'scrub-sources-'));
const envOf = (o: Record<string, string>): Map<string, EnvEntry> =>
  new Map(Object.entries(o).map(([name, v]) => [name, { name, value: Buffer.from(v), utf8: true }]));
const pairs = (list: SourcedSecret[]): Array<[string, string]> => list.map((s) => [s.name, text(s.value)]);
const opts = { timeoutMs: 5_000, warn: () => {} };

describe('env source', () => {
  const base = { exclude: [], allowMissing: false, warn: () => {} };

  it('reads a variable, trims surrounding whitespace, names it env:NAME', () => {
    expect(pairs(readEnvSecrets('TOK', { ...base, env: envOf({ TOK: '  fake-env-value-1\n' }) }))).toEqual([['env:TOK', 'fake-env-value-1']]);
  });

  it('unset or no match is an error by default, a warning with allowMissing; empty is a warning', () => {
    expect(() => readEnvSecrets('NOPE', { ...base, env: envOf({}) })).toThrow('env:NOPE: not set');
    expect(() => readEnvSecrets('ZZZ_*', { ...base, env: envOf({ A: 'x' }) })).toThrow('env:ZZZ_*: no variable matches');
    const warnings: SourceWarning[] = [];
    const warn = (w: SourceWarning) => warnings.push(w);
    expect(readEnvSecrets('NOPE', { ...base, allowMissing: true, warn, env: envOf({}) })).toEqual([]);
    expect(readEnvSecrets('EMPTY', { ...base, warn, env: envOf({ EMPTY: '' }) })).toEqual([]);
    expect(readEnvSecrets('BLANK', { ...base, warn, env: envOf({ BLANK: ' \t\n' }) })).toEqual([]);
    expect(warnings).toEqual([
      { name: 'env:NOPE', message: 'not set' },
      { name: 'env:EMPTY', message: 'empty' },
      { name: 'env:BLANK', message: 'only whitespace' },
    ]);
  });

  it('patterns: PREFIX*, *SUFFIX, sorted; exclusions apply', () => {
    const env = envOf({ AWS_B: 'fake-b-value', AWS_A: 'fake-a-value', AWS_REGION: 'us-east-1', AWSX: 'no', GH_TOKEN: 'fake-gh-tok', OTHER: 'no' });
    expect(readEnvSecrets('AWS_*', { ...base, env }).map((s) => s.name)).toEqual(['env:AWS_A', 'env:AWS_B', 'env:AWS_REGION']);
    const exclude = [parseSelector('AWS_REGION', '--exclude-env')];
    expect(readEnvSecrets('AWS_*', { ...base, exclude, env }).map((s) => s.name)).toEqual(['env:AWS_A', 'env:AWS_B']);
    expect(readEnvSecrets('*_TOKEN', { ...base, env }).map((s) => s.name)).toEqual(['env:GH_TOKEN']);
    expect(() => readEnvSecrets('AWS_REGION', { ...base, exclude, env })).toThrow(/both selected .* and excluded/);
    expect(() => readEnvSecrets('AWS_*', { ...base, exclude: [parseSelector('AWS*', 'x')], env })).toThrow(/every matching variable is excluded/);
  });

  it('rejects malformed specs', () => {
    expect(() => readEnvSecrets('*', { ...base, env: envOf({}) })).toThrow(SourceError);
    expect(() => readEnvSecrets('**', { ...base, env: envOf({}) })).toThrow(/fixed text/);
    expect(() => readEnvSecrets('', { ...base, env: envOf({}) })).toThrow(/env:: not a valid variable name/);
    expect(() => readEnvSecrets('A=B', { ...base, env: envOf({}) })).toThrow(/not a valid variable name/);
  });

  it('parses the kernel environment block with exact bytes (invalid UTF-8 kept)', () => {
    const raw = Buffer.concat([Buffer.from('A=1\0B='), Buffer.from([0x66, 0xff, 0x66]), Buffer.from('\0C=x=y\0A=dup\0')]);
    const env = parseEnviron(raw);
    expect(text(env.get('A')!.value)).toBe('1');
    expect(Buffer.from(env.get('B')!.value)).toEqual(Buffer.from([0x66, 0xff, 0x66]));
    expect(env.get('B')!.utf8).toBe(false);
    expect(text(env.get('C')!.value)).toBe('x=y');
  });
});

describe('file sources', () => {
  it('takes the whole file as one secret, surrounding whitespace removed, bytes as bytes', async () => {
    const p = join(dir, 'token.txt');
    writeFileSync(p, '\n  fake-file-secret\nsecond line  \n\n');
    expect(pairs(await readFileSecrets(p, 'raw', opts))).toEqual([[`file:${p}`, 'fake-file-secret\nsecond line']]);
    const b = join(dir, 'bin.key');
    writeFileSync(b, Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x80, 0x0a]));
    expect(Buffer.from((await readFileSecrets(b, 'raw', opts))[0].value)).toEqual(Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x80]));
  });

  it('errors by name on missing, directory and unreadable files', async () => {
    await expect(readFileSecrets('./key.pem', 'raw', opts)).rejects.toThrow('file:./key.pem: no such file');
    const d = join(dir, 'adir');
    mkdirSync(d, { recursive: true });
    await expect(readFileSecrets(d, 'raw', opts)).rejects.toThrow(`file:${d}: is a directory`);
    if (process.getuid?.() !== 0) {
      const p = join(dir, 'locked');
      writeFileSync(p, 'fake-locked');
      chmodSync(p, 0o000);
      await expect(readFileSecrets(p, 'raw', opts)).rejects.toThrow(`file:${p}: permission denied`);
    }
  });

  it('the bound is exactly 1 MiB: 1 MiB is read, 1 MiB + 1 byte is refused', async () => {
    const ok = join(dir, 'exact');
    writeFileSync(ok, Buffer.alloc(1024 * 1024, 0x61));
    expect((await readFileSecrets(ok, 'raw', opts))[0].value.length).toBe(1024 * 1024);
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x61));
    await expect(readFileSecrets(big, 'raw', opts)).rejects.toThrow(/larger than 1048576 bytes/);
  });

  it('byte-order marks: UTF-8 stripped, UTF-16 decoded, broken UTF-16 refused', () => {
    expect(text(stripBom(Buffer.from('\ufefffake-bom-1', 'utf8'), 'n'))).toBe('fake-bom-1');
    expect(text(stripBom(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('fake-le', 'utf16le')]), 'n'))).toBe('fake-le');
    const be = Buffer.from('fake-be', 'utf16le').swap16();
    expect(text(stripBom(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'n'))).toBe('fake-be');
    expect(() => stripBom(Buffer.from([0xff, 0xfe, 0x41]), 'file:x')).toThrow(/file:x: UTF-16LE .* odd number/);
    expect(() => stripBom(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]), 'file:x')).toThrow(/not valid UTF-16/);
  });
});

describe('formats', () => {
  const warn = () => {};
  it('dotenv: each value, named BASE:KEY; a malformed line is an error', () => {
    const doc = Buffer.from('# c\nexport A=fake-a-1\nB="fake b\\nline"\nC=\'fake-c\'\nEMPTY=\n');
    expect(pairs(parseSecrets(doc, 'dotenv', 'env-file:x', warn))).toEqual([
      ['env-file:x:A', 'fake-a-1'],
      ['env-file:x:B', 'fake b\nline'],
      ['env-file:x:C', 'fake-c'],
    ]);
    expect(() => parseSecrets(Buffer.from('oops\nA=fake-a\n'), 'dotenv', 'env-file:x', warn)).toThrow(/env-file:x: a line is not KEY=value/);
    expect(() => parseSecrets(Buffer.from('just text'), 'dotenv', 'env-file:x', warn)).toThrow(/no KEY=value/);
  });

  it('json: every string value at any depth, named by JSON path; errors do not quote the document', () => {
    const doc = Buffer.from(JSON.stringify({ data: { password: 'fake-pw-1', 'a key': ['fake-arr-0', 5, true, null, { v: 'fake-deep' }] } }));
    expect(pairs(parseSecrets(doc, 'json', 'json:x', warn))).toEqual([
      ['json:x:$.data.password', 'fake-pw-1'],
      ['json:x:$.data["a key"][0]', 'fake-arr-0'],
      ['json:x:$.data["a key"][4].v', 'fake-deep'],
    ]);
    let err: unknown;
    try {
      parseSecrets(Buffer.from('{"p": "fake-not-closed'), 'json', 'json:x', warn);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^json:x: not valid JSON/);
    expect((err as Error).message).not.toContain('fake-not-closed');
    expect(() => parseSecrets(Buffer.from('[1, 2]'), 'json', 'json:x', warn)).toThrow(/no string value/);
    const deep = Buffer.from('['.repeat(5000) + '"fake-deep-x"' + ']'.repeat(5000));
    expect(parseSecrets(deep, 'json', 'json:x', warn)).toHaveLength(1);
  });

  it('lines: each non-blank line', () => {
    expect(pairs(parseSecrets(Buffer.from('fake-l1\n\n  fake-l3 \r\n'), 'lines', 'cmd:x', warn))).toEqual([
      ['cmd:x:line 1', 'fake-l1'],
      ['cmd:x:line 3', 'fake-l3'],
    ]);
  });
});

describe('helper command', () => {
  it('stdout and stderr separately, stdin from /dev/null', async () => {
    const out = await runHelper('cat; echo fake-after-cat; echo to-stderr >&2', 'cmd:x', { timeoutMs: 10_000 });
    expect(text(out.stdout)).toBe('fake-after-cat\n');
    expect(text(out.stderr)).toBe('to-stderr\n');
  });

  it('fails on a non-zero exit or a signal, without the output in the message, output kept for scrubbing', async () => {
    const err = await runHelper('printf fake-partial-output; exit 3', 'cmd:x', { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelperError);
    expect((err as Error).message).toBe('cmd:x: exited with status 3');
    expect(text((err as HelperError).output.stdout)).toBe('fake-partial-output');
    await expect(runHelper('kill -KILL $$', 'cmd:x', { timeoutMs: 10_000 })).rejects.toThrow(/killed by SIGKILL/);
  });

  it('times out, also when a grandchild keeps stdout open', async () => {
    const t0 = Date.now();
    await expect(runHelper('sleep 5 & sleep 5', 'cmd:x', { timeoutMs: 300 })).rejects.toThrow('timed out after 0.3 s');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('refuses more than 1 MiB of output', async () => {
    await expect(runHelper('head -c 2000000 /dev/zero | tr "\\0" a', 'cmd:x', { timeoutMs: 20_000 })).rejects.toThrow(/output larger than/);
  });
});

describe('readSources', () => {
  it('reads in command-line order and stops at the first error', async () => {
    const p = join(dir, 'ordered');
    writeFileSync(p, 'fake-ordered-file');
    const marker = join(dir, 'should-not-exist');
    const got: SourcedSecret[] = [];
    const base = { timeoutMs: 10_000, excludeEnv: [], allowMissing: false, warn: () => {}, onSecret: (s: SourcedSecret) => got.push(s), helperStderr: () => {} };
    await readSources(
      [
        { kind: 'file', path: p },
        { kind: 'env', spec: 'FAKE_ORDER' },
        { kind: 'cmd', command: 'echo fake-ordered-cmd', format: 'raw' },
      ],
      { ...base, env: envOf({ FAKE_ORDER: 'fake-ordered-env' }) },
    );
    expect(got.map((s) => text(s.value))).toEqual(['fake-ordered-file', 'fake-ordered-env', 'fake-ordered-cmd']);
    await expect(
      readSources(
        [
          { kind: 'file', path: join(dir, 'missing') },
          { kind: 'cmd', command: `touch ${marker}`, format: 'raw' },
        ],
        base,
      ),
    ).rejects.toThrow(/no such file/);
    await expect(readFileSecrets(marker, 'raw', opts)).rejects.toThrow(/no such file/);
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
