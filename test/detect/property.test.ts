/**
 * The detectors' backbone: for random inputs with planted detections, near
 * misses and structural noise, and for every chunking (1-byte writes
 * included): streaming output == one-shot output == the regex reference, and
 * the lane never holds back more than its documented bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutsArb, oneByteChunks, runs, seed, splitAt } from '../helpers/chunking.js';
import { MASK, latin1Bytes, runLane } from '../helpers/detect-harness.js';
import { referenceDetect } from '../helpers/detect-reference.js';
import { armor } from '../helpers/detect-keys.js';
import { checksummed, fakePemBody, jwtToken, PLANT_FORMATS, plant, seeded } from '../helpers/detect-tokens.js';

function referenceOutput(s: string): string {
  const { covered } = referenceDetect(s);
  let out = '';
  let open = false;
  for (let i = 0; i < s.length; i++) {
    if (covered[i]) {
      if (!open) out += MASK;
      open = true;
    } else {
      out += s[i];
      open = false;
    }
  }
  return out;
}

/** Fragments that make near misses and partial structures next to each other. */
const NOISE = [
  'ghp_', 'gho_x', 'npm_', 'github_pat_', 'glpat-', 'xoxb-', 'sk_live_', 'sk-', 'sk-proj-', 'sk-ant-api03-', 'AKIA', 'AIza',
  'pypi-', 'eyJ', '.eyJ', '://', 'https://', 'u:p@', '@', ':', '?', '&', '=', 'token=', '?token=', '&sig=', ' ', '\n', '\r\n',
  '\\n', '\\/', '-----BEGIN ', armor('BEGIN', 'RSA PRIVATE KEY'), 'PRIVATE KEY-----', '-----END', armor('END', 'RSA PRIVATE KEY'),
  'Authorization: ', 'Bearer ', 'Basic ', 'aws_secret_access_key=', '${X}', '$', 'A', 'a', '0', '_', '-', '.', '*', '"', "'", 'T3BlbkFJ',
];

const fragment = (salt: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NOISE) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'aA0_-.:/@?&= \nxyzKQ'.split('')), maxLength: 12 }) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PLANT_FORMATS), fc.nat()).map(([f, n]) => plant(seeded(n ^ salt), f).text) },
    { weight: 1, arbitrary: fc.nat().map((n) => checksummed(seeded(n), 'ghp_', false)) },
    { weight: 1, arbitrary: fc.nat().map((n) => jwtToken(seeded(n), { typ: 'JWT' })) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('\n', '\r\n', '\\n', '\\\\n', '\n  ', '\nweb_1  | ', ' ')).map(([n, br]) => pem(n, br)) },
  );

