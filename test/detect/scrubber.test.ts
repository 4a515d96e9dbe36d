/**
 * Detection through createScrubber(): on by default, the option, stats, a
 * detected value becoming a known secret (later renderings masked, on every
 * live stream), union with known secrets, stream == one-shot.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DETECTED_SECRETS } from '../../src/engine/index.js';
import { createScrubber } from '../../src/index.js';
import { concat, oneByteChunks, splitAt } from '../helpers/chunking.js';
import { checksummed, jwtToken, PLANT_FORMATS, plant, seeded } from '../helpers/detect-tokens.js';

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

  it('a detection touching or overlapping a known secret is one mask', () => {
    const s = createScrubber({ secrets: [{ value: 'ci-user', name: 'user' }] });
    expect(s.scrub('https://ci-user:hunter2-secret@example.com/x')).toBe('https://***:***@example.com/x');
    const t = createScrubber({ secrets: [{ value: tok.slice(10, 30), name: 'part' }] });
    expect(t.scrub(`x ${tok} y`)).toBe('x ghp_*** y');
    const jwt = jwtToken(rand);
    const u = createScrubber({ secrets: [{ value: jwt.slice(0, 20), name: 'head' }] });
    expect(u.scrub(`Authorization: Bearer ${jwt}\n`)).toBe('Authorization: Bearer ***\n');
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
});
