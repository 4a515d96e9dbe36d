import fc from 'fast-check';

/** Splits `input` at the given cut points (any order, duplicates allowed: empty chunks are writes too). */
export function splitAt(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = cuts.map((c) => Math.min(input.length, Math.max(0, c))).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    chunks.push(input.subarray(prev, p));
    prev = p;
  }
  chunks.push(input.subarray(prev));
  return chunks;
}

export function oneByteChunks(input: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < input.length; i++) chunks.push(input.subarray(i, i + 1));
  return chunks;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length))));
}

/** Cut points for an input of up to `maxLen` bytes. */
export const cutsArb = (maxLen: number) => fc.array(fc.nat({ max: maxLen }), { maxLength: 12 });

/** Number of property runs: fixed in `npm test`, larger under `npm run fuzz`. */
export function runs(base: number): number {
  const factor = Number(process.env.SCRUB_FUZZ_FACTOR ?? '1');
  return Math.max(1, Math.round(base * factor));
}

/** Fixed seed for `npm test`; `npm run fuzz` passes a random one (printed on failure by fast-check). */
export function seed(): number {
  return process.env.SCRUB_FUZZ_SEED ? Number(process.env.SCRUB_FUZZ_SEED) : 20261126;
}
