/**
 * The wrapped-base64 lane's joint search: the WebAssembly kernel
 * (wrapped-base64-joints.wat) against a plain reference written here, and
 * the lane's two search paths (kernel, JavaScript loop) against each other
 * for every starting position. The lane property tests (lanes.property.test)
 * run the kernel path against the lanes' exact reference.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrappedBase64Decoder } from '../src/engine/lanes/wrapped-base64.js';
import { JointKernel, PIECE } from '../src/engine/lanes/wrapped-base64-joints.js';
import { assembledModuleSource, KERNELS } from './helpers/assemble-wasm.mjs';
import { runs, seed } from './helpers/chunking.js';
import { assertFreshDist, DIST_ENTRY_URL } from './helpers/dist.js';
import { checksummed, seeded } from './helpers/detect-tokens.js';

const BASE64 = new Set(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_='));

/** Every LF at index >= 18 whose 16 bytes before its CRs (at most two) are all base64. */
function referenceJoints(buf: Uint8Array): number[] {
  const out: number[] = [];
  for (let j = 18; j < buf.length; j++) {
    if (buf[j] !== 0x0a) continue;
    let e = j;
    if (buf[e - 1] === 0x0d) e--;
    if (buf[e - 1] === 0x0d) e--;
    let all = true;
    for (let k = e - 16; k < e; k++) if (!BASE64.has(buf[k])) all = false;
    if (all) out.push(j);
  }
  return out;
}

const kernel = JointKernel.shared();

/** Lines of random classes and lengths around 16: base64 runs, bytes next to the base64 ranges, CRs, zeros, high bytes. */
const linesArb = fc
  .array(
    fc.record({
      body: fc.array(fc.constantFrom(...Buffer.from('AZaz09+/-_=,.:;<>?@[]^`{|}~ !*\r\t\0\x7f\x80\xff')), { minLength: 0, maxLength: 40 }),
      run: fc.integer({ min: 0, max: 24 }),
      crs: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 60 },
  )
  .map((lines) => {
    const bytes: number[] = [];
    for (const l of lines) {
      bytes.push(...l.body);
      for (let i = 0; i < l.run; i++) bytes.push(Buffer.from('QUJD+/-_=09az')[i % 13]);
      for (let i = 0; i < l.crs; i++) bytes.push(0x0d);
      bytes.push(0x0a);
    }
    return Uint8Array.from(bytes);
  });

describe.skipIf(kernel === null)('wrapped-base64 joint kernel', () => {
  it('classifies every byte value as base64 or not exactly as the lane does', () => {
    // For each byte value b: 17 base64 bytes, b, 15 base64 bytes, LF; b is in the 16 bytes before the LF.
    const parts: number[] = [];
    for (let b = 0; b < 256; b++) parts.push(...Buffer.from('A'.repeat(17)), b, ...Buffer.from('B'.repeat(15)), 0x0a);
    const buf = Uint8Array.from(parts);
    const [found, n] = kernel!.find(buf, new Int32Array(4));
    expect(Array.from(found.subarray(0, n))).toEqual(referenceJoints(buf));
    // Each base64 b keeps its line's run; b = LF ends a run of 17 A's, a joint of its own; any other byte breaks it.
    expect(n).toBe(BASE64.size + 1);
  });

  it('== reference on random lines, and across pieces (buffers over 64 KiB)', () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 2 }), (block, pieces) => {
        // Pad so that the block straddles piece boundaries when pieces > 0.
        const pad = new Uint8Array(Math.max(0, pieces * PIECE - 10 - Math.floor(block.length / 2))).fill(0x41);
        const buf = Uint8Array.from([...pad, ...block, ...block]);
        const [found, n] = kernel!.find(buf, new Int32Array(1));
        expect(Array.from(found.subarray(0, n))).toEqual(referenceJoints(buf));
      }),
      { seed: seed(), numRuns: runs(150) },
    );
  });

  it('== reference with many LFs per 64-byte group, at every offset across its 4 KiB blocks', () => {
    // Lines of 0 to 21 base64 bytes (so groups with 0 to 64 LFs; a line of 16 or more is a joint), some with
    // CRs, shifted by every amount up to 64 across three block boundaries of the kernel and one piece boundary.
    const lines: number[] = [];
    for (let i = 0; lines.length < 3 * 4096 + 300; i++) {
      const len = (i * 7) % 22;
      for (let k = 0; k < len; k++) lines.push(Buffer.from('QUJD+/09az_-')[(i + k) % 12]);
      if (i % 5 === 0) lines.push(0x0d);
      lines.push(0x0a);
      if (i % 97 === 0) for (let k = 0; k < 70; k++) lines.push(0x0a); // a group of LFs only
    }
    for (let shift = 0; shift < 64; shift++) {
      const buf = Uint8Array.from([...new Array<number>(shift).fill(0x41), ...lines]);
      const [found, n] = kernel!.find(buf, new Int32Array(1));
      expect(Array.from(found.subarray(0, n))).toEqual(referenceJoints(buf));
    }
    const big = Uint8Array.from([...new Array<number>(PIECE - 4096).fill(0x20), ...lines]);
    const [found, n] = kernel!.find(big, new Int32Array(1));
    expect(Array.from(found.subarray(0, n))).toEqual(referenceJoints(big));
  });

  it('== reference on a whole piece of LFs with a few joints (every block lists 4,096 LFs)', () => {
    // The most a block can list: a bigger block would overrun the list into the piece itself.
    const buf = new Uint8Array(PIECE + 18).fill(0x0a);
    for (const at of [100, 4090, 13000, 40000, PIECE - 30]) buf.fill(0x41, at, at + 16);
    const [found, n] = kernel!.find(buf, new Int32Array(1));
    expect(Array.from(found.subarray(0, n))).toEqual(referenceJoints(buf));
    expect(n).toBe(5);
  });

  it('the lane finds the same triggers through the kernel as through its JavaScript loop, from every position', () => {
    fc.assert(
      fc.property(linesArb, (buf) => {
        const viaKernel = wrappedBase64Decoder(kernel);
        const viaJs = wrappedBase64Decoder(null);
        viaKernel.startBuffer?.();
        viaJs.startBuffer?.();
        const a: number[] = [];
        const b: number[] = [];
        // Every from in order (as the lane searches), then again from 0 (a search that moves back).
        for (const from of [...buf.keys(), 0, 1]) {
          a.push(viaKernel.findTrigger(buf, from, buf.length));
          b.push(viaJs.findTrigger(buf, from, buf.length));
        }
        expect(a).toEqual(b);
      }),
      { seed: seed(), numRuns: runs(200) },
    );
  });

  it('what a longer buffer left in the kernel after a shorter one is never reported', () => {
    const long = Uint8Array.from(Buffer.from(`${'QUJD'.repeat(10)}\n${'QUJD'.repeat(10)}\n`));
    const short = long.subarray(0, 40); // ends just before the first LF, which is still in the kernel's memory
    kernel!.find(long, new Int32Array(4));
    const [found, n] = kernel!.find(short, new Int32Array(4));
    expect(Array.from(found.subarray(0, n))).toEqual([]);
  });

  it('a new buffer in the same place is searched afresh (startBuffer forgets the last one)', () => {
    const d = wrappedBase64Decoder(kernel);
    const buf = Uint8Array.from(Buffer.from(`${'x'.repeat(30)} text line\n${'QUJD'.repeat(5)}\nmore\n`));
    d.startBuffer?.();
    const first = d.findTrigger(buf, 20, buf.length);
    buf.set(Buffer.from('.'), 60); // the base64 line now ends in a non-base64 byte
    d.startBuffer?.();
    expect(first).toBe(buf.indexOf(0x0a, 45));
    expect(d.findTrigger(buf, 20, buf.length)).toBe(-1);
  });

  it('the committed kernel bytes are wrapped-base64-joints.wat assembled (run `node test/helpers/assemble-wasm.mjs --write` after editing it)', async () => {
    expect(readFileSync(KERNELS.joints.bytesModule, 'utf8')).toBe(await assembledModuleSource(KERNELS.joints));
  });
});

