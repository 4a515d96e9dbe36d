// Correctness checks printed next to every timing: the expected output
// (every planted secret of the set replaced by the mask, nothing else changed)
// and how many planted secrets survive in a contender's output.
import { createHash } from 'node:crypto';

export const MASK = '***';
const MASK_BYTES = Buffer.from(MASK);

/** Plants of secrets in the first `n` of the list that lie wholly inside `length` bytes. */
export function plantsFor(plants, n, length) {
  return plants.filter((p) => p.j < n && p.at + p.len <= length);
}

/** Hash and length of the reference output for `input` (already cut to the prefix). */
export function reference(input, plants, n) {
  const hash = createHash('sha256');
  let last = 0;
  let bytes = 0;
  for (const p of plantsFor(plants, n, input.length)) {
    hash.update(input.subarray(last, p.at));
    hash.update(MASK_BYTES);
    bytes += p.at - last + MASK_BYTES.length;
    last = p.at + p.len;
  }
  hash.update(input.subarray(last));
  bytes += input.length - last;
  return { sha256: hash.digest('hex'), bytes };
}

function countOccurrences(hay, needle) {
  let count = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) count++;
  return count;
}

/**
 * Compares `out` (a Buffer) with the reference. Returns
 * { identical, leaks, outBytes, refBytes, planted } where `leaks` counts the
 * occurrences of planted secrets (of this set, inside this prefix) still in the output.
 */
export function verify(out, input, plants, n, secrets) {
  const ref = reference(input, plants, n);
  const sha = createHash('sha256').update(out).digest('hex');
  const inside = plantsFor(plants, n, input.length);
  const distinct = [...new Set(inside.map((p) => p.j))];
  let leaks = 0;
  for (const j of distinct) leaks += countOccurrences(out, Buffer.from(secrets[j]));
  return { identical: sha === ref.sha256, leaks, outBytes: out.length, refBytes: ref.bytes, planted: inside.length };
}
