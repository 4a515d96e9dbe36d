/**
 * Regressions of the lanes issue, each the exact case that leaked or lost
 * bytes before the Lane model, plus the renderings the lanes add.
 * Keys are generated at test time (no key material is committed).
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import { createScrubber } from '../src/index.js';
import { concat, splitAt } from './helpers/chunking.js';

const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Every `n` consecutive characters of the key's base64 body lines (joined), for leak checks. */
function windows(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= text.length; i++) out.push(text.slice(i, i + n));
  return out;
}

function wrap(text: string, width: number, eol = '\n', prefix = ''): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join(eol + prefix);
}

/** No 12 characters of `encoded` survive in `out`, even with line breaks and prefixes removed. */
function expectNoEncodedWindow(out: string, encoded: string, strip: RegExp = /\r?\n[ >]*/g): void {
  const joined = out.replace(strip, '');
  const leaked = windows(encoded, 12).filter((w) => joined.includes(w));
  expect(leaked.slice(0, 3)).toEqual([]);
}

const tmp = mkdtempSync(join(tmpdir(), 'scrub-lanes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lanes issue, item 1: add()/compact() while a stream is inside a wrapped-base64 block', () => {
  it('an unrelated add every few lines leaks nothing of the key (line-at-a-time writes)', () => {
    const key = pem();
    const encoded = Buffer.from(key).toString('base64');
    const scrubber = createScrubber({ secrets: [{ value: key, name: 'file:key.pem' }] });
    const session = scrubber.session();
    const lines = wrap(encoded, 76).split('\n');
    const out: Uint8Array[] = [];
    lines.forEach((line, i) => {
      out.push(session.write(Buffer.from(line + '\n')));
      if (i % 8 === 7) scrubber.add(`unrelated-${i}-1234567`);
      if (i % 13 === 12) scrubber.compact();
    });
    out.push(session.end());
    expectNoEncodedWindow(Buffer.from(concat(out)).toString('latin1'), encoded);
  });
});

describe('lanes issue, item 2: wrapped base64 that began before its add()', () => {
  it('is masked from the first unemitted byte: every later line is masked', () => {
    const key = pem();
    const encoded = Buffer.from(key).toString('base64');
    const lines = wrap(encoded, 76).split('\n');
    const scrubber = createScrubber({ secrets: [] });
    const session = scrubber.session();
    const out: Uint8Array[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (i === 5) scrubber.add(key, { name: 'vault:key' });
      const emitted = session.write(Buffer.from(lines[i] + '\n'));
      out.push(emitted);
      if (i >= 5) expect(Buffer.from(emitted).toString('latin1')).not.toContain(lines[i].slice(0, 24));
    }
    out.push(session.end());
    // What came out after the add holds no 12 characters of the encoded key.
    const text = Buffer.from(concat(out)).toString('latin1');
    const afterAdd = text.slice(text.indexOf(lines[4]) + lines[4].length);
    expectNoEncodedWindow(afterAdd, encoded.slice(5 * 76 + 64));
  });
});

describe('lanes issue, item 3: tail after an add', () => {
  const exact = (historyBytes?: number) =>
    new ScrubberEngine({ mask: Buffer.from('***'), minLength: 1, expand: (s) => [trimBytes(s)], historyBytes });

  it('a 4,096-byte secret with 1,500 bytes emitted before its add(): the remainder is masked', () => {
    const secret = randomBytes(2048).toString('hex');
    const e = exact();
    const s = e.session();
    const first = s.write(Buffer.from('log ' + secret.slice(0, 1500)));
    e.add(secret);
    const rest = Buffer.from(concat([s.write(Buffer.from(secret.slice(1500) + ' end')), s.end()])).toString();
    expect(Buffer.from(first).toString()).toBe('log ' + secret.slice(0, 1500));
    expect(rest).toBe('*** end');
  });

  it('the bound is exact: an occurrence starting historyBytes back is found, one byte further is not', () => {
    // A secret longer than what the stream kept before its add: only historyBytes of it can be looked back at.
    const secret = 'S'.repeat(10) + randomBytes(1500).toString('hex');
    for (const offset of [0, 1]) {
      const e = exact(1000);
      const s = e.session();
      // Several writes, so the kept tail's length varies between 1000 and 2000 bytes; the rescan reads exactly 1000.
      const before = Buffer.from('x'.repeat(500) + secret.slice(0, 1000 + offset));
      for (const c of splitAt(before, [700, 1200, 1300])) s.write(c);
      e.add(secret);
      const rest = Buffer.from(concat([s.write(Buffer.from(secret.slice(1000 + offset) + '|')), s.end()])).toString();
      expect(rest).toBe(offset === 0 ? '***|' : secret.slice(1001) + '|');
    }
  });
});

describe('lanes issue, item 4: a run of CR bytes after a base64 line', () => {
  const input = Buffer.from('QUJDREVGR0hJSktMTU5PUFFS\nfake-secret-token-0123456789' + '\r'.repeat(1100));
  const expected = 'QUJDREVGR0hJSktMTU5PUFFS\n***' + '\r'.repeat(1100);

  it('loses nothing one-shot', () => {
    const scrubber = createScrubber({ secrets: ['fake-secret-token-0123456789'] });
    expect(Buffer.from(scrubber.scrub(input)).toString('latin1')).toBe(expected);
  });

  it('loses nothing in 64-byte chunks, and holds back nothing of the CR run', () => {
    const scrubber = createScrubber({ secrets: ['fake-secret-token-0123456789'] });
    const s = scrubber.session();
    const cuts = Array.from({ length: Math.floor(input.length / 64) }, (_, i) => (i + 1) * 64);
    const out: Uint8Array[] = [];
    for (const c of splitAt(input, cuts)) {
      out.push(s.write(c));
      expect(s.heldBytes).toBeLessThanOrEqual(64);
    }
    out.push(s.end());
    expect(Buffer.from(concat(out)).toString('latin1')).toBe(expected);
  });
});

describe('renderings the lanes add', () => {
  const password = "p'a s+w&rd<é>%";

  it('percent: encodeURIComponent with lower-case hex, jQuery-style +, Python quote_plus', () => {
    const scrubber = createScrubber({ secrets: [password] });
    const lower = encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()).replace(/'/g, '%27');
    const jquery = encodeURIComponent(password).replace(/%20/g, '+');
    for (const form of [lower, jquery, new URLSearchParams({ p: password }).toString().slice(2)]) {
      expect(scrubber.scrub(`GET /login?user=bob&pass=${form}&x=1`)).toBe('GET /login?user=bob&pass=***&x=1');
    }
  });

  it('entities: XML-escaped (JUnit report), HTML numeric references', () => {
    const scrubber = createScrubber({ secrets: [password] });
    const xml = password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
    const numeric = [...password].map((c) => `&#${c.codePointAt(0)};`).join('');
    expect(scrubber.scrub(`<failure message="${xml}"/>`)).toBe('<failure message="***"/>');
    expect(scrubber.scrub(`<p>${numeric}</p>`)).toBe('<p>***</p>');
  });

  it('entities: a binary secret that starts or ends inside a multi-byte reference (&#228; is C3 A4), in every chunking', () => {
    // The lane skipped an edit when any of its decoded bytes was in no pattern: wrong when a match covers only part of it.
    const cases: Array<[Uint8Array, string, string]> = [
      [Uint8Array.from([0xa4, ...Buffer.from('bcdefghij')]), 'x &#228;bcdefghij y', 'x *** y'],
      [Uint8Array.from([...Buffer.from('bcdefghij'), 0xc3]), 'x bcdefghij&#228; y', 'x *** y'],
    ];
    for (const [secret, text, want] of cases) {
      const scrubber = createScrubber({ secrets: [secret], detect: false, variants: ['entities'] });
      const input = new TextEncoder().encode(text);
      expect(Buffer.from(scrubber.scrub(input)).toString('latin1')).toBe(want);
      for (let cut = 0; cut <= input.length; cut++) {
        const session = scrubber.session();
        const out = Buffer.concat([session.write(input.subarray(0, cut)), session.write(input.subarray(cut)), session.end()]);
        expect(out.toString('latin1')).toBe(want);
      }
    }
  });

  it('wrapped base64 under YAML indentation and > quoting, CRLF', () => {
    const key = pem();
    const encoded = Buffer.from(key).toString('base64');
    const scrubber = createScrubber({ secrets: [key] });
    for (const [prefix, eol] of [
      ['    ', '\n'],
      ['> ', '\r\n'],
    ]) {
      const doc = `data:\n  tls.key: |\n${prefix}${wrap(encoded, 64, eol, prefix)}${eol}other: 1\n`;
      const out = scrubber.scrub(doc);
      expect(out.endsWith(`other: 1\n`)).toBe(true);
      expectNoEncodedWindow(out, encoded);
    }
  });

  it('wrapped base64 split after every position of the secret (the joint pre-filter skips only joints nothing spans)', () => {
    // Secret letters and filler letters are disjoint, so only the secret's own grams straddle a joint.
    const secret = 'QWERTYUIOPASDFGHJKLZ';
    const scrubber = createScrubber({ secrets: [secret], variants: ['base64-wrapped'] });
    for (let k = 1; k < secret.length; k++) {
      const first = 'abcdefghijklmnop0123456789'.slice(0, 26 - k) + secret.slice(0, k);
      const input = `x ${first}\n  ${secret.slice(k)}qrstuvwxyz0123456789\nend\n`;
      const out = scrubber.scrub(input);
      expect(out, `split after ${k}`).toBe(`x ${first.slice(0, 26 - k)}***qrstuvwxyz0123456789\nend\n`);
    }
  });

  it('a base64 line of exactly the minimum width right after a short line (the line-break search skips no joint)', () => {
    // The trigger search resumes MIN_WRAP_WIDTH + 1 bytes after a line break that ends no base64 run:
    // here the next line break is exactly that far, and it is the joint the secret spans.
    const secret = 'QWERTYUIOPASDFGHJKLZ';
    const scrubber = createScrubber({ secrets: [secret], variants: ['base64-wrapped'] });
    for (const head of ['a line of plain text, not base64.', 'x y z: nothing here to see, really', 'x']) {
      for (let k = 1; k < 16; k++) {
        const first = 'abcdefghijklmnop'.slice(0, 16 - k) + secret.slice(0, k); // 16 bytes
        const input = `${head}\n${first}\n${secret.slice(k)}qrstuvwxyz\n`;
        expect(scrubber.scrub(input), `head ${JSON.stringify(head)}, split after ${k}`).toBe(`${head}\n${first.slice(0, 16 - k)}***qrstuvwxyz\n`);
      }
    }
  });

  it('the lanes switched off: wrapped base64 is only masked within lines', () => {
    const secret = 'fake-wrapped-secret-123456';
    const wrapped = wrap(Buffer.from(`user:${secret}`).toString('base64'), 16);
    expect(createScrubber({ secrets: [secret], variants: ['base64'] }).scrub(wrapped)).toBe(wrapped);
    expect(createScrubber({ secrets: [secret], variants: ['base64', 'base64-wrapped'] }).scrub(wrapped)).not.toBe(wrapped);
  });

  it('entities held back up to 10 bytes per character (history keeps what they need)', () => {
    const secret = 'entity-secret-with-30-chars-xx';
    const rendered = [...secret].map((c) => `&#${String(c.codePointAt(0)).padStart(7, '0')};`).join('');
    const e = new ScrubberEngine({ mask: Buffer.from('***'), minLength: 1, expand: (s) => [trimBytes(s)], lanes: new Set(['entities']), historyBytes: 1 });
    e.add(secret);
    const s = e.session();
    const out = concat([...splitAt(Buffer.from(`a ${rendered} b`), [3, 50, 150, 290]).map((c) => s.write(c)), s.end()]);
    expect(Buffer.from(out).toString()).toBe('a *** b');
  });
});

describe('secrets that are JSON documents', () => {
  it('each string value is registered: jq -r .private_key output is masked', () => {
    const key = pem();
    const doc = JSON.stringify({ type: 'service_account', project_id: 'demo-project', private_key: key, client_email: 'svc@demo-project.example' });
    const scrubber = createScrubber({ secrets: [{ value: doc, name: 'file:sa.json' }] });
    const printed = execFileSync('jq', ['-r', '.private_key'], { input: doc }).toString();
    const out = scrubber.scrub(`key:\n${printed}done\n`);
    for (const line of key.split('\n').filter((l) => l.length >= 8 && !l.startsWith('-----'))) expect(out).not.toContain(line);
    expect(out).toContain('done');
    expect(scrubber.scrub('mail svc@demo-project.example')).toBe('mail ***');
  });
});

describe('lanes issue, item 1 through the CLI: ::add-mask:: on stderr while stdout prints base64 key.pem', () => {
  it('no line of the encoded key reaches the output', async () => {
    const key = pem();
    const keyFile = join(tmp, 'key.pem');
    writeFileSync(keyFile, key);
    const encoded = Buffer.from(key).toString('base64');
    const script = `i=0; base64 "$1" | while read -r l; do echo "$l"; i=$((i+1)); [ $i = 8 ] && echo "::add-mask::unrelated-1234567" >&2; sleep 0.01; done`;
    const main = join(process.cwd(), 'dist', 'cli', 'main.js');
    const child = spawn(process.execPath, [main, '--secret-file', keyFile, '--add-mask', '--', 'sh', '-c', script, 'sh', keyFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expectNoEncodedWindow(Buffer.concat(chunks).toString('latin1'), encoded, /\n/g);
  }, 60_000);
});
