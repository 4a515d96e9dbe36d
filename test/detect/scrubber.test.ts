/**
 * Detection through createScrubber(): on by default, the option, stats, a
 * detected value becoming a known secret (later renderings masked, on every
 * live stream), union with known secrets, stream == one-shot.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DETECTED_SECRETS } from '../../src/engine/index.js';
import { createScrubber } from '../../src/index.js';
import { engineOf } from '../../src/face/scrubber.js';
import { concat, oneByteChunks, splitAt } from '../helpers/chunking.js';
import { BASE62, checksummed, jwtToken, pick, PLANT_FORMATS, plant, seeded } from '../helpers/detect-tokens.js';

const enc = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const dec = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function streamed(s: ReturnType<typeof createScrubber>, chunks: Uint8Array[]): string {
  const session = s.session();
  const out = chunks.map((c) => session.write(c));
  out.push(session.end());
  return dec(concat(out));
}

describe('createScrubber({ detect })', () => {
  const rand = seeded(42);
  const tok = checksummed(rand, 'ghp_');

  it('a warning callback that scrubs again (another scrubber with the same detectors) while a detection registers', () => {
    // A detected value shorter than minLength is not registered: the warning fires from inside the first pass.
    const other = createScrubber();
    const warnings: string[] = [];
    const s = createScrubber({
      minLength: 200,
      onWarning: (w) => {
        warnings.push(String(w));
        expect(other.scrub(`nested ${tok} x`)).toBe('nested ghp_*** x');
      },
    });
    expect(s.scrub(`key ${tok} end\n`)).toBe('key ghp_*** end\n');
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('is on by default; false turns it off; a list chooses; unknown names throw', () => {
    expect(createScrubber().scrub(`t ${tok} x`)).toBe('t ghp_*** x');
    expect(createScrubber({ detect: false }).scrub(`t ${tok} x`)).toBe(`t ${tok} x`);
    expect(createScrubber({ detect: ['jwt'] }).scrub(`t ${tok} x`)).toBe(`t ${tok} x`);
    expect(createScrubber({ detect: ['github'] }).scrub(`t ${tok} x`)).toBe('t ghp_*** x');
    expect(() => createScrubber({ detect: ['nope' as never] })).toThrow(/unknown detector "nope"/);
  });

  it('every planted format: stream (1-byte and random cuts) == one-shot, and the secret is gone', () => {
    for (const f of PLANT_FORMATS) {
      const p = plant(seeded(7), f);
      const text = `a ${p.text} b ${p.text}\n`;
      const one = createScrubber().scrub(text);
      expect(one, f).not.toContain(p.secret);
      expect(streamed(createScrubber(), oneByteChunks(enc(text))), f).toBe(one);
      expect(streamed(createScrubber(), splitAt(enc(text), [3, 17, 18, 40, 77])), f).toBe(one);
    }
  });

  it('a detected token becomes a known secret: its base64 later in the same chunk, in later chunks, and in another live stream', () => {
    const s = createScrubber();
    const other = s.session();
    const b64 = Buffer.from(tok.slice(4)).toString('base64'); // the masked part is what was registered
    const session = s.session();
    const first = dec(session.write(enc(`token ${tok} then b64 ${b64} `)));
    const later = dec(session.write(enc(`again ${b64} and bare ${tok.slice(4)}\n`))) + dec(session.end());
    expect(first + later).not.toContain(b64.slice(2, 40));
    expect(first + later).not.toContain(tok.slice(4));
    expect(dec(other.write(enc(`other stream: ${b64}\n`))) + dec(other.end())).toBe('other stream: ***\n');
    const stats = s.stats();
    expect(stats.detected.github).toBeGreaterThanOrEqual(1);
    expect(stats.masked['detect:github']).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(stats)).not.toContain(tok.slice(4));
  });

  it('a detected value becomes a known secret in its other renderings (percent, JSON-escaped, wrapped base64) on streams opened before the detection', () => {
    const r = seeded(4242);
    // base64 -w N for the extreme columns the wrapped view reads, and random ones between.
    for (const cols of [16, 76, 17 + r(58), 17 + r(58), 17 + r(58)]) {
      const gh = checksummed(r, 'ghp_');
      const ghBody = gh.slice(4); // what the github detector masks and registers
      // JSON escapes change these: '/' is \/ in PHP's json_encode, '&' is \u0026 in Go's (HTML-safe) encoder.
      const bearer = `FAKE/${pick(r, BASE62, 10)}/${pick(r, BASE62, 10)}+x=`;
      const pass = `FAKE&pw&${pick(r, BASE62, 12)}`;
      const s = createScrubber();
      const other = s.session(); // live before anything is detected
      const bytewise = s.session(); // the same, written one byte at a time
      const detecting = s.session();
      const first =
        dec(detecting.write(enc(`push with ${gh}\nAuthorization: Bearer ${bearer}\ngit clone https://ci:${pass}@git.example.com/o/r.git\n`))) +
        dec(detecting.end());
      expect(first).toBe('push with ghp_***\nAuthorization: Bearer ***\ngit clone https://ci:***@git.example.com/o/r.git\n');
      expect(s.stats().detected).toEqual({ github: 1, 'auth-header': 1, 'url-password': 1 });

      // (a) percent-encoded: a form field with about a third of the token's bytes %XX-escaped (either hex
      // case; no detector reads "ref=" or "ghp_" + a run cut by '%'), and encodeURIComponent of the password.
      const partly = [...ghBody].map((c, i) => (i % 3 === r(3) ? '%' + c.charCodeAt(0).toString(16)[i % 2 ? 'toUpperCase' : 'toLowerCase']() : c)).join('');
      expect(partly).toMatch(/%[0-9a-f]{2}/i);
      expect(encodeURIComponent(pass)).toContain('%26');
      const percent = `form: user=ci&ref=ghp_${partly}&next=1\ncurl -d "login=ci&password=${encodeURIComponent(pass)}"\n`;
      // (b) JSON-escaped: PHP prints the '/' of the bearer token as \/, Go the '&' of the password as \u0026.
      const php = JSON.stringify({ key: bearer }).replace(/\//g, '\\/');
      const go = JSON.stringify({ pw: pass }).replace(/&/g, '\\u0026');
      expect(php).toContain('\\/');
      expect(go).toContain('\\u0026');
      // (c) wrapped base64 of a .netrc holding the token, and of git credentials holding the password: a
      // comment line long enough that the secret's base64 runs across a line break.
      const wrap = (b: string) => b.replace(new RegExp(`(.{${cols}})`, 'g'), '$1\n').replace(/\n?$/, '\n');
      // The base64 characters that depend on the secret's bytes alone (a boundary one per side may stay).
      const core = (text: string, value: string) => {
        const at = Buffer.byteLength(text.slice(0, text.indexOf(value)));
        return [Math.ceil((8 * at) / 6), Math.floor((8 * (at + value.length)) / 6)];
      };
      const straddling = (body: string, value: string) => {
        for (let n = 0; ; n++) {
          const text = `# ${'-'.repeat(n)}\n${body}`;
          const [from, to] = core(text, value);
          if (Math.floor(from / cols) !== Math.floor((to - 1) / cols)) return { text, b64: Buffer.from(text).toString('base64'), from, to };
        }
      };
      const files = [straddling(`machine github.com login x password ${gh}\n`, ghBody), straddling(`https://ci:${pass}@git.example.com\n`, pass)];

      const later = enc(percent + `${php}\n${go}\n` + files.map((f) => wrap(f.b64)).join(''));
      const out = dec(other.write(later)) + dec(other.end());
      expect(dec(concat([...oneByteChunks(later).map((c) => bytewise.write(c)), bytewise.end()]))).toBe(out);
      const lines = out.split('\n');
      expect(lines.slice(0, 4)).toEqual(['form: user=ci&ref=ghp_***&next=1', 'curl -d "login=ci&password=***"', '{"key":"***"}', '{"pw":"***"}']);
      const unwrapped = lines.slice(4).join('');
      for (const { b64, from, to } of files) {
        const c = b64.slice(from, to);
        for (let i = 0; i + 4 <= c.length; i++) expect(unwrapped, `${cols} columns: ${JSON.stringify(out)}`).not.toContain(c.slice(i, i + 4));
        expect(unwrapped, `${cols} columns: the base64 before the secret stays`).toContain(b64.slice(0, from - 1));
      }
      expect(unwrapped.match(/\*\*\*/g)?.length).toBe(2);
    }
  });

  it('a detection touching or overlapping a known secret is one mask', () => {
    const s = createScrubber({ secrets: [{ value: 'ci-user', name: 'user' }] });
    expect(s.scrub('https://ci-user:hunter2-secret@example.com/x')).toBe('https://***:***@example.com/x');
    const t = createScrubber({ secrets: [{ value: tok.slice(10, 30), name: 'part' }] });
    expect(t.scrub(`x ${tok} y`)).toBe('x ghp_*** y');
    const jwt = jwtToken(rand);
    const u = createScrubber({ secrets: [{ value: jwt.slice(0, 20), name: 'head' }] });
    expect(u.scrub(`Authorization: Bearer ${jwt}\n`)).toBe('Authorization: Bearer ***\n');
  });

  it('a detection that touches a known secret (no byte between them) is one mask; the kept prefix between them is not', () => {
    const rand2 = seeded(77);
    const gh = checksummed(rand2, 'ghp_');
    const pass = `FAKE-pw-${pick(rand2, BASE62, 10)}`;
    const cases: Array<[secret: string, input: string, expected: string]> = [
      // The github detector keeps "ghp_" visible: a secret ending right before it does not touch the masked run.
      ['push-', `x push-${gh} y`, 'x ***ghp_*** y'],
      // A secret that ends where the detection's cover starts, or starts where it ends: one run, one mask.
      ['push-ghp_', `x push-${gh} y`, 'x *** y'],
      ['-FAKEsuffix01', `x ${gh}-FAKEsuffix01 y`, 'x ghp_*** y'],
      ['ci-user:', `git clone https://ci-user:${pass}@git.example.com/o/r.git\n`, 'git clone https://***@git.example.com/o/r.git\n'],
      ['@git.internal.example', `git clone https://ci:${pass}@git.internal.example/o/r.git\n`, 'git clone https://ci:***/o/r.git\n'],
    ];
    for (const [secret, input, expected] of cases) {
      const one = createScrubber({ secrets: [{ value: secret, name: 'known' }] });
      expect(one.scrub(input), `${secret} in ${input}`).toBe(expected);
      expect(Object.values(one.stats().detected).reduce((a, b) => a + b, 0), `${secret}: the detector fired`).toBe(1);
      const bytewise = createScrubber({ secrets: [{ value: secret, name: 'known' }] });
      expect(streamed(bytewise, oneByteChunks(enc(input))), `${secret}, 1-byte writes`).toBe(expected);
    }
  });

  it('detections are counted per detector, every time; a value is registered once', () => {
    const s = createScrubber();
    s.scrub(`${tok} ${tok}\n`);
    s.scrub(`again ${tok}\n`);
    const st = s.stats();
    expect(st.detected.github).toBe(3);
    expect(st.secrets).toBe(1);
  });
});

