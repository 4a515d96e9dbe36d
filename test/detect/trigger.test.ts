/**
 * The first pass alone (trigger.ts and its WebAssembly kernel), against a
 * brute-force reference: for any chunk, `sample` reports exactly the starts p
 * (p + 3 < length) whose three bigrams are flagged at offsets 0, 1, 2, each
 * once, in increasing order. The reference looks at every position; the
 * pass reads one bigram in three. Both implementations are checked.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIECE } from '../../src/detect/first-pass-wasm.js';
import { TriggerTable } from '../../src/detect/trigger.js';
import { assembledModuleSource, KERNELS } from '../helpers/assemble-wasm.mjs';
import { seed } from '../helpers/chunking.js';

const WINDOWS = ['ghp_', 'AKIA', 'ken=', 'x://', 'glpa', 'aaaa', 'abab'];
const triggers = WINDOWS.map((window) => ({ window, onHit: () => null }));
const wasm = new TriggerTable(triggers);
const js = new TriggerTable(triggers, { wasm: false });

function reference(c: Uint8Array): number[] {
  const bg = js.bigram;
  const out: number[] = [];
  for (let p = 0; p + 3 < c.length; p++) {
    if (bg[(c[p] << 8) | c[p + 1]] & 1 && bg[(c[p + 1] << 8) | c[p + 2]] & 2 && bg[(c[p + 2] << 8) | c[p + 3]] & 4) out.push(p);
  }
  return out;
}

function sampled(table: TriggerTable, c: Uint8Array): number[] {
  const out: number[] = [];
  table.sample(c, { triggerAt: (i) => out.push(i) });
  return out;
}

const latin1 = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);

/** Text made of window pieces and a few other bytes (zero included), so near misses and overlaps are common. */
const textArb = fc
  .array(fc.oneof(fc.constantFrom(...WINDOWS, 'gh', 'p_', 'AK', 'IA', 'en=', 'ke', 'a', 'b', ':', '/', '\0'), fc.string({ maxLength: 3 })), { maxLength: 60 })
  .map((parts) => latin1(parts.join('')));

describe('detect first pass (sampled bigrams) == every-position reference', () => {
  it('runs the WebAssembly kernel here (Node has WebAssembly), and the JavaScript loop when asked', () => {
    expect(wasm.engine).toBe('wasm');
    expect(js.engine).toBe('js');
  });

  for (const [name, table] of [
    ['wasm', wasm],
    ['js', js],
  ] as const) {
    it(`${name}: random texts of window pieces, every length`, () => {
      fc.assert(
        fc.property(textArb, (c) => {
          expect(sampled(table, c)).toEqual(reference(c));
        }),
        { seed: seed(), numRuns: 3000 },
      );
    });

    it(`${name}: a window at every offset of chunks of every length around the 12-byte groups`, () => {
      for (let n = 4; n <= 40; n++) {
        for (let p = 0; p + 4 <= n; p++) {
          const c = new Uint8Array(n).fill(0x2e);
          c.set(latin1('ghp_'), p);
          expect(sampled(table, c), `n ${n}, window at ${p}`).toEqual([p]);
        }
      }
    });
  }

  it('wasm: chunks longer than a kernel piece, windows across every piece boundary', () => {
    const n = 3 * PIECE + 7;
    for (const b of [PIECE, 2 * PIECE, 3 * PIECE]) {
      for (let p = b - 4; p <= b + 1; p++) {
        const c = new Uint8Array(n).fill(0x2e);
        c.set(latin1('AKIA'), p);
        expect(sampled(wasm, c), `window at ${p}`).toEqual([p]);
      }
    }
    // And random long text: both implementations agree with the reference.
    const rnd = fc.sample(textArb, { seed: seed(), numRuns: 12000 });
    const long = latin1(rnd.map((b) => String.fromCharCode(...b)).join(''));
    expect(long.length).toBeGreaterThan(PIECE);
    expect(sampled(wasm, long)).toEqual(reference(long));
    expect(sampled(js, long)).toEqual(reference(long));
  });

  it('wasm: a sink may sample again (the nested call reuses the kernel memory; the outer one has read its starts)', () => {
    const outer = latin1('..ghp_....AKIA..ken=..');
    const inner = latin1('x://AKIA....ghp_........ken=...'); // three groups: overwrites every pair the outer call has
    const seen: number[] = [];
    const nested: number[][] = [];
    wasm.sample(outer, {
      triggerAt: (i) => {
        seen.push(i);
        nested.push(sampled(wasm, inner));
      },
    });
    expect(seen).toEqual(reference(outer));
    expect(nested).toEqual(seen.map(() => reference(inner)));
  });

  it('a window with a zero byte is refused (the kernel reads zeros around its input as unflagged)', () => {
    expect(() => new TriggerTable([{ window: 'ab\0c', onHit: () => null }])).toThrow(/zero byte/);
    expect(() => new TriggerTable([{ window: 'ab\u0100c', onHit: () => null }])).toThrow(/zero byte/); // latin1 byte 0 too
  });

  it('the committed kernel bytes are first-pass.wat assembled (run `node test/helpers/assemble-wasm.mjs --write` after editing it)', async () => {
    expect(readFileSync(KERNELS.firstPass.bytesModule, 'utf8')).toBe(await assembledModuleSource(KERNELS.firstPass));
  });
});
