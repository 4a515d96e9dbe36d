/**
 * The matcher alone: for random pattern sets, every layout (all dense, mostly
 * sparse, with and without the skip filter) reports exactly the matches and
 * end states of a naive matcher, whatever the split of the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAutomaton, MatchSink, ROOT_STATE } from '../src/matcher/index.js';
import { RUN4 } from '../src/matcher/automaton.js';
import { cutsArb, runs, seed, splitAt } from './helpers/chunking.js';
import { seeded } from './helpers/detect-tokens.js';

/** Naive: for each end index, the longest pattern ending there; and the final depth. */
function naive(patterns: Uint8Array[], input: Uint8Array): { ends: number[]; lens: number[]; depth: number } {
  const ends: number[] = [];
  const lens: number[] = [];
  for (let e = 0; e < input.length; e++) {
    let best = 0;
    for (const p of patterns) {
      if (p.length > e + 1 || p.length <= best) continue;
      let ok = true;
      for (let k = 0; k < p.length && ok; k++) ok = input[e + 1 - p.length + k] === p[k];
      if (ok) best = p.length;
    }
    if (best > 0) {
      ends.push(e);
      lens.push(best);
    }
  }
  let depth = 0;
  for (let d = 1; d <= input.length; d++) {
    const suffix = input.subarray(input.length - d);
    if (patterns.some((p) => p.length >= d && suffix.every((b, k) => p[k] === b))) depth = d;
  }
  return { ends, lens, depth };
}

const bytesOver = (alphabet: number[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a));

/** Scans `input` split at `cuts` (state carried across) and compares matches and the final depth with the naive matcher. */
function expectNaiveResult(patterns: Uint8Array[], input: Uint8Array, options: Parameters<typeof buildAutomaton>[1], cuts: number[]): void {
  const a = buildAutomaton(patterns, options);
  const sink = new MatchSink(1);
  let s = ROOT_STATE;
  let offset = 0;
  const ends: number[] = [];
  const lens: number[] = [];
  for (const chunk of splitAt(input, cuts)) {
    sink.clear();
    s = a.scan(chunk, 0, chunk.length, s, sink);
    for (let m = 0; m < sink.count; m++) {
      ends.push(offset + sink.ends[m]);
      lens.push(patterns[sink.pats[m]].length);
    }
    offset += chunk.length;
  }
  const want = naive(patterns, input);
  expect(ends).toEqual(want.ends);
  expect(lens).toEqual(want.lens);
  expect(a.depthOf(s)).toBe(want.depth);
}

