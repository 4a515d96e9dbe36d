/**
 * A deliberately simple reference scrubber: mark every byte of every
 * occurrence of every pattern (naive search at every offset), then replace
 * each maximal run of marked bytes with the mask. Slow and obviously right.
 */
export function referenceScrub(input: Uint8Array, patterns: readonly Uint8Array[], mask: Uint8Array): Uint8Array {
  const covered = new Uint8Array(input.length);
  for (const p of patterns) {
    if (p.length === 0) continue;
    for (let i = 0; i + p.length <= input.length; i++) {
      let j = 0;
      while (j < p.length && input[i + j] === p[j]) j++;
      if (j === p.length) covered.fill(1, i, i + p.length);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    if (!covered[i]) out.push(input[i]);
    else if (i === 0 || !covered[i - 1]) out.push(...mask);
  }
  return Uint8Array.from(out);
}

/** All (start, end-exclusive) occurrences of needle in haystack. */
export function occurrences(haystack: Uint8Array, needle: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    let j = 0;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) found.push(i);
  }
  return found;
}

export function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;
}
