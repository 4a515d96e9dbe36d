/**
 * Exact references for the decoded-view lanes, written independently of the
 * engine: decode the whole input the lane's way (left to right, an edit
 * wherever its rule matches), find every occurrence of every pattern in the
 * view (naively), map each back to the stream range of its first and last
 * view byte, and union-mask those ranges with the raw occurrences.
 *
 * The rules, as DESIGN.md states them:
 *   base64-wrapped  CR{0,2} LF then up to 32 of [ \t>#|], after 16 base64 chars -> nothing
 *   percent         %XX (hex, either case) -> the byte
 *   percent-plus    as percent, and + -> space
 *   entities        &amp; &lt; &gt; &quot; &apos; &#D{1,7}; &#xH{1,6}; -> UTF-8 of the character
 */
export type ReferenceLane = 'base64-wrapped' | 'percent' | 'percent-plus' | 'entities';

interface View {
  bytes: number[];
  /** Stream range [srcStart, srcEnd) each view byte came from. */
  srcStart: number[];
  srcEnd: number[];
}

const B64 = /^[A-Za-z0-9+/\-_=]{16}$/;
const JOINT = /^\r{0,2}\n[ \t>#|]{0,32}/;
const PCT = /^%[0-9a-fA-F]{2}/;
const NAMED: Record<string, number> = { amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27 };
const ENTITY = /^&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/;

/** The edit at `i`: [length in stream bytes, view bytes], or null. */
function editAt(text: string, i: number, lane: ReferenceLane): [number, number[]] | null {
  const rest = text.slice(i, i + 40);
  switch (lane) {
    case 'base64-wrapped': {
      if (i < 16 || !B64.test(text.slice(i - 16, i))) return null;
      const m = JOINT.exec(rest);
      return m ? [m[0].length, []] : null;
    }
    case 'percent':
    case 'percent-plus': {
      if (lane === 'percent-plus' && rest[0] === '+') return [1, [0x20]];
      const m = PCT.exec(rest);
      return m ? [3, [parseInt(m[0].slice(1), 16)]] : null;
    }
    case 'entities': {
      const m = ENTITY.exec(rest);
      if (!m) return null;
      const cp = m[1] ? NAMED[m[1]] : parseInt(m[2] ?? m[3], m[2] ? 10 : 16);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
      return [m[0].length, [...Buffer.from(String.fromCodePoint(cp), 'utf8')]];
    }
  }
}

export function decodeView(input: Uint8Array, lane: ReferenceLane): View {
  const text = Buffer.from(input).toString('latin1');
  const view: View = { bytes: [], srcStart: [], srcEnd: [] };
  let i = 0;
  while (i < input.length) {
    const edit = editAt(text, i, lane);
    if (edit) {
      for (const b of edit[1]) {
        view.bytes.push(b);
        view.srcStart.push(i);
        view.srcEnd.push(i + edit[0]);
      }
      i += edit[0];
    } else {
      view.bytes.push(input[i]);
      view.srcStart.push(i);
      view.srcEnd.push(i + 1);
      i++;
    }
  }
  return view;
}

/** Inclusive stream ranges covered by occurrences of `patterns` in the lane's view of `input`. */
export function laneOccurrences(input: Uint8Array, patterns: readonly Uint8Array[], lane: ReferenceLane): Array<[number, number]> {
  const v = decodeView(input, lane);
  const found: Array<[number, number]> = [];
  for (const p of patterns) {
    if (p.length === 0) continue;
    for (let i = 0; i + p.length <= v.bytes.length; i++) {
      let j = 0;
      while (j < p.length && v.bytes[i + j] === p[j]) j++;
      if (j === p.length) found.push([v.srcStart[i], v.srcEnd[i + p.length - 1] - 1]);
    }
  }
  return found;
}

/** Raw occurrences (the exact scan), as inclusive ranges. */
export function rawOccurrences(input: Uint8Array, patterns: readonly Uint8Array[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const p of patterns) {
    if (p.length === 0) continue;
    for (let i = 0; i + p.length <= input.length; i++) {
      let j = 0;
      while (j < p.length && input[i + j] === p[j]) j++;
      if (j === p.length) found.push([i, i + p.length - 1]);
    }
  }
  return found;
}

/** Replaces each maximal run of covered bytes with the mask. */
export function maskRuns(input: Uint8Array, covered: Uint8Array, mask: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    if (!covered[i]) out.push(input[i]);
    else if (i === 0 || !covered[i - 1]) out.push(...mask);
  }
  return Uint8Array.from(out);
}

/** The whole reference: raw occurrences plus every lane's, union-masked. */
export function referenceScrubWithLanes(
  input: Uint8Array,
  patterns: readonly Uint8Array[],
  lanes: readonly ReferenceLane[],
  mask: Uint8Array,
): Uint8Array {
  const covered = new Uint8Array(input.length);
  const ranges = rawOccurrences(input, patterns);
  for (const lane of lanes) ranges.push(...laneOccurrences(input, patterns, lane));
  for (const [s, e] of ranges) covered.fill(1, s, e + 1);
  return maskRuns(input, covered, mask);
}

/** The lanes a resolved variant list turns on, by reference name. */
export function referenceLanesFor(variants: readonly string[]): ReferenceLane[] {
  const lanes: ReferenceLane[] = [];
  if (variants.includes('base64-wrapped')) lanes.push('base64-wrapped');
  if (variants.includes('percent')) lanes.push('percent', 'percent-plus');
  if (variants.includes('entities')) lanes.push('entities');
  return lanes;
}