describe('matcher', () => {
  it('matches the naive matcher in every layout and split', () => {
    fc.assert(
      fc.property(
        fc.array(bytesOver([0x61, 0x62, 0x63], 1, 14), { minLength: 1, maxLength: 8 }),
        fc.array(fc.oneof(bytesOver([0x61, 0x62, 0x63, 0x20], 0, 30), fc.nat({ max: 7 })), { maxLength: 8 }),
        fc.constantFrom(1, 7, 64, 1 << 21),
        fc.boolean(),
        cutsArb(200),
        (patterns, pieces, denseBudget, skip, cuts) => {
          const parts = pieces.map((p) => (typeof p === 'number' ? patterns[p % patterns.length] : p));
          const input = Uint8Array.from(Buffer.concat(parts));
          expectNaiveResult(patterns, input, { denseBudget, skip }, cuts);
        },
      ),
      { seed: seed(), numRuns: runs(1500) },
    );
  });

  it('the skip filter is used for long patterns and stays exact on random bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 6, maxLength: 40 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.nat({ max: 29 })), { maxLength: 10 }),
        cutsArb(600),
        (patterns, pieces, cuts) => {
          const parts = pieces.map((p) => (typeof p === 'number' ? patterns[p % patterns.length] : p));
          const input = Uint8Array.from(Buffer.concat(parts));
          const a = buildAutomaton(patterns);
          expect(a.t.filter).not.toBeNull();
          const sink = new MatchSink();
          let s = ROOT_STATE;
          let offset = 0;
          const ends: number[] = [];
          for (const chunk of splitAt(input, cuts)) {
            sink.clear();
            s = a.scan(chunk, 0, chunk.length, s, sink);
            for (let m = 0; m < sink.count; m++) ends.push(offset + sink.ends[m]);
            offset += chunk.length;
          }
          const want = naive(patterns, input);
          expect(ends).toEqual(want.ends);
          expect(a.depthOf(s)).toBe(want.depth);
        },
      ),
      { seed: seed(), numRuns: runs(800) },
    );
  });

  it('the skip filter finds every pattern at every bitset size the builder chooses', () => {
    // The scan inlines the filter's layout (the word index by shift, the bits in it); each set
    // size here gives another shift. Every pattern planted once, at every offset modulo the stride.
    const rand = seeded(0x5eed);
    const sizes = new Set<number>();
    for (const count of [30, 1_200, 2_000, 9_000, 40_000]) {
      const patterns = Array.from({ length: count }, () => Uint8Array.from({ length: 20 + rand(21) }, () => rand(256)));
      const a = buildAutomaton(patterns);
      expect(a.t.filter).not.toBeNull();
      sizes.add(a.t.filter!.shift);
      const parts: number[] = [];
      const want: number[] = [];
      patterns.forEach((p, i) => {
        for (let k = i % 37; k > 0; k--) parts.push(0x0a);
        parts.push(...p);
        want.push(parts.length - 1);
      });
      const input = Uint8Array.from(parts);
      const sink = new MatchSink();
      a.scan(input, 0, input.length, ROOT_STATE, sink);
      const ends = new Set(sink.ends.subarray(0, sink.count));
      // Random patterns: another pattern ending at the same place is vanishingly unlikely, so each end is one pattern's.
      expect(want.filter((e) => ends.has(e)).length).toBe(count);
    }
    expect(sizes.size).toBe(5);
  });

  it('near-miss floods: chain walks (word and byte steps), dense children of sparse states, lingering exact mode', () => {
    // Inputs made of what adversarial text is made of: patterns, patterns with one byte
    // changed or cut short, runs of a prefix, bytes no pattern uses. Budgets from one row
    // to all shallow and branching states, so every dense/sparse boundary is crossed.
    const alphabet = [0x61, 0x62, 0x63, 0x64];
    fc.assert(
      fc.property(
        fc.array(bytesOver(alphabet, 6, 26), { minLength: 1, maxLength: 7 }),
        fc.array(
          fc.tuple(fc.nat(), fc.constantFrom('exact', 'miss', 'cut', 'run', 'noise'), fc.nat(), fc.nat({ max: 3 })),
          { maxLength: 24 },
        ),
        fc.constantFrom(1, 7, 64, 300, 1 << 21),
        fc.boolean(),
        cutsArb(400),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...alphabet), bytesOver(alphabet, 0, 4)), { maxLength: 3 }),
        (base, pieces, denseBudget, skip, cuts, derived) => {
          // Derived patterns (a byte, a prefix of another pattern, a tail) make deep states
          // whose failure links lead into other patterns' chains.
          const patterns = [...base];
          for (const [k, len, b, tail] of derived) {
            const host = base[k % base.length];
            patterns.push(Uint8Array.from([b, ...host.subarray(0, 3 + (len % (host.length - 2))), ...tail]));
          }
          const parts: Uint8Array[] = [];
          for (const [k, kind, at, b] of pieces) {
            const p = patterns[k % patterns.length];
            if (kind === 'exact') parts.push(p);
            else if (kind === 'miss') {
              const q = Uint8Array.from(p);
              q[at % q.length] = alphabet[b];
              parts.push(q);
            } else if (kind === 'cut') parts.push(p.subarray(0, at % p.length));
            else if (kind === 'run') for (let r = 0; r < 1 + (at % 5); r++) parts.push(p.subarray(0, p.length - 1));
            else parts.push(Uint8Array.from([0x7a, 0x20, alphabet[b]].slice(0, 1 + (at % 3))));
          }
          const input = Uint8Array.from(Buffer.concat(parts));
          expectNaiveResult(patterns, input, { denseBudget, skip }, cuts);
        },
      ),
      { seed: seed(), numRuns: runs(1500) },
    );
  });

  it('the layout has what the scan relies on: sparse chains with word steps, dense rows past depth 2', () => {
    const enc = (x: string) => new TextEncoder().encode(x);
    // Two long secrets sharing a 12-byte prefix: a chain, a branching state, two chains.
    const a = buildAutomaton([enc('abcdefghijklXmnopqrstuv'), enc('abcdefghijklYmnopqrstuv')]);
    const t = a.t;
    const rows = t.denseLimit / t.classCount;
    // Root, 'a', 'ab' (depth <= 2) and the branching state 'abcdefghijkl'.
    expect(rows).toBe(4);
    expect(Array.from(t.firstEdge).some((fe) => (fe & RUN4) !== 0)).toBe(true);
    const sink = new MatchSink();
    const input = enc('..abcdefghijklYmnopqrstuv..abcdefghijklXmnopqrstuw');
    a.scan(input, 0, input.length, ROOT_STATE, sink);
    expect(Array.from(sink.ends.subarray(0, sink.count))).toEqual([24]);
    expect(Array.from(sink.pats.subarray(0, sink.count))).toEqual([1]);
  });

  it('a dense row whose failure chain passes sparse states takes their children', () => {
    const enc = (x: string) => new TextEncoder().encode(x);
    // 'xabc' branches (dense); its failure state 'abc' is a sparse chain state with child 'R'.
    const patterns = ['xabcP1234', 'xabcQ1234', 'abcR5678'].map(enc);
    for (const skip of [false, true]) {
      const a = buildAutomaton(patterns, { skip });
      const sink = new MatchSink();
      const input = enc('..xabcR5678..');
      a.scan(input, 0, input.length, ROOT_STATE, sink);
      expect(Array.from(sink.pats.subarray(0, sink.count))).toEqual([2]);
      expect(Array.from(sink.ends.subarray(0, sink.count))).toEqual([10]);
    }
  });

  it('de-duplicates patterns and reports the first id of a duplicate', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const a = buildAutomaton([enc('secret'), enc('other'), enc('secret')]);
    expect(a.patternCount).toBe(2);
    const sink = new MatchSink();
    a.scan(enc('a secret'), 0, 8, ROOT_STATE, sink);
    expect(Array.from(sink.pats.subarray(0, sink.count))).toEqual([0]);
  });

  it('an empty pattern set matches nothing and holds nothing', () => {
    const a = buildAutomaton([]);
    const sink = new MatchSink();
    const s = a.scan(new Uint8Array([1, 2, 3]), 0, 3, ROOT_STATE, sink);
    expect(sink.count).toBe(0);
    expect(a.depthOf(s)).toBe(0);
  });
});
