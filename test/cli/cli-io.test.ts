/**
 * Bytes, pipes and memory: binary passthrough, `| head -1`, a 200 MB stream.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { collect, expectNoSecrets, fakeSecret, requireBuilt, runCli, runShell, startCli } from './helpers.js';

beforeAll(() => requireBuilt());
// Each test starts Node processes; on a loaded 2-core machine that alone can take a second or two.
vi.setConfig({ testTimeout: 30_000 });

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('bytes are bytes', () => {
  it('random binary without secrets comes out identical (pipe and wrap)', async () => {
    const data = randomBytes(1024 * 1024);
    const env = { FAKE_BIN: fakeSecret('bin') };
    const p = await runCli(['--secret-env', 'FAKE_BIN'], { env, input: data });
    expect(p.code).toBe(0);
    expect(p.stdout.length).toBe(data.length);
    expect(sha256(p.stdout)).toBe(sha256(data));
    const w = await runCli(['--secret-env', 'FAKE_BIN', '--add-mask', '--', 'cat'], { env, input: data });
    expect(w.code).toBe(0);
    expect(sha256(w.stdout)).toBe(sha256(data));
  });

  it('a secret between NUL and invalid UTF-8 bytes is masked, the rest untouched', async () => {
    const V = fakeSecret('nul');
    const input = Buffer.concat([Buffer.from([0, 0xff, 0xc3]), Buffer.from(V), Buffer.from([0, 0x80, 0x0a])]);
    const r = await runCli(['--secret-env', 'FAKE_NUL'], { env: { FAKE_NUL: V }, input });
    expect([...r.stdout]).toEqual([0, 0xff, 0xc3, ...Buffer.from('***'), 0, 0x80, 0x0a]);
  });
});

describe('the reader goes away (| head -1)', () => {
  it('pipe mode: exits quietly with 141, no stack trace', async () => {
    const V = fakeSecret('head');
    const r = await runShell('yes "line $FAKE_HEAD" | "$NODE" "$BIN" --secret-env FAKE_HEAD | head -1; echo "status=${PIPESTATUS[1]}" >&2', {
      env: { FAKE_HEAD: V },
    });
    expect(r.stdout.toString()).toBe('line ***\n');
    expect(r.stderr).toBe('status=141\n');
  });

  it('wrap mode: stops COMMAND and exits quietly', async () => {
    const V = fakeSecret('head');
    const r = await runShell(
      '"$NODE" "$BIN" --secret-env FAKE_HEAD -- sh -c \'while :; do echo "line $FAKE_HEAD"; done\' | head -1; echo "status=${PIPESTATUS[0]}" >&2',
      { env: { FAKE_HEAD: V }, timeoutMs: 15_000 },
    );
    expect(r.stdout.toString()).toBe('line ***\n');
    expect(r.stderr).toBe('status=141\n');
  });
});

describe('large input', () => {
  it('200 MB through a pipe in bounded memory, every occurrence masked', async () => {
    const V = fakeSecret('big');
    const rssFile = join(mkdtempSync(join(tmpdir(), 'scrub-rss-')), 'rss');
    const preload = fileURLToPath(new URL('./fixtures/report-rss.mjs', import.meta.url));

    // A 1 MiB block of log-like lines with the secret in some of them.
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 1024 * 1024 - 200; i++) {
      const line = i % 97 === 0 ? `${i} INFO token=${V} done\n` : `${i} INFO compiling module ${i % 13} in ${i % 50}ms\n`;
      lines.push(line);
      size += line.length;
    }
    const block = Buffer.from(lines.join(''));
    const expectedBlock = Buffer.from(lines.join('').split(V).join('***'));
    const occurrencesPerBlock = lines.join('').split(V).length - 1;
    const blocks = Math.ceil((200 * 1000 * 1000) / block.length);

    const child = startCli(['--secret-env', 'FAKE_BIG', '--stats'], {
      env: { FAKE_BIG: V, SCRUB_TEST_RSS_FILE: rssFile },
      nodeArgs: ['--import', preload],
    });
    const outHash = createHash('sha256');
    let outBytes = 0;
    let carry = '';
    let leaked = false;
    child.stdout!.on('data', (c: Buffer) => {
      outHash.update(c);
      outBytes += c.length;
      const s = carry + c.toString('latin1');
      if (s.includes(V)) leaked = true;
      carry = s.slice(-V.length);
    });
    const result = collect(child, 120_000);
    const stdin = child.stdin!;
    stdin.on('error', () => {}); // reported by collect() if the command dies
    for (let k = 0; k < blocks; k++) {
      if (!stdin.write(block)) await new Promise((r) => stdin.once('drain', r));
    }
    stdin.end();
    const r = await result;

    expect(r.code).toBe(0);
    expect(leaked).toBe(false);
    expect(outBytes).toBe(expectedBlock.length * blocks);
    const expectedHash = createHash('sha256');
    for (let k = 0; k < blocks; k++) expectedHash.update(expectedBlock);
    expect(outHash.digest('hex')).toBe(expectedHash.digest('hex'));
    expect(r.stderr).toContain(`scrub-filter: stats: env:FAKE_BIG: ${occurrencesPerBlock * blocks} masked`);
    expectNoSecrets(r.stderr, [V]);

    const maxRssKiB = Number(readFileSync(rssFile, 'utf8'));
    expect(maxRssKiB).toBeGreaterThan(0);
    expect(maxRssKiB / 1024, 'peak RSS in MiB').toBeLessThan(200);
  }, 150_000);
});