describe('a detection of an already registered secret', () => {
  it('is counted and masked, but not registered again (no new automaton level)', () => {
    const rand = seeded(8);
    const known = 'FAKEknownBearerValue0123456789';
    const s = createScrubber({ secrets: [{ value: known, name: 'env:API' }] });
    expect(s.scrub(`Authorization: Bearer ${known}\n`)).toBe('Authorization: Bearer ***\n');
    expect(s.stats().detected['auth-header']).toBe(1);
    expect(s.secretCount).toBe(1);
    const fresh = checksummed(rand, 'ghp_');
    s.scrub(`x ${fresh}\n`);
    expect(s.secretCount).toBe(2);
  });
});

describe('bounded registration of detected secrets', () => {
  it('registers at most MAX_DETECTED_SECRETS distinct values, warns once, and still masks every detection', () => {
    const scrubber = createScrubber({ detect: ['url-password'], variants: false });
    const n = MAX_DETECTED_SECRETS + 20;
    const lines = Array.from({ length: n }, (_, i) => `clone https://ci:fake-pw-${i.toString(36).padStart(6, '0')}x@git.example/r\n`);
    const out = scrubber.scrub(lines.join(''));
    expect(out.includes('fake-pw-')).toBe(false);
    expect(scrubber.stats().secrets).toBe(MAX_DETECTED_SECRETS);
    const limit = scrubber.warnings().filter((w) => w.code === 'detected-limit');
    expect(limit.length).toBe(1);
    expect(limit[0].name).toBe('detect:url-password');
    expect(limit[0].message).not.toContain('fake-pw-');
  }, 60_000);

  it('many fresh detections in one write compile the automata once, not once per detection', () => {
    // Each detection used to compile the registry (to ask whether the value was a pattern already): quadratic.
    const s = createScrubber();
    const text = Array.from({ length: 200 }, (_, i) => `GET /x?token=fake-tok-${i.toString().padStart(4, '0')}-value\n`).join('');
    const before = engineOf(s).builds;
    const out = s.scrub(text);
    expect(s.stats().detected['query-param']).toBe(200);
    expect(out).not.toMatch(/fake-tok/);
    expect(engineOf(s).builds - before).toBeLessThanOrEqual(2);
  });
});
