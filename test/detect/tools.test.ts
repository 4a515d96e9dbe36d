/**
 * Credentials as real tools print them (curl -v, git remote -v, npm config),
 * and a corpus of real secret-free output from the machine's tools: zero
 * detections there.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latin1Bytes, runLane } from '../helpers/detect-harness.js';
import { generateKeys, type KeySet } from '../helpers/detect-keys.js';
import { checksummed, seeded } from '../helpers/detect-tokens.js';
import { splitAt } from '../helpers/chunking.js';

const run = promisify(execFile);
const rand = seeded(99);
let dir: string;
let keys: KeySet;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scrub-detect-tools-'));
  keys = generateKeys();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  keys?.cleanup();
});

function scrubBoth(text: string): { out: string; registered: Array<[string, string]> } {
  const bytes = latin1Bytes(text);
  const one = runLane([bytes]);
  const cut = runLane(splitAt(bytes, Array.from({ length: 12 }, (_, i) => Math.floor((bytes.length * (i + 1)) / 13))));
  expect(cut.output.toString('latin1')).toBe(one.output.toString('latin1'));
  return { out: one.output.toString('latin1'), registered: one.registered };
}

describe('credentials as tools print them', () => {
  it('git remote -v', () => {
    const repo = join(dir, 'repo');
    execFileSync('git', ['init', '-q', repo]);
    const pat = checksummed(rand, 'ghp_');
    execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', 'https://ci-bot:FAKE-Passw0rd-123@git.example.invalid/o/r.git']);
    execFileSync('git', ['-C', repo, 'remote', 'add', 'gh', `https://x-access-token:${pat}@github.com/o/r.git`]);
    const text = execFileSync('git', ['-C', repo, 'remote', '-v'], { encoding: 'latin1' });
    expect(text).toContain('FAKE-Passw0rd-123');
    const { out, registered } = scrubBoth(text);
    expect(out).not.toContain('FAKE-Passw0rd-123');
    expect(out).not.toContain(pat.slice(4));
    expect(out).toContain('https://ci-bot:***@git.example.invalid/o/r.git (fetch)');
    expect(out).toContain('https://x-access-token:***@github.com/o/r.git (push)');
    expect(registered).toContainEqual(['url-password', 'FAKE-Passw0rd-123']);
    expect(registered).toContainEqual(['github', pat.slice(4)]);
  });

  it('npm config list masks its own secrets (nothing left to do); the .npmrc it reads, printed by `cat`, is masked', async () => {
    const rc = join(dir, 'npmrc');
    const npmTok = checksummed(rand, 'npm_');
    writeFileSync(rc, `registry=https://ci-user:FAKEpass123@registry.example.invalid/\n//registry.example.invalid/:_authToken=${npmTok}\n`);
    const env = { ...process.env, npm_config_userconfig: rc, NPM_CONFIG_USERCONFIG: rc };
    const list = (await run('npm', ['config', 'list'], { env, cwd: dir })).stdout;
    const cat = (await run('cat', [rc])).stdout;
    const listed = scrubBoth(list);
    expect(listed.out).toBe(list); // npm printed "***" and "(protected)" itself: nothing left to mask
    expect(listed.registered).toEqual([]);
    expect(list).toContain('registry = "https://ci-user:***@registry.example.invalid/"');
    expect(scrubBoth(cat).out).toBe('registry=https://ci-user:***@registry.example.invalid/\n//registry.example.invalid/:_authToken=npm_***\n');
  });

  it('curl -v: Basic auth from URL userinfo, a Bearer header, a token in the query', async () => {
    const server = createServer((_, res) => res.end('ok\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const a = await run('curl', ['-sv', `http://ci-user:FAKE-curl-pass@127.0.0.1:${port}/api/v4/projects?private_token=FAKEprivTok123&per_page=2`]);
      const b = await run('curl', ['-sv', '-H', 'Authorization: Bearer FAKE.bearer-token_0123', `http://127.0.0.1:${port}/x?access_token=FAKEaccess99`]);
      const text = a.stderr + b.stderr;
      const basic = Buffer.from('ci-user:FAKE-curl-pass').toString('base64');
      expect(text).toContain(basic);
      const { out } = scrubBoth(text);
      for (const s of [basic, 'FAKEprivTok123', 'FAKE.bearer-token_0123', 'FAKEaccess99']) expect(out).not.toContain(s);
      expect(out).toContain('> Authorization: Basic ***');
      expect(out).toContain('> Authorization: Bearer ***');
      expect(out).toContain('?private_token=***&per_page=2');
    } finally {
      server.close();
    }
  });
});

/** Minified files of this repo's devDependency tree that the corpus must include (a missing one fails the test). */
const REQUIRED_MINIFIED = [
  'node_modules/async/dist/async.min.js', // winston -> async
  'node_modules/wabt/index.js', // wabt (emscripten output: one 690 KB line of code and base64 wasm)
  'node_modules/es-module-lexer/dist/lexer.cjs', // vitest -> es-module-lexer
];

interface Source {
  text: string;
  /** Why a tool produced nothing (its exit status and stderr), for the failure message. */
  failure?: string;
}

