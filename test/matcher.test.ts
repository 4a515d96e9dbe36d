/**
 * The matcher alone: for random pattern sets, every layout (all dense, mostly
 * sparse, with and without the skip filter) reports exactly the matches and
 * end states of a naive matcher, whatever the split of the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAutomaton, MatchSink, ROOT_STATE } from '../src/matcher/index.js';
import { cutsArb, runs, seed, splitAt } from './helpers/chunking.js';

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
          const a = buildAutomaton(patterns, { denseBudget, skip });
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
