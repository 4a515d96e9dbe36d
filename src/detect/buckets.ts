/**
 * Which of the first-pass kernel's 8 buckets each trigger window goes into
 * (first-pass.wat, stage 1).
 *
 * A bucket accepts, at each window offset, every byte whose low nibble and
 * high nibble both occur among its windows' bytes there: the product of the
 * nibble sets, more than the windows themselves. `ghp_` and `gho_` share a
 * bucket for free (`p` 0x70, `o` 0x6f: the product adds only 0x60 and 0x7f);
 * `app-` with `ken=` also accepts `apn=`, `kep-` and `aun=`. Each passing position
 * costs an exact lookup, so the choice matters for speed only, never for
 * what is found.
 *
 * The cost of a bucket is the chance that a byte position of log text passes
 * it, under a fixed first-order model of log text: byte frequencies
 * (LOG_TEXT below: letters by English frequency, hex-heavy digits, spaces,
 * punctuation) and, for letter pairs, windows.ts's ranking of common bigrams
 * (a very common pair 8 times as likely as independent letters, a common one
 * 3 times). It was not fitted for this choice; the ranking itself was made
 * earlier, for the JavaScript loop's windows, from English and from log and
 * git output, the bench log among them. Against byte frequencies alone it lets 35 % fewer positions
 * through on the bench log and half as many on `git log -p` output.
 *
 * Windows that are spellings of one another (`ken=` `KeN=`) or differ at one
 * offset only (`eyJ0` `eyJ1`, `a://` `b://`) form one unit; units are placed
 * largest first into the bucket whose cost grows least, then moved one at a
 * time while a move lowers the total. Deterministic: the same windows in the
 * same order give the same buckets (another order may give others).
 */
import { PRECOMPUTED_BUCKETS } from './buckets-precomputed.js';
import { lower } from './bytes.js';
import { letterPairRank } from './windows.js';

export const BUCKETS = 8;

/** A prior of byte frequencies in log text (sums to about 1). */
const LOG_TEXT: Float64Array = (() => {
  const p = new Float64Array(256);
  const byFrequency = 'etaoinshrdlcumwfgypbvkjxqz';
  for (let i = 0; i < 26; i++) p[byFrequency.charCodeAt(i)] = (0.45 * 2 * (26 - i)) / (26 * 27);
  for (let i = 0; i < 26; i++) p[0x41 + i] = 0.06 / 26;
  for (let i = 0; i < 10; i++) p[0x30 + i] = 0.12 / 10;
  for (const c of 'abcdef') p[c.charCodeAt(0)] += 0.06 / 6; // hex digests
  p[0x20] = 0.15;
  p[0x0a] = 0.02;
  const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  for (const c of punctuation) p[c.charCodeAt(0)] += 0.2 / punctuation.length;
  return p;
})();

/**
 * The nibble sets of some windows: lo[o] and hi[o] as 16-bit masks, offset
 * o at index o (lo) and 4 + o (hi). A union of windows is the OR of theirs.
 */
type Nibbles = Int32Array;

function nibblesOf(windows: readonly Uint8Array[]): Nibbles {
  const n = new Int32Array(8);
  for (const w of windows) {
    for (let o = 0; o < 4; o++) {
      n[o] |= 1 << (w[o] & 15);
      n[4 + o] |= 1 << (w[o] >> 4);
    }
  }
  return n;
}

function union(a: Nibbles, b: Nibbles): Nibbles {
  const n = new Int32Array(8);
  for (let k = 0; k < 8; k++) n[k] = a[k] | b[k];
  return n;
}

/**
 * For each byte b, the bytes a after which b is likelier than on its own, and
 * by how much more (a very common letter pair of windows.ts's ranking 8
 * times as likely, a common one 3 times, in any case): LIFT_FROM[b] and
 * LIFT_BY[b] (the factor minus 1). Every other pair counts as independent.
 */
const LIFT_FROM: number[][] = Array.from({ length: 256 }, () => []);
const LIFT_BY: number[][] = Array.from({ length: 256 }, () => []);
for (let a = 0x61; a <= 0x7a; a++) {
  for (let b = 0x61; b <= 0x7a; b++) {
    const rank = letterPairRank(a, b);
    if (rank === 0) continue;
    for (const x of [a, a & ~0x20]) {
      for (const y of [b, b & ~0x20]) {
        LIFT_FROM[y].push(x);
        LIFT_BY[y].push(rank === 2 ? 7 : 2);
      }
    }
  }
}

/** The bytes a bucket with these nibble sets accepts at offset o, into `out`. */
function acceptedAt(n: Nibbles, o: number, out: number[]): void {
  out.length = 0;
  for (let hi = n[4 + o]; hi !== 0; hi &= hi - 1) {
    const row = (31 - Math.clz32(hi & -hi)) * 16; // byte = high nibble * 16 + low nibble
    for (let lo = n[o]; lo !== 0; lo &= lo - 1) out.push(row + 31 - Math.clz32(lo & -lo));
  }
}

const scratch = { prev: [] as number[], cur: [] as number[], f: new Float64Array(256), g: new Float64Array(256) };