/** Real `npm install --package-lock-only` and `npm ci` output for a package without dependencies (offline, no network). */
function npmCiOutput(): Source {
  const proj = mkdtempSync(join(dir, 'fp-corpus-'));
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'fp-corpus', version: '1.0.0' }) + '\n');
  let text = '';
  for (const args of [
    ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'],
    ['ci', '--offline', '--no-audit', '--no-fund'],
    ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=verbose'],
  ]) {
    const r = spawnSync('npm', args, { cwd: proj, encoding: 'latin1', timeout: 60_000 });
    if (r.status !== 0) return { text: '', failure: `npm ${args.join(' ')}: exit ${r.status} ${r.error ?? ''} ${r.stderr}` };
    text += r.stdout + r.stderr;
  }
  if (!existsSync(join(proj, 'package-lock.json'))) return { text: '', failure: 'npm wrote no package-lock.json' };
  return { text };
}

/** Secret-free output produced here and now by the machine's tools. */
function corpus(): Record<string, Source> {
  const sh = (cmd: string, args: string[], cwd = process.cwd()): Source => {
    try {
      return { text: execFileSync(cmd, args, { encoding: 'latin1', cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }) };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; status?: number; message?: string };
      return { text: String(err.stdout ?? ''), failure: `${cmd} ${args.join(' ')}: exit ${err.status} ${err.stderr ?? err.message}` };
    }
  };
  const text = (t: string): Source => ({ text: t });
  const hex = Array.from({ length: 2000 }, (_, i) => createHash(i % 2 ? 'sha256' : 'sha1').update(String(i)).digest('hex')).join('\n');
  const uuids = Array.from({ length: 2000 }, () => randomUUID()).join(' ');
  const b64 = randomBytes(96 * 1024).toString('base64');
  const b64url = randomBytes(32 * 1024).toString('base64url');
  const wrapped = b64.replace(/(.{76})/g, '$1\n');
  const minified: string[] = [];
  const walk = (d: string, depth: number) => {
    if (minified.length >= 12 || depth > 6) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (/\.min\.js$|\.mjs$/.test(name) && st.size > 20_000 && st.size < 2_000_000 && minified.length < 12) minified.push(p);
    }
  };
  walk(join(process.cwd(), 'node_modules'), 0);
  const files: Record<string, Source> = {};
  for (const p of minified) files[`minified ${p.slice(p.indexOf('node_modules'))}`] = text(readFileSync(p, 'latin1'));
  for (const rel of REQUIRED_MINIFIED) {
    const p = join(process.cwd(), rel);
    files[`minified ${rel}`] = existsSync(p) ? text(readFileSync(p, 'latin1')) : { text: '', failure: `${rel} not found (is the devDependency tree installed?)` };
  }
  return {
    'npm ls --all': sh('npm', ['ls', '--all']),
    'npm pack --dry-run': sh('npm', ['pack', '--dry-run', '--ignore-scripts'], process.cwd()),
    'npm install --package-lock-only + npm ci (offline)': npmCiOutput(),
    'git log --stat': sh('git', ['log', '--stat', '-n', '300']),
    'openssl x509 -text': text(keys.publicMaterial['openssl x509 -text']),
    'PEM public key + certificate': text(keys.publicMaterial['PEM public key'] + keys.publicMaterial.certificate),
    'ssh public keys': text(keys.publicMaterial['ssh-ed25519 public key'] + keys.publicMaterial['ssh-rsa public key']),
    'PGP public key block': text(keys.publicMaterial['PGP public key block']),
    'sha1/sha256 hex': text(hex),
    UUIDs: text(uuids),
    'base64 of random data': text(b64 + '\n' + wrapped + '\n' + b64url),
    'ls -la /usr/bin': sh('ls', ['-la', '/usr/bin']),
    'openssl help': sh('openssl', ['list', '-digest-algorithms']),
    ...files,
  };
}

describe('false positives', () => {
  it('zero detections in real secret-free output', () => {
    const found: string[] = [];
    let total = 0;
    const sources = Object.entries(corpus());
    for (const [name, { text, failure }] of sources) {
      expect(text.length, `corpus source "${name}" produced no output${failure ? `: ${failure}` : ''}`).toBeGreaterThan(0);
      total += text.length;
      const r = runLane([latin1Bytes(text)]);
      for (const [s, e, d] of r.covers) found.push(`${name}: ${d} ${JSON.stringify(text.slice(Math.max(0, s - 30), e + 10))}`);
    }
    expect(total).toBeGreaterThan(1_000_000);
    // Truly minified: lines of thousands of bytes on average (the .mjs bundles the walk finds are not).
    const minifiedSources = sources.filter(([name, { text }]) => name.startsWith('minified ') && text.length / text.split('\n').length > 4000);
    expect(minifiedSources.map(([name]) => name), 'truly minified files in the corpus').toEqual(expect.arrayContaining(REQUIRED_MINIFIED.map((r) => `minified ${r}`)));
    expect(found).toEqual([]);
  }, 120_000);
});
