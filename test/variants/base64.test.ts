/**
 * The base64 patterns against Node's own encoder: whatever bytes surround the
 * secret, whichever alphabet, with or without padding or a trailing newline,
 * the encoded text is covered except for at most one character at each edge
 * of the characters the secret's bits reach.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, coverage, expand } from './helpers.js';

type Rendering = { alphabet: 'base64' | 'base64url'; padded: boolean; newline: boolean };

const RENDERINGS: Rendering[] = [];
for (const alphabet of ['base64', 'base64url'] as const)
  for (const padded of [true, false]) for (const newline of [false, true]) RENDERINGS.push({ alphabet, padded, newline });

function render(data: Uint8Array, { alphabet, padded, newline }: Rendering): string {
  const input = newline ? concat(data, Buffer.from('\n')) : data;
  const text = Buffer.from(input).toString(alphabet).replace(/=+$/, '');
  return padded ? text + '='.repeat((4 - (text.length % 4)) % 4) : text;
}

/** Characters of base64(prefix + secret + …) that any bit of the secret reaches: [first, end). */
function secretReach(prefixLength: number, secretLength: number): [number, number] {
  return [Math.floor((8 * prefixLength) / 6), Math.ceil((8 * (prefixLength + secretLength)) / 6)];
}

/** Uncovered characters at the start and end of the reach, and whether any gap is in the middle. */
function leaks(covered: boolean[], [first, end]: [number, number]): { head: number; tail: number; middleGap: boolean } {
  let head = 0;
  while (first + head < end && !covered[first + head]) head++;
  // Nothing covered (a 1-2 byte secret has no pure character at some alignments): split the gap between the sides.
  if (head === end - first) return { head: Math.ceil(head / 2), tail: Math.floor(head / 2), middleGap: false };
  let tail = 0;
  while (end - 1 - tail >= first + head && !covered[end - 1 - tail]) tail++;
  let middleGap = false;
  for (let i = first + head; i < end - tail; i++) if (!covered[i]) middleGap = true;
  return { head, tail, middleGap };
}

describe('base64 patterns', () => {
  it('cover base64(prefix + secret + suffix) except at most one character per side (no floor)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 48 }),
        fc.uint8Array({ maxLength: 7 }),
        fc.uint8Array({ maxLength: 7 }),
        fc.constantFrom(...RENDERINGS),
        (secret, prefix, suffix, rendering) => {
          // Surrounding whitespace is not part of the secret: keep it out of the generated one.
          fc.pre(!/^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/.test(Buffer.from(secret).toString('latin1')));
          const patterns = expand(secret, ['base64'], { encodedFloor: 1 });
          const encoded = render(concat(prefix, secret, suffix), rendering);
          const reach = secretReach(prefix.length, secret.length);
          const { head, tail, middleGap } = leaks(coverage(encoded, patterns), reach);
          expect(middleGap).toBe(false);
          expect(head).toBeLessThanOrEqual(1);
          expect(tail).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('with the default floor, still leak at most one character per side for secrets of 7+ bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 7, maxLength: 64 }).filter((s) => !/^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/.test(Buffer.from(s).toString('latin1'))),
        fc.uint8Array({ maxLength: 5 }),
        fc.uint8Array({ maxLength: 5 }),
        fc.constantFrom(...RENDERINGS),
        (secret, prefix, suffix, rendering) => {
          const patterns = expand(secret, ['base64']);
          for (const pattern of patterns.slice(1)) expect(pattern.length).toBeGreaterThanOrEqual(8);
          const encoded = render(concat(prefix, secret, suffix), rendering);
          const { head, tail, middleGap } = leaks(coverage(encoded, patterns.slice(1)), secretReach(prefix.length, secret.length));
          expect([head, tail, middleGap]).toEqual([expect.any(Number), expect.any(Number), false]);
          expect(Math.max(head, tail)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('catch the usual places a token is base64-encoded', () => {
    const token = 'glpat-Zx8_Qm3rTv5WnY2kLp9s';
    const patterns = expand(token, ['base64']).slice(1);
    const renderings = [
      Buffer.from(token).toString('base64'), // base64 <<< (no newline)
      Buffer.from(token + '\n').toString('base64'), // echo $S | base64
      Buffer.from('user:' + token).toString('base64'), // Authorization: Basic
      Buffer.from('oauth2:' + token).toString('base64url'),
      Buffer.from(JSON.stringify({ auths: { r: { auth: token } } })).toString('base64'), // docker config
    ];
    for (const text of renderings) {
      const covered = coverage(text, patterns).filter(Boolean).length;
      expect(covered, text).toBeGreaterThanOrEqual(Math.floor((token.length * 4) / 3) - 2);
    }
  });

  it('never mix in characters from outside the secret (same cores whatever the neighbours)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 7, maxLength: 40 }), fc.uint8Array({ minLength: 3, maxLength: 3 }), (secret, other) => {
        fc.pre(!/^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/.test(Buffer.from(secret).toString('latin1')));
        const patterns = expand(secret, ['base64']).slice(1);
        for (const pattern of patterns) {
          // Every pattern occurs in the encoding for some alignment with these other neighbours too.
          const somewhere = [0, 1, 2].some((align) =>
            ['base64', 'base64url'].some((alphabet) =>
              Buffer.from(concat(other.subarray(0, align), secret, other)).toString(alphabet as BufferEncoding).includes(pattern),
            ),
          );
          expect(somewhere).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