/**
 * The chance that a position of log text passes a bucket with these nibble
 * sets (0 for an empty bucket): the model's sum over the accepted 4-grams,
 * one offset at a time. f[a]: the chance of the accepted prefixes so far
 * ending in byte a (zero for bytes not accepted); total: their sum.
 */
function cost(n: Nibbles): number {
  let { prev, cur, f, g } = scratch;
  acceptedAt(n, 0, prev);
  let total = 0;
  for (const a of prev) total += f[a] = LOG_TEXT[a];
  for (let o = 1; o < 4; o++) {
    acceptedAt(n, o, cur);
    let next = 0;
    for (const b of cur) {
      let sum = total;
      const from = LIFT_FROM[b];
      const by = LIFT_BY[b];
      for (let k = 0; k < from.length; k++) sum += f[from[k]] * by[k];
      next += g[b] = sum * LOG_TEXT[b];
    }
    for (const a of prev) f[a] = 0;
    [prev, cur] = [cur, prev];
    [f, g] = [g, f];
    total = next;
  }
  for (const a of prev) f[a] = 0;
  scratch.f = f;
  scratch.g = g;
  return total;
}

/** Windows (4 bytes each, distinct) grouped into units (lists of their indexes): spellings of one another, or equal but at one offset. */
function units(windows: readonly Uint8Array[]): number[][] {
  const parent = windows.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const joinBy = (key: (w: Uint8Array) => string) => {
    const first = new Map<string, number>();
    windows.forEach((w, i) => {
      const k = key(w);
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else parent[find(i)] = find(j);
    });
  };
  joinBy((w) => String.fromCharCode(...w.map(lower)));
  for (let o = 0; o < 4; o++) joinBy((w) => `${o}:${String.fromCharCode(...w.filter((_, k) => k !== o))}`);
  const groups = new Map<number, number[]>();
  windows.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g === undefined) groups.set(r, [i]);
    else g.push(i);
  });
  // Largest first; ties by first window (the order given decides which that is).
  const key = (u: number[]) => String.fromCharCode(...windows[u[0]]);
  return [...groups.values()].sort((a, b) => b.length - a.length || (key(a) < key(b) ? -1 : 1));
}

/**
 * The bucket of each window, in the order given: from PRECOMPUTED_BUCKETS
 * when it has every one of them (any set of detectors: their windows are a
 * subset of every detector's), else chosen now (chooseBuckets). The choice
 * takes 10-30 ms, which every process with detection on would pay at its
 * first scrubber: the command's start-up grew by that much before the
 * table. A test checks the table is chooseBuckets' answer for every
 * detector's windows (`npm run build && node
 * test/helpers/precompute-buckets.mjs --write` after changing a detector's
 * windows or the model: this file, windows.ts's ranking).
 */
export function bucketsFor(windows: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(windows.length);
  for (let i = 0; i < windows.length; i++) {
    const k = PRECOMPUTED_BUCKETS.get(String.fromCharCode(...windows[i]));
    if (k === undefined) return chooseBuckets(windows);
    out[i] = k;
  }
  return out;
}

/** The bucket (0 .. BUCKETS - 1) of each window, in the order given. */
export function chooseBuckets(windows: readonly Uint8Array[]): Uint8Array {
  const us = units(windows);
  const unitNibbles = us.map((u) => nibblesOf(u.map((i) => windows[i])));
  const unitBucket = new Int32Array(us.length);
  const bucketNibbles = (k: number, without = -1): Nibbles => {
    let n: Nibbles = new Int32Array(8);
    for (let i = 0; i < us.length; i++) if (unitBucket[i] === k && i !== without) n = union(n, unitNibbles[i]);
    return n;
  };
  const sets: Nibbles[] = Array.from({ length: BUCKETS }, () => new Int32Array(8));
  const costs = new Float64Array(BUCKETS);
  us.forEach((_, i) => {
    let best = 0;
    let bestCost = Infinity;
    let bestGrowth = Infinity;
    for (let k = 0; k < BUCKETS; k++) {
      const grownCost = cost(union(sets[k], unitNibbles[i]));
      if (grownCost - costs[k] < bestGrowth) {
        bestGrowth = grownCost - costs[k];
        bestCost = grownCost;
        best = k;
      }
    }
    sets[best] = union(sets[best], unitNibbles[i]);
    costs[best] = bestCost;
    unitBucket[i] = best;
  });
  // Moves that lower the total cost, one unit at a time (each strictly lowers it, so this ends).
  for (let moved = true, rounds = 0; moved && rounds < 32; rounds++) {
    moved = false;
    for (let i = 0; i < us.length; i++) {
      const from = unitBucket[i];
      const rest = bucketNibbles(from, i);
      const restCost = cost(rest);
      const saving = costs[from] - restCost;
      for (let k = 0; k < BUCKETS; k++) {
        if (k === from) continue;
        const grown = union(sets[k], unitNibbles[i]);
        const grownCost = cost(grown);
        if (grownCost - costs[k] < saving * (1 - 1e-9)) {
          sets[from] = rest;
          costs[from] = restCost;
          sets[k] = grown;
          costs[k] = grownCost;
          unitBucket[i] = k;
          moved = true;
          break;
        }
      }
    }
  }
  const out = new Uint8Array(windows.length);
  us.forEach((u, i) => {
    for (const w of u) out[w] = unitBucket[i];
  });
  return out;
}
