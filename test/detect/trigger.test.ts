/**
 * The first pass alone (trigger.ts and its WebAssembly kernel), against a
 * brute-force reference: for any chunk, `sample` reports exactly the starts p
 * (p + 3 < length) of a window, each once, in increasing order. The
 * reference compares the 4 bytes at every position with every window; the
 * kernel filters 16 positions at a time by nibbles, the JavaScript loop
 * reads one bigram in three. Both implementations are checked.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstSlot, MAX_KERNEL_WINDOWS, PIECE } from '../../src/detect/first-pass-wasm.js';
import { TriggerTable, type Trigger } from '../../src/detect/trigger.js';
import { assembledModuleSource, KERNELS } from '../helpers/assemble-wasm.mjs';
import { MODULE_PATH, precomputedModuleSource } from '../helpers/precompute-buckets.mjs';
import { bucketsFor, chooseBuckets } from '../../src/detect/buckets.js';
import { everyTriggerWindow } from '../../src/detect/index.js';
import { seed } from '../helpers/chunking.js';

const WINDOWS = ['ghp_', 'AKIA', 'ken=', 'x://', 'glpa', 'aaaa', 'abab'];
const triggers = WINDOWS.map((window) => ({ window, onHit: () => null }));
const wasm = new TriggerTable(triggers);
const js = new TriggerTable(triggers, { wasm: false });

function reference(c: Uint8Array, windows: readonly string[] = WINDOWS): number[] {
  const out: number[] = [];
  for (let p = 0; p + 3 < c.length; p++) {
    const four = String.fromCharCode(c[p], c[p + 1], c[p + 2], c[p + 3]);
    if (windows.includes(four)) out.push(p);
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

describe('detect first pass == every-position reference', () => {
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

    it(`${name}: a window at every offset of chunks of every length around the 16-byte blocks (the loop's 12-byte groups)`, () => {
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
    const inner = latin1('x://AKIA....ghp_........ken=...'); // two kernel blocks: overwrites every pair the outer call has
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

  it('every detector\'s windows: random text of their pieces and other bytes', () => {
    const windows = everyTriggerWindow();
    const real: Trigger[] = windows.map((window) => ({ window, onHit: () => null }));
    expect(windows.length).toBeGreaterThan(200);
    const tables = [new TriggerTable(real), new TriggerTable(real, { wasm: false })];
    // Pieces of windows (halves, every spelling) and bytes of all values, so nibble look-alikes (`app/` for `app-`) are common.
    const pieces = windows.flatMap((w) => [w, w.slice(0, 2), w.slice(2), w.slice(1)]);
    const text = fc
      .array(fc.oneof(fc.constantFrom(...pieces), fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b))), { maxLength: 200 })
      .map((parts) => latin1(parts.join('')));
    fc.assert(
      fc.property(text, (c) => {
        const want = reference(c, windows);
        for (const t of tables) expect(sampled(t, c)).toEqual(want);
      }),
      { seed: seed(), numRuns: 2000 },
    );
  });

  it(`wasm: ${MAX_KERNEL_WINDOWS} windows (every bucket crowded, long probe chains in the kernel's hash)`, () => {
    const rnd = fc.sample(fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 4, maxLength: 4 }), { seed: seed(), numRuns: 6 * MAX_KERNEL_WINDOWS });
    const windows = [...new Set(rnd.map((b) => String.fromCharCode(...b)))].slice(0, MAX_KERNEL_WINDOWS);
    expect(windows.length).toBe(MAX_KERNEL_WINDOWS);
    const many = new TriggerTable(windows.map((window) => ({ window, onHit: () => null })));
    // Windows, their near misses (last byte changed) and random bytes.
    const parts = fc.sample(
      fc.oneof(
        fc.constantFrom(...windows),
        fc.constantFrom(...windows).map((w) => w.slice(0, 3) + String.fromCharCode((w.charCodeAt(3) % 255) + 1)),
        fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)),
      ),
      { seed: seed(), numRuns: 40000 },
    );
    const c = latin1(parts.join(''));
    expect(c.length).toBeGreaterThan(PIECE);
    expect(sampled(many, c)).toEqual(reference(c, windows));
    expect(() => new TriggerTable([...windows, '\x01\x01\x01\x01', '\x01\x01\x01\x02'].map((window) => ({ window, onHit: () => null })))).toThrow(/at most 2048 windows/);
  });

  it('wasm: bytes a longer piece left in the kernel memory never complete a window of a shorter one', () => {
    // First a piece with `ghp_` at 1, then shorter ones that are its first bytes: read with the stale
    // bytes after them, `ghp_` would start at 1 again.
    const long = new Uint8Array(PIECE + 3).fill(0x2e);
    long.set(latin1('.ghp_'), 0);
    expect(sampled(wasm, long)).toEqual([1]);
    expect(sampled(wasm, latin1('zghp'))).toEqual([]);
    expect(sampled(wasm, latin1('zgh'))).toEqual([]);
    expect(sampled(wasm, latin1('zghp_'))).toEqual([1]);
  });

  it('wasm: windows whose hash chain wraps from the last slot to the first', () => {
    // Three windows whose first slot is the last one (4095): the second and third are probed at slots 0 and 1.
    const windows: string[] = [];
    for (let k = 0x01010101; windows.length < 3; k++) {
      const b = [k & 0xff, (k >>> 8) & 0xff, (k >>> 16) & 0xff, k >>> 24];
      if (!b.includes(0) && firstSlot(k | 0) === 4095) windows.push(String.fromCharCode(...b));
    }
    const wrapped = new TriggerTable(windows.map((window) => ({ window, onHit: () => null })));
    const c = latin1(`..${windows.join('.')}..`);
    expect(sampled(wrapped, c)).toEqual([2, 7, 12]);
    expect(reference(c, windows)).toEqual([2, 7, 12]);
  });

  it('a window with a zero byte is refused (the kernel\'s hash marks an empty slot with key 0)', () => {
    expect(() => new TriggerTable([{ window: 'ab\0c', onHit: () => null }])).toThrow(/zero byte/);
    expect(() => new TriggerTable([{ window: 'ab\u0100c', onHit: () => null }])).toThrow(/zero byte/); // latin1 byte 0 too
  });

  it('the committed kernel bytes are first-pass.wat assembled (run `node test/helpers/assemble-wasm.mjs --write` after editing it)', async () => {
    expect(readFileSync(KERNELS.firstPass.bytesModule, 'utf8')).toBe(await assembledModuleSource(KERNELS.firstPass));
  });

  it('the committed precomputed buckets are chooseBuckets\' answer for every detector\'s windows (run `npm run build && node test/helpers/precompute-buckets.mjs --write` after changing either)', () => {
    const windows = everyTriggerWindow();
    const buckets = chooseBuckets(windows.map(latin1));
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(precomputedModuleSource(windows, buckets));
  });

  it('bucketsFor: any subset of every detector\'s windows takes the precomputed buckets; other windows are chosen then', () => {
    const all = everyTriggerWindow().map(latin1);
    const full = chooseBuckets(all);
    const subset = all.filter((_, i) => i % 3 === 0);
    expect([...bucketsFor(subset)]).toEqual(subset.map((w) => full[all.indexOf(w)]));
    const other = ['wxyz', 'qrst', ...everyTriggerWindow().slice(0, 5)].map(latin1);
    expect([...bucketsFor(other)]).toEqual([...chooseBuckets(other)]);
  });
});