function pem(n: number, br: string): string {
  const rand = seeded(n);
  const label = ['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'PUBLIC KEY', 'CERTIFICATE'][rand(6)];
  let body = fakePemBody(rand, 1 + rand(3));
  // JSON may print '/' as \/ (PHP's json_encode, Java's): then the body can start with an escaped byte.
  if (br.startsWith('\\') && rand(2)) body = body.map((line, i) => (i === 0 && rand(2) ? '/' + line.slice(1) : line).replace(/\//g, '\\/'));
  return `${armor('BEGIN', label)}${br}${body.join(br)}${br}${armor('END', label)}`;
}

const inputArb = fc.array(fragment(0x5eed), { maxLength: 14 }).map((parts) => parts.join(''));

describe('detectors: stream == one-shot == reference', () => {
  it('inputs where the reference and the lane once disagreed (found with random seeds), with the expected output written out', () => {
    const jwtHeader = Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url');
    const cases: Array<[string, string]> = [
      // A 17th uppercase letter or digit: no AWS key id (the reference used to stop at 16 and mask).
      ['ASIAJY49SXCXJ88TLI4EBearer ', 'ASIAJY49SXCXJ88TLI4EBearer '],
      ['ASIAJY49SXCXJ88TLI4E Bearer ', `ASIA${MASK} Bearer `],
      // 41 base64 bytes after the key name, then '=': no AWS secret key.
      ['AWS_SECRET_ACCESS_KEY=lo8TG945VOKbLQuQdXvuqzZXWbA1nuWaGu3Jfexha=', 'AWS_SECRET_ACCESS_KEY=lo8TG945VOKbLQuQdXvuqzZXWbA1nuWaGu3Jfexha='],
      ['AWS_SECRET_ACCESS_KEY=lo8TG945VOKbLQuQdXvuqzZXWbA1nuWaGu3Jfexh ', `AWS_SECRET_ACCESS_KEY=${MASK} `],
      // A header that only looks like JSON with "alg" ({"t{"alg":...}): no JWT (the lane used to accept it).
      [`.eyJ0${jwtHeader}.eyJzdWIiOiJ4In0.c2ln`, `.eyJ0${jwtHeader}.eyJzdWIiOiJ4In0.c2ln`],
      [`.${jwtHeader}.eyJzdWIiOiJ4In0.c2ln`, `.eyJ${MASK}`],
      // A scheme must end in a letter (the reference used to take `a.`).
      ['a.://u:p@ghp_', 'a.://u:p@ghp_'],
      ['a://u:p@host', `a://u:${MASK}@host`],
    ];
    for (const [input, want] of cases) {
      expect(referenceOutput(input), `reference, ${JSON.stringify(input)}`).toBe(want);
      expect(runLane([latin1Bytes(input)]).output.toString('latin1'), `lane, ${JSON.stringify(input)}`).toBe(want);
      expect(runLane(oneByteChunks(latin1Bytes(input))).output.toString('latin1'), `lane, 1-byte writes, ${JSON.stringify(input)}`).toBe(want);
    }
  });

  it('random inputs, random chunkings', () => {
    fc.assert(
      fc.property(inputArb, cutsArb(2000), (s, cuts) => {
        const bytes = latin1Bytes(s);
        const one = runLane([bytes]);
        const ref = referenceOutput(s);
        expect(one.output.toString('latin1')).toBe(ref);
        const split = runLane(splitAt(bytes, cuts));
        expect(split.output.toString('latin1')).toBe(ref);
        expect(split.maxHeld).toBeLessThanOrEqual(split.bound);
      }),
      { seed: seed(), numRuns: runs(300) },
    );
  });

  it('1-byte writes', () => {
    fc.assert(
      fc.property(inputArb, (s) => {
        const bytes = latin1Bytes(s);
        const r = runLane(oneByteChunks(bytes));
        expect(r.output.toString('latin1')).toBe(referenceOutput(s));
        expect(r.maxHeld).toBeLessThanOrEqual(r.bound);
      }),
      { seed: seed(), numRuns: runs(120) },
    );
  });

  it('every planted detection is masked, its prefix kept, and registered', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLANT_FORMATS), fc.nat(), fc.constantFrom(' ', '\n', '"', ''), (format, n, around) => {
        const p = plant(seeded(n), format);
        const s = `before${around === '' ? ' ' : around}${p.text}${around} after`;
        const r = runLane(oneByteChunks(latin1Bytes(s)));
        const out = r.output.toString('latin1');
        expect(out).not.toContain(p.secret);
        expect(out).toContain(p.kept + MASK);
        expect(r.registered.length).toBeGreaterThan(0);
        expect(r.registered.some(([, v]) => v.includes(p.secret))).toBe(true);
      }),
      { seed: seed(), numRuns: runs(300) },
    );
  });
});

describe('detectors: every single cut point', () => {
  it('one of each format (and a key block), split in two at every position, equals one write', () => {
    const rand = seeded(5);
    const parts = PLANT_FORMATS.map((f) => plant(rand, f).text);
    const text = `start ${parts.join(' | ')} ${pem(3, '\n')} end`;
    const bytes = latin1Bytes(text);
    const one = runLane([bytes]).output.toString('latin1');
    expect(one).toBe(referenceOutput(text));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = runLane([bytes.subarray(0, cut), bytes.subarray(cut)]);
      if (r.output.toString('latin1') !== one) throw new Error(`cut at ${cut} differs`);
    }
    for (let a = 0; a < 40; a++) {
      // three cuts close together: windows straddling two boundaries
      const c = (a * 97) % bytes.length;
      const r = runLane(splitAt(bytes, [c, c + 1, c + 3]));
      expect(r.output.toString('latin1')).toBe(one);
    }
  });
});
