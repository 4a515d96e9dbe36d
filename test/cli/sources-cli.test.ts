/**
 * Issue 10, "sources", through the built command: BOMs, dotenv, JSON,
 * helper formats, exclusions, exact environment bytes, bounded reads, the
 * helper's stderr scrubbed, and a helper that leaves a background process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoSecrets, fakeSecret, gone, ourLines, requireBuilt, runCli, runShell } from './helpers.js';

beforeAll(() => requireBuilt());
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), 'scrub-sources-cli-'));

describe('byte-order marks', () => {
  it("the issue's reproduction: a UTF-8 BOM and CRLF around the token", async () => {
    const r = await runShell(`printf '\\xef\\xbb\\xbftok-123456789\\r\\n' > t.txt; echo "x tok-123456789" | "$NODE" "$BIN" --secret-file t.txt`, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('x ***\n');
  });

  it('UTF-16LE with a BOM (PowerShell) is decoded; broken UTF-16 is refused clearly (exit 2)', async () => {
    const V = fakeSecret('utf16');
    const p = join(dir, 'ps.txt');
    writeFileSync(p, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${V}\r\n`, 'utf16le')]));
    const r = await runCli(['--secret-file', p], { input: `got ${V}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('got ***\n');
    const bad = join(dir, 'bad16.txt');
    writeFileSync(bad, Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]));
    const b = await runCli(['--secret-file', bad], { input: 'x\n' });
    expect(b.code).toBe(2);
    expect(b.stdout.length).toBe(0);
    expect(ourLines(b.stderr)).toEqual([`scrub-filter: file:${bad}: UTF-16LE (byte-order mark) with an odd number of bytes: not valid UTF-16`]);
  });
});

describe('multi-secret sources', () => {
  it('--secret-env-file: each value is masked on its own, named env-file:PATH:KEY', async () => {
    const A = fakeSecret('dbpass');
    const B = fakeSecret('api');
    const p = join(dir, 'ci.env');
    writeFileSync(p, `# comment\nDB_PASS=${A}\nexport API_KEY="${B}"\nEMPTY=\n`);
    const r = await runCli(['--secret-env-file', p, '--stats'], { input: `${A}\n${B}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('***\n***\n');
    expect(ourLines(r.stderr).sort()).toEqual([
      'scrub-filter: stats: 2 secret names, 2 masked',
      `scrub-filter: stats: env-file:${p}:API_KEY: 1 masked`,
      `scrub-filter: stats: env-file:${p}:DB_PASS: 1 masked`,
      `scrub-filter: warning: env-file:${p}:EMPTY: empty`,
    ]);
    expectNoSecrets(r.stderr, [A, B]);
    // For contrast, what the issue saw: --secret-file takes whole lines, so a value alone is not masked.
    const old = await runCli(['--secret-file', p], { input: `${A}\n` });
    expect(old.stdout.toString()).toBe(`${A}\n`);
  });

  it('--secret-env-file: a malformed line is exit 2 (parseEnv would glue it to the next key)', async () => {
    const p = join(dir, 'bad.env');
    writeFileSync(p, `oops no equals\nKEY=${fakeSecret()}\n`);
    const r = await runCli(['--secret-env-file', p], { input: 'x\n' });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toContain(`env-file:${p}: a line is not KEY=value`);
  });

  it('--secret-json: every string value, recursively, named by JSON path', async () => {
    const P = fakeSecret('pw');
    const K = fakeSecret('key');
    const p = join(dir, 'vault.json');
    writeFileSync(p, JSON.stringify({ data: { data: { password: P, port: 5432 } }, fields: [{ id: 'x-id-not-secret-1', value: K }] }));
    const r = await runCli(['--secret-json', p, '--stats'], { input: `pw=${P} key=${K} port=5432\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('pw=*** key=*** port=5432\n');
    expect(ourLines(r.stderr)).toContain(`scrub-filter: stats: json:${p}:$.data.data.password: 1 masked`);
    expect(ourLines(r.stderr)).toContain(`scrub-filter: stats: json:${p}:$.fields[0].value: 1 masked`);
    expectNoSecrets(r.stderr, [P, K]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, `{"password": "${P}"`);
    const b = await runCli(['--secret-json', bad], { input: 'x\n' });
    expect(b.code).toBe(2);
    expect(b.stdout.length).toBe(0);
    expect(b.stderr).toMatch(new RegExp(`json:${bad}: not valid JSON`));
    expectNoSecrets(b.stderr, [P]);
  });

  it('--secret-cmd-format raw | lines | dotenv | json', async () => {
    const [A, B] = [fakeSecret('a'), fakeSecret('b')];
    const env = { FAKE_A: A, FAKE_B: B };
    const input = `${A} ${B}\n`;
    const lines = await runCli(['--secret-cmd-format', 'lines', '--secret-cmd', 'printf "%s\\n%s\\n" "$FAKE_A" "$FAKE_B"'], { env, input });
    expect(lines.stdout.toString()).toBe('*** ***\n');
    const dotenv = await runCli(['--secret-cmd-format', 'dotenv', '--secret-cmd', 'printf "A=%s\\nB=%s\\n" "$FAKE_A" "$FAKE_B"'], { env, input });
    expect(dotenv.stdout.toString()).toBe('*** ***\n');
    const json = await runCli(['--secret-cmd-format', 'json', '--secret-cmd', 'printf \'{"a":"%s","b":["%s"]}\' "$FAKE_A" "$FAKE_B"', '--stats'], { env, input });
    expect(json.stdout.toString()).toBe('*** ***\n');
    expect(ourLines(json.stderr)).toContain(`scrub-filter: stats: cmd:printf '{"a":"%s","b":["%s"]}' "$FAKE_A" "$FAKE_B":$.b[0]: 1 masked`);
    // raw (the default): the whole output is one secret, so (exact bytes only) the lines alone are not masked
    const raw = await runCli(['--no-variants', '--secret-cmd', 'printf "%s\\n%s\\n" "$FAKE_A" "$FAKE_B"'], { env, input });
    expect(raw.stdout.toString()).toBe(input);
  });
});

describe('selection', () => {
  it("--exclude-env: 'AWS_*' without AWS_REGION and AWS_CA_BUNDLE (the --help example no longer over-masks)", async () => {
    const K = fakeSecret('aws');
    const env = { AWS_SECRET_ACCESS_KEY: K, AWS_REGION: 'us-east-1', AWS_CA_BUNDLE: '/etc/ssl/certs/ca.pem' };
    const input = `region us-east-1 bundle /etc/ssl/certs/ca.pem key ${K}\n`;
    const over = await runCli(['--secret-env', 'AWS_*'], { env, input });
    expect(over.stdout.toString()).toBe('region *** bundle *** key ***\n');
    const r = await runCli(['--secret-env', 'AWS_*', '--exclude-env', 'AWS_REGION', '--exclude-env', 'AWS_CA_*'], { env, input });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('region us-east-1 bundle /etc/ssl/certs/ca.pem key ***\n');
  });

  it("'*_TOKEN' patterns; a variable both named and excluded is exit 2", async () => {
    const T = fakeSecret('t');
    const r = await runCli(['--secret-env', '*_FAKETOKEN'], { env: { GH_FAKETOKEN: T }, input: `${T}\n` });
    expect(r.stdout.toString()).toBe('***\n');
    const c = await runCli(['--secret-env', 'GH_FAKETOKEN', '--exclude-env', 'GH_*'], { env: { GH_FAKETOKEN: T }, input: `${T}\n` });
    expect(c.code).toBe(2);
    expect(c.stdout.length).toBe(0);
    expect(c.stderr).toContain('env:GH_FAKETOKEN: both selected (--secret-env) and excluded (--exclude-env)');
  });

  it('a value that is not valid UTF-8 is masked by its exact bytes (from /proc/self/environ)', async () => {
    // bash holds the raw bytes; Node's process.env would have turned \xff\xfe into U+FFFD.
    const r = await runShell(
      `export FAKE_RAW=$'fake\\xff\\xfe-raw-secret-42'; printf 'x fake\\xff\\xfe-raw-secret-42 y\\n' | "$NODE" "$BIN" --no-variants --secret-env FAKE_RAW`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout.toString('latin1')).toBe('x *** y\n');
  });
});

describe('bounded reads', () => {
  it('1 MiB is accepted, 1 MiB + 1 byte is exit 2', async () => {
    const ok = join(dir, 'exact');
    writeFileSync(ok, Buffer.alloc(1024 * 1024, 0x61));
    const a = await runCli(['--secret-file', ok, '--no-variants'], { input: 'x\n' });
    expect(a.code).toBe(0);
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x61));
    const b = await runCli(['--secret-file', big], { input: 'x\n' });
    expect(b.code).toBe(2);
    expect(b.stdout.length).toBe(0);
    expect(ourLines(b.stderr)).toEqual([`scrub-filter: file:${big}: larger than 1048576 bytes`]);
  });

  it('--secret-file /dev/zero: a clear exit 2, not gigabytes of memory', async () => {
    const r = await runCli(['--secret-file', '/dev/zero'], { input: 'x\n', timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual(['scrub-filter: file:/dev/zero: larger than 1048576 bytes']);
  });

  it('a FIFO without a writer: exit 2 within the source timeout, not a hang', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await runCli(['--secret-file', fifo, '--source-timeout', '1'], { input: 'x\n', timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(ourLines(r.stderr)).toEqual([`scrub-filter: file:${fifo}: nothing to read within 1 s (a FIFO without a writer?)`]);
  });

  it('process substitution (a pipe with a writer) works', async () => {
    const r = await runShell(`printf 'x fake-procsub-9876\\n' | "$NODE" "$BIN" --secret-file <(sleep 0.3; printf fake-procsub-9876)`);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('x ***\n');
  });
});

describe("the helper's stderr is scrubbed", () => {
  it("the issue's reproduction: set -x in the helper does not print the token", async () => {
    const r = await runCli(['--secret-cmd', 'set -x; T=$(printf tok-123456789); printf %s "$T"', '--', 'true']);
    expect(r.code).toBe(0);
    expectNoSecrets(r.stderr, ['tok-123456789']);
    expect(r.stderr).toContain('T=***');
  });

  it('with the secrets known so far, and a failing helper with its own partial output', async () => {
    const E = fakeSecret('earlier');
    const P = fakeSecret('partial');
    const r = await runCli(['--secret-env', 'FAKE_E', '--secret-cmd', 'echo "saw $FAKE_E" >&2; printf %s "$FAKE_P"; echo "made $FAKE_P" >&2; exit 4'], {
      env: { FAKE_E: E, FAKE_P: P },
      input: 'x\n',
    });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expectNoSecrets(r.stderr, [E, P]);
    expect(r.stderr).toContain('saw ***\nmade ***\n');
    expect(ourLines(r.stderr).at(-1)).toMatch(/exited with status 4$/);
  });
});

describe('a helper that leaves a background process', () => {
  it("--secret-cmd 'sleep 7 & echo TOKEN': no false timeout, and sleep is not left running", async () => {
    const T = fakeSecret('bg');
    const unique = `7.${process.pid}${Date.now() % 1000}`;
    // If we waited for sleep (7 s), the 5 s source timeout would fail the run.
    const r = await runCli(['--source-timeout', '5', '--secret-cmd', `sleep ${unique} & echo "$FAKE_BG"`, '--', 'sh', '-c', 'echo "got $FAKE_BG"'], {
      env: { FAKE_BG: T },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('got ***\n');
    expect(await gone(`sleep ${unique}`)).toEqual([]);
  });
});