describe('without WebAssembly (node --jitless)', () => {
  it('both kernels fall back to their JavaScript loops and mask the same (a wrapped key, a detected token)', () => {
    assertFreshDist();
    const token = checksummed(seeded(9), 'ghp_');
    const script = `
      const { createScrubber } = await import(${JSON.stringify(DIST_ENTRY_URL)});
      const secret = 'fake-wrapped-secret-' + 'x'.repeat(160);
      const wrapped = Buffer.from(secret).toString('base64').replace(/.{64}/g, '$&\\n'); // 64 columns: each joint found by the search, not as a line too near its start
      const s = createScrubber({ secrets: [secret] });
      const session = s.session();
      const input = Buffer.from('key:\\n' + wrapped + '\\ntoken ${token} end\\n');
      let out = '';
      for (let i = 0; i < input.length; i += 100) out += Buffer.from(session.write(input.subarray(i, i + 100))).toString(); // chunks longer than a line: the search, not parse, finds joints
      out += Buffer.from(session.end()).toString();
      console.log(JSON.stringify({ wasm: typeof WebAssembly, leaked: out.includes(wrapped.slice(0, 16)) || out.includes(wrapped.slice(-20, -4)), out }));
    `;
    const run = (flags: string[]) => {
      const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { wasm: string; leaked: boolean; out: string };
    };
    const jitless = run(['--jitless']);
    const normal = run([]);
    expect(jitless.wasm).toBe('undefined');
    expect(normal.wasm).toBe('object');
    expect(jitless.leaked).toBe(false);
    expect(jitless.out).toBe(normal.out);
    expect(jitless.out).toContain('key:\n***');
    expect(jitless.out).toContain('token ghp_*** end');
  });
});
