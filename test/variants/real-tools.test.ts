/**
 * Secrets rendered by real tools, scrubbed through the library.
 *
 * Keys are generated at test time into a temp dir (openssl, ssh-keygen) and
 * never committed. Each rendering of the issue is produced by the real tool
 * (sed, head, jq, base64, bash printf %q, curl -v against a local server…)
 * between canary words. The scrubbed output (one-shot, and through
 * `scrubber.stream()` with random chunking) must keep the canaries and show
 * no key material: no key line, no 16-byte run of a key line, and none of
 * the patterns expandSecret registers for the key.
 *
 * A missing tool FAILS these tests (with the Debian package to install): a
 * CI image without jq must not silently stop testing the JSON rendering.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/index.js';
import type { Scrubber } from '../../src/api/types.js';
import { expandSecret, resolveVariants } from '../../src/variants/index.js';
import { decodeView } from '../helpers/lanes-reference.js';
import { latin1 } from './helpers.js';

/** Tool → Debian package that provides it. */
const TOOLS: Readonly<Record<string, string>> = {
  bash: 'bash',
  sh: 'dash',
  openssl: 'openssl',
  'ssh-keygen': 'openssh-client',
  jq: 'jq',
  curl: 'curl',
  base64: 'coreutils',
  head: 'coreutils',
  cat: 'coreutils',
  sed: 'sed',
  grep: 'grep',
};

interface Rendering {
  name: string;
  /** bash script; $F is the secret's file, $S its value, $URL the local HTTP server. */
  script: string;
  /** The output is line-wrapped base64: the engine must join the lines (variant base64-wrapped). */
  wrappedBase64?: boolean;
}

const RENDERINGS: readonly Rendering[] = [
  { name: 'printed as is (LF)', script: 'cat "$F"' },
  { name: 'CRLF', script: `sed 's/$/\\r/' "$F"` },
  { name: 'CR CR LF', script: `sed 's/$/\\r\\r/' "$F"` },
  { name: 'without final newline', script: 'printf %s "$(cat "$F")"' },
  { name: 'indented with spaces', script: `sed 's/^/    /' "$F"` },
  { name: 'indented with tabs', script: `sed 's/^/\\t\\t/' "$F"` },
  { name: 'indented with spaces, CRLF', script: `sed 's/^/  /; s/$/\\r/' "$F"` },
  { name: 'joined on one line (echo $(cat key))', script: `sh -c 'set -f; echo $(cat "$F")'` },
  { name: 'head -3', script: 'head -3 "$F"' },
  { name: 'one line at a time', script: 'while IFS= read -r line; do printf "line: %s\\n" "$line"; done < "$F"' },
  { name: 'jq -Rs .', script: 'jq -Rs . "$F"' },
  { name: 'base64 (wrapped at 76)', script: 'base64 "$F"', wrappedBase64: true },
  { name: 'base64 -w0', script: 'base64 -w0 "$F"' },
  { name: 'echo $S | base64 -w0', script: 'echo $S | base64 -w0' },
  { name: 'echo $S | base64 (wrapped)', script: 'echo $S | base64', wrappedBase64: true },
  { name: 'echo "$S" | base64 -w64 (PEM-style)', script: 'echo "$S" | base64 -w64', wrappedBase64: true },
  { name: 'printf %q (bash)', script: `printf '%q\\n' "$S"` },
  { name: 'bash -x trace (set -x)', script: `bash -x -c ': "$S"' 2>&1` },
  { name: 'curl -v -u user:$S (Authorization: Basic)', script: 'curl -sS -v --noproxy "*" -u "user:$S" "$URL" 2>&1 >/dev/null | grep -i "^> Authorization"' },
  { name: 'percent-encoded (jq @uri)', script: `jq -rn --arg s "$S" '$s|@uri'` },
  { name: 'JSON (jq --arg)', script: `jq -n --arg s "$S" '{s:$s}'` },
  { name: 'JSON, compact (jq -c --arg)', script: `jq -cn --arg s "$S" '{s:$s}'` },
];

const ARMOR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;
const WINDOW = 16;

let dir: string;
let server: Server;
let url: string;

