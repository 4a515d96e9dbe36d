/**
 * The backbone: for random secret sets and inputs and every chunking,
 * streaming output == one-shot output == the reference, no secret survives,
 * uncovered bytes pass unchanged, and holdback stays within (longest - 1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import { concat, cutsArb, oneByteChunks, runs, seed, splitAt } from './helpers/chunking.js';
import { referenceLanesFor, referenceScrubWithLanes } from './helpers/lanes-reference.js';
import { contains, occurrences, referenceScrub } from './helpers/reference.js';

const MASK = Uint8Array.from([0x23]); // '#': outside the small alphabets, so the mask never forms a secret

/** Exact-bytes scrubber (variants are tested on their own); tiny knobs force sparse states and merges. */
function engine(secrets: Uint8Array[], tuning?: { denseBudget?: number; minRecent?: number }): ScrubberEngine {
  const e = new ScrubberEngine({ mask: MASK, minLength: 1, expand: (s) => [trimBytes(s)], tuning });
  for (const s of secrets) e.add(s);
  return e;
}

function streamThrough(e: ScrubberEngine, chunks: Uint8Array[], maxLen: number): Uint8Array {
  const session = e.session();
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    out.push(session.write(c));
    expect(session.heldBytes).toBeLessThanOrEqual(Math.max(0, maxLen - 1));
  }
  out.push(session.end());
  expect(session.heldBytes).toBe(0);
  return concat(out);
}

const bytesOver = (alphabet: number[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a));

/** Secrets over a tiny alphabet overlap, share borders and nest; inputs get planted occurrences. */
const caseArb = (alphabet: number[], maxSecret: number, maxInput: number) =>
  fc
    .record({
      secrets: fc.array(bytesOver(alphabet, 1, maxSecret), { minLength: 1, maxLength: 6 }),
      pieces: fc.array(fc.oneof(bytesOver(alphabet, 0, 8), fc.nat({ max: 5 })), { maxLength: 10 }),
      budget: fc.constantFrom(undefined, 1, 3, 16),
    })
    .map(({ secrets, pieces, budget }) => {
      // A number in `pieces` plants secret #n (mod count); bytes are filler.
      const parts = pieces.map((p) => (typeof p === 'number' ? secrets[p % secrets.length] : p));
      const input = concat(parts).subarray(0, maxInput);
      return { secrets, input, budget };
    });

const A = 0x61;
const B = 0x62;
const C = 0x63;

describe('engine properties', () => {
  it('stream (random chunking) == one-shot == reference; nothing survives', () => {
    fc.assert(
      fc.property(caseArb([A, B], 6, 80), cutsArb(80), ({ secrets, input, budget }, cuts) => {
        const e = engine(secrets, { denseBudget: budget });
        const maxLen = Math.max(...secrets.map((s) => s.length));
        const expected = referenceScrub(input, secrets, MASK);
        expect(Buffer.from(e.scrub(input))).toEqual(Buffer.from(expected));
        expect(Buffer.from(streamThrough(e, splitAt(input, cuts), maxLen))).toEqual(Buffer.from(expected));
        for (const s of secrets) expect(contains(expected, s)).toBe(false);
      }),
      { seed: seed(), numRuns: runs(1500) },
    );
  });

  it('1-byte chunking == reference (three-letter alphabet)', () => {
    fc.assert(
      fc.property(caseArb([A, B, C], 8, 60), ({ secrets, input, budget }) => {
        const e = engine(secrets, { denseBudget: budget });
        const maxLen = Math.max(...secrets.map((s) => s.length));
        const expected = referenceScrub(input, secrets, MASK);
        expect(Buffer.from(streamThrough(e, oneByteChunks(input), maxLen))).toEqual(Buffer.from(expected));
      }),
      { seed: seed(), numRuns: runs(1000) },
    );
  });

  it('binary data: every byte value, NULs, invalid UTF-8 pass unchanged unless covered', () => {
    const anyBytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
    fc.assert(
      fc.property(
        fc.array(anyBytes(1, 12), { minLength: 1, maxLength: 5 }),
        fc.array(fc.oneof(anyBytes(0, 40), fc.nat({ max: 4 })), { maxLength: 8 }),
        cutsArb(200),
        (rawSecrets, pieces, cuts) => {
          // Trimming makes whitespace-only secrets empty; keep the rest.
          const secrets = rawSecrets.map((s) => trimBytes(s)).filter((s) => s.length > 0);
          fc.pre(secrets.length > 0);
          const input = concat(pieces.map((p) => (typeof p === 'number' ? secrets[p % secrets.length] : p)));
          const e = engine(secrets);
          const expected = referenceScrub(input, secrets, MASK);
          const maxLen = Math.max(...secrets.map((s) => s.length));
          expect(Buffer.from(streamThrough(e, splitAt(input, cuts), maxLen))).toEqual(Buffer.from(expected));
        },
      ),
      { seed: seed(), numRuns: runs(800) },
    );
  });

  it('without any occurrence, output is the input byte for byte and released at once', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), cutsArb(300), (input, cuts) => {
        // Secrets use a byte that the input never contains: nothing can be held back.
        const clean = input.map((b) => (b === 0xff ? 0xfe : b));
        const e = engine([Uint8Array.from([0xff, 0x01, 0x02, 0x03])]);
        const session = e.session();
        for (const c of splitAt(clean, cuts)) {
          expect(Buffer.from(session.write(c))).toEqual(Buffer.from(c));
          expect(session.heldBytes).toBe(0);
        }
        expect(session.end().length).toBe(0);
      }),
      { seed: seed(), numRuns: runs(300) },
    );
  });

  it('dynamic add mid-stream masks every byte not yet emitted', () => {
    fc.assert(
      fc.property(
        caseArb([A, B, C], 6, 60),
        fc.oneof(bytesOver([A, B, C], 2, 8), fc.tuple(fc.nat(), fc.nat(), fc.nat())),
        fc.nat({ max: 60 }),
        cutsArb(60),
        fc.constantFrom(1, 4, 1000),
        ({ secrets, input, budget }, addedSpec, at, cuts, minRecent) => {
          // Half the time the new secret is a piece of an old one, so it can sit inside held bytes.
          let added: Uint8Array;
          if (addedSpec instanceof Uint8Array) added = addedSpec;
          else {
            const host = secrets[addedSpec[0] % secrets.length];
            const from = addedSpec[1] % host.length;
            added = host.subarray(from, from + 1 + (addedSpec[2] % (host.length - from)));
          }
          const e = engine(secrets, { denseBudget: budget, minRecent });
          const session = e.session();
          const split = Math.min(at, input.length);
          const out: Uint8Array[] = [];
          for (const c of splitAt(input.subarray(0, split), cuts)) out.push(session.write(c));
          const emittedInput = split - session.heldBytes; // input bytes already released
          e.add(added);
          for (const c of splitAt(input.subarray(split), cuts)) out.push(session.write(c));
          out.push(session.end());
          const output = concat(out);
          const all = [...secrets, added];
          // Occurrences of the new secret that start in released bytes cannot be fully recalled;
          // otherwise the result is exactly the reference with the final set.
          const early = occurrences(input, added).some((start) => start < emittedInput);
          if (!early) expect(Buffer.from(output)).toEqual(Buffer.from(referenceScrub(input, all, MASK)));
          for (const s of early ? secrets : all) expect(contains(output, s)).toBe(false);
        },
      ),
      { seed: seed(), numRuns: runs(1000) },
    );
  });

  it('many adds through recent/base merges: still equal to the reference', () => {
    fc.assert(
      fc.property(
        fc.array(bytesOver([A, B, C], 2, 7), { minLength: 2, maxLength: 30 }),
        bytesOver([A, B, C], 0, 120),
        cutsArb(120),
        (secrets, input, cuts) => {
          const e = engine([], { minRecent: 2 });
          const session = e.session();
          const out: Uint8Array[] = [];
          // All adds land before the first byte, spread over writes of empty chunks (each compiles).
          for (const s of secrets) {
            e.add(s);
            out.push(session.write(new Uint8Array(0)));
          }
          for (const c of splitAt(input, cuts)) out.push(session.write(c));
          out.push(session.end());
          expect(Buffer.from(concat(out))).toEqual(Buffer.from(referenceScrub(input, secrets, MASK)));
        },
      ),
      { seed: seed(), numRuns: runs(300) },
    );
  });
});

