/**
 * The first pass alone (trigger.ts), against a brute-force reference: for any
 * chunk, `sample` reports exactly the starts p (p + 3 < length) whose three
 * bigrams are flagged at offsets 0, 1, 2, each once, in increasing order.
 * The reference looks at every position; the pass reads one bigram in three.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TriggerTable } from '../../src/detect/trigger.js';
import { seed } from '../helpers/chunking.js';

const WINDOWS = ['ghp_', 'AKIA', 'ken=', 'x://', 'glpa', 'aaaa', 'abab'];
const table = new TriggerTable(WINDOWS.map((window) => ({ window, onHit: () => null })));

function reference(c: Uint8Array): number[] {
  const bg = table.bigram;
  const out: number[] = [];
  for (let p = 0; p + 3 < c.length; p++) {
    if (bg[(c[p] << 8) | c[p + 1]] & 1 && bg[(c[p + 1] << 8) | c[p + 2]] & 2 && bg[(c[p + 2] << 8) | c[p + 3]] & 4) out.push(p);
  }
  return out;
}

function sampled(c: Uint8Array): number[] {
  const out: number[] = [];
  table.sample(c, { triggerAt: (i) => out.push(i) });
  return out;
}

/** Text made of window pieces and a few other bytes, so near misses and overlaps are common. */
const textArb = fc
  .array(fc.oneof(fc.constantFrom(...WINDOWS, 'gh', 'p_', 'AK', 'IA', 'en=', 'ke', 'a', 'b', ':', '/'), fc.string({ maxLength: 3 })), { maxLength: 60 })
  .map((parts) => Uint8Array.from(parts.join(''), (ch) => ch.charCodeAt(0) & 0xff));

describe('detect first pass (sampled bigrams) == every-position reference', () => {
  it('random texts of window pieces, every length', () => {
    fc.assert(
      fc.property(textArb, (c) => {
        expect(sampled(c)).toEqual(reference(c));
      }),
      { seed: seed(), numRuns: 3000 },
    );
  });

  it('a window at every offset of chunks of every length around the 12-byte groups', () => {
    for (let n = 4; n <= 40; n++) {
      for (let p = 0; p + 4 <= n; p++) {
        const c = new Uint8Array(n).fill(0x2e);
        c.set([0x67, 0x68, 0x70, 0x5f], p); // ghp_
        expect(sampled(c), `n ${n}, window at ${p}`).toEqual([p]);
      }
    }
  });
});