function run(script: string, env: Record<string, string> = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // set -f: the unquoted $S of `echo $S` must not glob-expand in the temp dir.
    execFile(
      'bash',
      ['-c', 'set -f -o pipefail; ' + script],
      { cwd: dir, env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${script} failed: ${error.message}\n${stderr.toString()}`));
        else resolve(stdout);
      },
    );
  });
}

async function missingTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of Object.keys(TOOLS)) {
    try {
      await run(`command -v ${tool} >/dev/null`);
    } catch {
      missing.push(tool);
    }
  }
  return missing;
}

/** A named secret file in the temp dir. */
interface SecretFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

async function generateSecrets(): Promise<SecretFile[]> {
  const keygen: Array<[string, string]> = [
    ['rsa-2048.pem (openssl genpkey, PKCS#8)', 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-2048.pem 2>/dev/null'],
    ['rsa-traditional.pem (openssl pkey -traditional)', 'openssl pkey -in rsa-2048.pem -traditional -out rsa-traditional.pem'],
    ['ec-p256.pem (openssl genpkey)', 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.pem'],
    ['id_ed25519 (ssh-keygen)', "ssh-keygen -q -t ed25519 -N '' -C '' -f id_ed25519"],
    ['id_rsa (ssh-keygen)', "ssh-keygen -q -t rsa -b 2048 -N '' -C '' -f id_rsa"],
  ];
  const files: SecretFile[] = [];
  for (const [name, command] of keygen) {
    await run(command);
    const path = join(dir, name.split(' ')[0]);
    files.push({ name, path, bytes: readFileSync(path) });
  }
  // Single-line secrets too: an API token, and a password full of characters every encoder treats differently.
  const token = 'tok_' + randomBytes(30).toString('base64url').replace(/[-_]/g, 'Q');
  const punctuation = `"'$\`\\/+&%!*()~#:@=?;<>|{}[],^`;
  let password = 'pw';
  while (password.length < 28) {
    const next = randomInt(4) === 0 ? punctuation[randomInt(punctuation.length)] : randomBytes(1).toString('hex')[0];
    // dash's echo (sh on Debian, `echo $(cat key)`) rewrites \\, \c, \n, \0nn…: the printed text is then
    // no longer the secret, so a backslash is always followed by a character it leaves alone.
    password += next === '\\' ? '\\' + '"$/+x'[randomInt(5)] : next;
    if (randomInt(10) === 0) password += ' x'; // single spaces (`echo $S` would collapse runs)
  }
  for (const [name, value] of [
    ['token', token],
    ['password', password],
  ]) {
    const path = join(dir, name);
    writeFileSync(path, value + '\n');
    files.push({ name, path, bytes: Buffer.from(value + '\n') });
  }
  return files;
}

/** Deterministic PRNG for reproducible chunkings (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scrubs through the Node stream, writing 1..maxChunk-byte chunks. */
async function scrubStreamed(scrubber: Scrubber, input: Uint8Array, seed: number, maxChunk: number): Promise<Buffer> {
  const random = prng(seed);
  const stream = scrubber.stream();
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (let at = 0; at < input.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    stream.write(Buffer.from(input.subarray(at, at + size)));
    at += size;
  }
  stream.end();
  await done;
  return Buffer.concat(out);
}

/** Everything in `scrubbed` that still shows material of the secret, as messages. */
/** The text as the percent and entity lanes see it (so an encoded rendering counts as visible material). */
function decodedViews(text: string): string[] {
  const bytes = Buffer.from(text, 'latin1');
  return (['percent', 'percent-plus', 'entities'] as const).map((lane) => Buffer.from(decodeView(bytes, lane).bytes).toString('latin1'));
}

function leaks(scrubbed: string, keyLines: readonly string[], patterns: readonly string[]): string[] {
  return [scrubbed, ...decodedViews(scrubbed)].flatMap((view) => leaksIn(view, keyLines, patterns));
}

function leaksIn(scrubbed: string, keyLines: readonly string[], patterns: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of keyLines) {
    if (scrubbed.includes(line)) found.push(`key line visible: ${line.slice(0, 24)}…`);
    else
      for (let i = 0; i + WINDOW <= line.length; i++) {
        if (scrubbed.includes(line.slice(i, i + WINDOW))) {
          found.push(`${WINDOW} bytes of a key line visible: ${line.slice(i, i + WINDOW)}`);
          break;
        }
      }
  }
  for (const pattern of patterns) if (scrubbed.includes(pattern)) found.push(`registered pattern visible: ${JSON.stringify(pattern.slice(0, 40))}`);
  return found;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scrub-variants-'));
  const missing = await missingTools();
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => TOOLS[tool]))].join(' ');
    throw new Error(`real-tools tests need ${missing.join(', ')}: install the Debian packages: apt-get install -y ${packages}`);
  }
  server = createServer((_req, res) => res.end('ok\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 30_000);

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Bytes that never start or complete a well-formed UTF-8 sequence here (continuation bytes, C0, C1,
 * F5-FF): random lead bytes could form characters unassigned in the C library's Unicode tables, which
 * bash prints in octal and the shell variant does not try to predict.
 */
const STRAY_BYTES = [...Array.from({ length: 0x40 }, (_, i) => 0x80 + i), 0xc0, 0xc1, ...Array.from({ length: 11 }, (_, i) => 0xf5 + i)];

/** Random secrets (no NUL, no surrounding whitespace) that exercise every escaping rule. */
function randomSecrets(count: number, { newlines = true, invalidUtf8 = true } = {}): Buffer[] {
  const pieces = [
    ...`"'$\`\\/+&%!*()~#:@=?;<>|{}[],^ -_.`,
    'é',
    '€',
    '😀',
    '\u0085', // C1 control: valid UTF-8, printed in octal by bash
    '\u2028',
    '\u00a0',
    '\t',
    '\x01',
    '\x1b',
    '\x7f',
    ...(newlines ? ['\n', '\r'] : []),
  ];
  return Array.from({ length: count }, () => {
    const parts: Buffer[] = [];
    const length = 1 + randomInt(12);
    for (let i = 0; i < length; i++) {
      const roll = randomInt(10);
      if (roll < 4) parts.push(Buffer.from(randomBytes(3).toString('hex')));
      else if (roll === 9 && invalidUtf8) parts.push(Buffer.from([STRAY_BYTES[randomInt(STRAY_BYTES.length)]]));
      else parts.push(Buffer.from(pieces[randomInt(pieces.length)]));
    }
    const trimmed = latin1(Buffer.concat(parts)).replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
    return Buffer.from(trimmed || 'x', 'latin1');
  });
}

describe('encoders of real tools on random secrets', () => {
  const registered = (secret: Buffer, variant: 'shell' | 'json'): Set<string> =>
    new Set(expandSecret(secret, { variants: resolveVariants([variant]), encodedFloor: 0 }).map(latin1));

  for (const locale of ['C.UTF-8', 'C']) {
    it(`bash printf %q (LC_ALL=${locale}) gives a registered shell form`, async () => {
      const secrets = randomSecrets(300);
      // Secrets travel as \xHH escapes decoded by bash's printf %b: environment variables from Node are
      // UTF-8 strings, not bytes, and `read -d ''` mangles a record ending in a stray UTF-8 lead byte.
      const list = join(dir, `printf-q-${locale}.list`);
      writeFileSync(list, secrets.map((secret) => [...secret].map((b) => '\\x' + b.toString(16).padStart(2, '0')).join('')).join('\n') + '\n');
      const script = `while IFS= read -r hex; do printf -v s %b "$hex"; printf '%q\\0' "$s"; done < "$LIST"`;
      const output = await run(script, { LIST: list, LC_ALL: locale });
      const quoted = latin1(output).split('\0').slice(0, -1);
      expect(quoted.length).toBe(secrets.length);
      secrets.forEach((secret, i) => {
        // Strip the $'…' wrapper bash uses for non-printable values.
        const inner = quoted[i].startsWith("$'") ? quoted[i].slice(2, -1) : quoted[i];
        expect(registered(secret, 'shell').has(inner) || inner === latin1(secret), `printf %q of ${JSON.stringify(latin1(secret))} → ${quoted[i]}`).toBe(true);
      });
    });
  }

  it('jq tojson gives a registered json form; jq @uri is masked by the percent lane', async () => {
    const secrets = randomSecrets(300, { newlines: false, invalidUtf8: false });
    const input = join(dir, 'jq-input');
    writeFileSync(input, Buffer.concat(secrets.flatMap((s) => [s, Buffer.from('\n')])));
    const output = latin1(await run(`jq -R -r 'tojson, @uri' "$INPUT"`, { INPUT: input }));
    const lines = output.split('\n');
    secrets.forEach((secret, i) => {
      const json = lines[2 * i].slice(1, -1);
      const uri = lines[2 * i + 1];
      const exact = latin1(secret);
      expect(registered(secret, 'json').has(json) || json === exact, `jq tojson of ${JSON.stringify(exact)} → ${json}`).toBe(true);
      const percentOnly = createScrubber({ secrets: [secret], variants: ['percent'], minLength: 1 });
      // LF delimits (these secrets have none).
      expect(percentOnly.scrub(Buffer.from(`\n${uri}\n`, 'latin1')).toString(), `jq @uri of ${JSON.stringify(exact)} → ${uri}`).toBe('\n***\n');
    });
  });
});

describe('secrets rendered by real tools', () => {
  let secrets: SecretFile[];
  beforeAll(async () => {
    secrets = await generateSecrets();
  }, 120_000);

  const SECRET_NAMES = [
    'rsa-2048.pem (openssl genpkey, PKCS#8)',
    'rsa-traditional.pem (openssl pkey -traditional)',
    'ec-p256.pem (openssl genpkey)',
    'id_ed25519 (ssh-keygen)',
    'id_rsa (ssh-keygen)',
    'token',
    'password',
  ];

  describe.each(SECRET_NAMES)('%s', (secretName) => {
    let secret: SecretFile;
    let scrubber: Scrubber;
    let keyLines: string[];
    let patterns: string[];
    /** Every 8 characters of the base64 cores of every key line. */
    let encodedLineGrams: string[];

    beforeAll(() => {
      const found = secrets.find((s) => s.name === secretName);
      if (!found) throw new Error(`secret ${secretName} was not generated`);
      secret = found;
      // Known-secret masking only: a truncated key (head -3) is masked by the private-key detector up to its 16 KiB cap, canary included.
      scrubber = createScrubber({ secrets: [{ value: secret.bytes, name: 'file:key.pem' }], detect: false });
      keyLines = latin1(secret.bytes)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length >= 8 && !ARMOR.test(line));
      patterns = expandSecret(secret.bytes, { variants: resolveVariants(true) }).map(latin1);
      const base64Only = { variants: resolveVariants(['base64']) };
      encodedLineGrams = keyLines
        .flatMap((line) => expandSecret(Buffer.from(line, 'latin1'), base64Only).slice(1).map(latin1))
        .flatMap((core) => Array.from({ length: core.length - 7 }, (_, i) => core.slice(i, i + 8)));
    });

    it.each(RENDERINGS)('$name', async (rendering) => {
      const before = `before-canary-${randomInt(1e9)}`;
      const after = `after-canary-${randomInt(1e9)}`;
      const rendered = await run(rendering.script, { F: secret.path, S: latin1(secret.bytes), URL: url });
      expect(rendered.length, 'the tool produced output').toBeGreaterThan(0);
      const raw = Buffer.concat([Buffer.from(`${before} `), rendered, Buffer.from(` ${after}\n`)]);

      // The rendering really shows the secret (else the test proves nothing).
      const rawText = latin1(raw);
      const visibleBefore = rendering.wrappedBase64 ? rawText.replace(/\n/g, '') : rawText;
      expect(leaks(visibleBefore, keyLines, patterns).length, 'unscrubbed rendering contains secret material').toBeGreaterThan(0);

      const scrubbed = Buffer.from(scrubber.scrub(raw));
      const text = latin1(scrubbed);
      expect(text.startsWith(`${before} `), `canary before intact in:\n${text.slice(0, 200)}`).toBe(true);
      expect(text.endsWith(` ${after}\n`), `canary after intact in:\n${text.slice(-200)}`).toBe(true);
      expect(leaks(text, keyLines, patterns), `scrubbed output:\n${text.slice(0, 600)}`).toEqual([]);
      if (rendering.wrappedBase64) {
        // No run of 8+ characters of the encoded secret may survive, whichever column the wrap fell on.
        const joined = text.replace(/\n/g, '');
        // (of the key lines: base64 of the public armor may stay)
        const survivors = encodedLineGrams.filter((gram) => joined.includes(gram));
        expect(survivors.slice(0, 5), `wrapped base64 not masked:\n${text.slice(0, 600)}`).toEqual([]);
      }

      for (const [seed, maxChunk] of [
        [1, 1],
        [2, 7],
        [3, 64],
        [randomInt(1e9), 1 + randomInt(300)],
      ]) {
        const streamed = await scrubStreamed(scrubber, raw, seed, maxChunk);
        expect(latin1(streamed), `stream (seed ${seed}, chunks of 1..${maxChunk} bytes) differs from one-shot`).toBe(text);
      }
    }, 30_000);
  });
});