describe('engine properties with variants on', () => {
  it('stream == one-shot == reference over every registered pattern, and with every lane on', async () => {
    const { createScrubber, expandSecret, resolveVariants, ALL_VARIANTS } = await import('../src/index.js');
    const noWrap = resolveVariants(['lines', 'json', 'base64', 'shell']);
    const allVariants = resolveVariants(true);
    const secretArb = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{8,24}$/),
      fc.string({ minLength: 8, maxLength: 20 }).filter((s) => s.trim().length >= 8),
      fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{8,20}$/), { minLength: 2, maxLength: 3 }).map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 6 }))), { maxLength: 8 }),
        cutsArb(300),
        (secrets, pieces, cuts) => {
          const rendered = (secret: string, how: number): string => {
            const bytes = Buffer.from(secret);
            switch (how) {
              case 0: return secret;
              case 1: return Buffer.from(`user:${secret}`).toString('base64');
              case 2: return JSON.stringify(secret);
              case 3: return encodeURIComponent(secret);
              case 4: return secret.replace(/\n/g, '\r\n');
              case 5: return `'${secret.replace(/'/g, `'\\''`)}'`;
              default: return bytes.toString('base64url');
            }
          };
          const input = new TextEncoder().encode(
            pieces.map((p) => (typeof p === 'string' ? p : rendered(secrets[p[0] % secrets.length], p[1]))).join(''),
          );
          const plain = createScrubber({ secrets, variants: [...noWrap], mask: '#', minLength: 1 });
          const patterns = secrets.flatMap((s) => expandSecret(new TextEncoder().encode(s), { variants: noWrap }));
          const expected = referenceScrub(input, patterns, MASK);
          expect(Buffer.from(plain.scrub(input))).toEqual(Buffer.from(expected));
          const session = plain.session();
          expect(Buffer.from(concat([...splitAt(input, cuts).map((c) => session.write(c)), session.end()]))).toEqual(Buffer.from(expected));

          const all = createScrubber({ secrets, mask: '#', minLength: 1 });
          const allPatterns = secrets.flatMap((s) => expandSecret(new TextEncoder().encode(s), { variants: allVariants }));
          const withLanes = Buffer.from(referenceScrubWithLanes(input, allPatterns, referenceLanesFor([...ALL_VARIANTS]), MASK));
          expect(Buffer.from(all.scrub(input))).toEqual(withLanes);
          const s2 = all.session();
          expect(Buffer.from(concat([...splitAt(input, cuts).map((c) => s2.write(c)), s2.end()]))).toEqual(withLanes);
        },
      ),
      { seed: seed(), numRuns: runs(300) },
    );
  });
});
