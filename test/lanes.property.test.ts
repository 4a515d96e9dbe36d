/**
 * The decoded-view lanes against the exact reference in test/helpers/lanes-reference.ts:
 * for random secrets, random renderings (wrapped base64 with prefixes, percent
 * with random escaping, entities with random forms), random chunkings (1-byte
 * included) and add()/compact() at random points, the streamed output equals
 * the reference (not merely the one-shot output), and held bytes stay within
 * each lane's documented bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import type { LaneVariant } from '../src/engine/lanes/index.js';
import { concat, cutsArb, oneByteChunks, runs, seed, splitAt } from './helpers/chunking.js';
import {
  laneOccurrences,
  maskRuns,
  rawOccurrences,
  referenceLanesFor,
  referenceScrubWithLanes,
  type ReferenceLane,
} from './helpers/lanes-reference.js';

const MASK = Uint8Array.from([0x7e]); // '~': never in a secret here, never a trigger
const enc = new TextEncoder();

function engine(lanes: readonly LaneVariant[], secrets: string[], tuning?: { minRecent?: number; denseBudget?: number }, historyBytes?: number) {
  const e = new ScrubberEngine({ mask: MASK, minLength: 1, expand: (s) => [trimBytes(s)], lanes: new Set(lanes), tuning, historyBytes });
  for (const s of secrets) e.add(s);
  return e;
}

/** The documented holdback bound of each lane (DESIGN.md, Lanes), for the longest pattern. */
function holdBound(lanes: readonly LaneVariant[], maxLen: number): number {
  let bound = Math.max(0, maxLen - 1);
  if (lanes.includes('base64-wrapped')) bound = Math.max(bound, maxLen + (Math.floor(maxLen / 16) + 1) * 35 + 35);
  if (lanes.includes('percent')) bound = Math.max(bound, 3 * maxLen + 2);
  if (lanes.includes('entities')) bound = Math.max(bound, 10 * maxLen + 9);
  return bound;
}

function stream(e: ScrubberEngine, chunks: Uint8Array[], bound: number): Uint8Array {
  const s = e.session();
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    out.push(s.write(c));
    expect(s.heldBytes).toBeLessThanOrEqual(bound);
  }
  out.push(s.end());
  return concat(out);
}

// --- renderings -------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64Text = (min: number, max: number) => fc.array(fc.constantFrom(...B64.slice(0, 6), '+', '/', '='), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Text wrapped at `width` with `eol`, every line after the first starting with `prefix`. */
function wrap(text: string, width: number, eol: string, prefix: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join(eol + prefix);
}

const wrappedArb = (secretsArb: fc.Arbitrary<string[]>) =>
  fc.record({
    secrets: secretsArb,
    blocks: fc.array(
      fc.record({
        lead: fc.constantFrom('', 'x = ', 'data: ', '  '),
        before: b64Text(0, 20),
        which: fc.nat(),
        after: b64Text(0, 20),
        width: fc.integer({ min: 14, max: 24 }),
        eol: fc.constantFrom('\n', '\r\n', '\r\r\n', '\r\r\r\n', '\r'),
        prefix: fc.constantFrom('', '  ', '> ', '\t', '# ', ' '.repeat(32), ' '.repeat(33)),
        tail: fc.constantFrom('\n', 'end\n', '', '\r', '\n\n'),
      }),
      { maxLength: 3 },
    ),
  });

/** A secret over base64 characters (the wrapped lane joins base64 lines; exact patterns here). */
const b64Secrets = fc.array(b64Text(3, 12), { minLength: 1, maxLength: 3 });

const ESCAPABLE = ['a', 'b', ' ', '+', '%', '&', '<', "'", 'é'];
const textSecrets = fc.array(fc.array(fc.constantFrom(...ESCAPABLE), { minLength: 2, maxLength: 6 }).map((a) => a.join('')), {
  minLength: 1,
  maxLength: 3,
});

/** Percent-encodes each byte or not, upper or lower hex, space as + or %20 or itself. */
function percentRender(text: string, choices: number[]): string {
  let out = '';
  let k = 0;
  for (const b of Buffer.from(text, 'utf8')) {
    const c = choices[k++ % choices.length];
    const hex = b.toString(16).padStart(2, '0');
    if (b === 0x20 && c % 4 === 0) out += '+';
    else if (c % 3 === 0) out += Buffer.from([b]).toString('latin1');
    else out += '%' + (c % 2 ? hex.toUpperCase() : hex);
  }
  return out;
}

/** Entity-escapes each character or not: named, decimal (zero-padded or not), hex. */
function entityRender(text: string, choices: number[]): string {
  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  let out = '';
  let k = 0;
  for (const ch of text) {
    const c = choices[k++ % choices.length];
    const cp = ch.codePointAt(0) as number;
    if (c % 5 === 0) out += ch;
    else if (c % 5 === 1 && named[ch]) out += named[ch];
    else if (c % 5 === 2) out += `&#${cp};`;
    else if (c % 5 === 3) out += `&#${String(cp).padStart(4, '0')};`;
    else out += `&#x${cp.toString(16)};`;
  }
  return out;
}

const latin1Bytes = (s: string) => Buffer.from(s, 'latin1');

function buildWrapped({ secrets, blocks }: { secrets: string[]; blocks: Array<Record<string, any>> }): Uint8Array {
  let text = 'start\n';
  for (const b of blocks) text += b.lead + wrap(b.before + secrets[b.which % secrets.length] + b.after, b.width, b.eol, b.prefix) + b.tail;
  return latin1Bytes(text);
}

const escapedArb = fc.record({
  secrets: textSecrets,
  pieces: fc.array(
    fc.oneof(
      fc.array(fc.constantFrom(...ESCAPABLE, '%2', '&#', '&am', '%zz'), { maxLength: 4 }).map((a) => ({ filler: a.join('') })),
      fc.record({ which: fc.nat(), how: fc.constantFrom('raw', 'percent', 'entities'), choices: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }),
    ),
    { maxLength: 6 },
  ),
});

function buildEscaped({ secrets, pieces }: { secrets: string[]; pieces: Array<Record<string, any>> }): Uint8Array {
  const parts: Buffer[] = [];
  for (const p of pieces) {
    if ('filler' in p) parts.push(Buffer.from(p.filler, 'utf8'));
    else {
      const s = secrets[p.which % secrets.length];
      const r = p.how === 'raw' ? s : p.how === 'percent' ? percentRender(s, p.choices) : entityRender(s, p.choices);
      parts.push(p.how === 'raw' ? Buffer.from(r, 'utf8') : Buffer.from(r, 'latin1'));
    }
  }
  return Buffer.concat(parts);
}

const patternsOf = (secrets: string[]) => secrets.map((s) => trimBytes(enc.encode(s))).filter((p) => p.length > 0);
const maxLenOf = (secrets: string[]) => Math.max(...patternsOf(secrets).map((p) => p.length));

// --- properties -----------------------------------------------------------------

describe('lanes == exact reference', () => {
  const cases: Array<{ lanes: LaneVariant[]; arb: fc.Arbitrary<Uint8Array & { secrets?: string[] }>; name: string }> = [];
  void cases;

  it('base64-wrapped: stream (random and 1-byte chunking) == one-shot == reference', () => {
    fc.assert(
      fc.property(wrappedArb(b64Secrets), cutsArb(300), fc.constantFrom(undefined, 1), (c, cuts, historyBytes) => {
        const input = buildWrapped(c);
        const lanes: LaneVariant[] = ['base64-wrapped'];
        // historyBytes 1: the session keeps only what the lanes' bounds need.
        const e = engine(lanes, c.secrets, undefined, historyBytes);
        const expected = Buffer.from(referenceScrubWithLanes(input, patternsOf(c.secrets), referenceLanesFor(lanes), MASK));
        const bound = holdBound(lanes, maxLenOf(c.secrets));
        expect(Buffer.from(e.scrub(input))).toEqual(expected);
        expect(Buffer.from(stream(e, splitAt(input, cuts), bound))).toEqual(expected);
        expect(Buffer.from(stream(e, oneByteChunks(input), bound))).toEqual(expected);
      }),
      { seed: seed(), numRuns: runs(400) },
    );
  });

  for (const lanes of [['percent'], ['entities'], ['percent', 'entities', 'base64-wrapped']] as LaneVariant[][]) {
    it(`${lanes.join(' + ')}: stream (random and 1-byte chunking) == one-shot == reference`, () => {
      fc.assert(
        fc.property(escapedArb, cutsArb(200), fc.constantFrom(undefined, 1), (c, cuts, historyBytes) => {
          const input = buildEscaped(c);
          const e = engine(lanes, c.secrets, undefined, historyBytes);
          const expected = Buffer.from(referenceScrubWithLanes(input, patternsOf(c.secrets), referenceLanesFor(lanes), MASK));
          const bound = holdBound(lanes, maxLenOf(c.secrets));
          expect(Buffer.from(e.scrub(input))).toEqual(expected);
          expect(Buffer.from(stream(e, splitAt(input, cuts), bound))).toEqual(expected);
          expect(Buffer.from(stream(e, oneByteChunks(input), bound))).toEqual(expected);
        }),
        { seed: seed(), numRuns: runs(400) },
      );
    });
  }

  it('the references see what they should (a rendering is found only in its own lane)', () => {
    const secret = "a b+'&é";
    const pct = latin1Bytes(`x${percentRender(secret, [1, 2])}y`);
    const ent = latin1Bytes(`x${entityRender(secret, [4, 2])}y`);
    const p = patternsOf([secret]);
    expect(rawOccurrences(pct, p)).toEqual([]);
    expect(laneOccurrences(pct, p, 'percent')).toEqual([[1, pct.length - 2]]);
    expect(laneOccurrences(ent, p, 'percent')).toEqual([]);
    expect(laneOccurrences(ent, p, 'entities')).toEqual([[1, ent.length - 2]]);
  });
});

// --- dynamic adds ------------------------------------------------------------------

/**
 * Reference for a schedule of writes with add()/compact() between them: a
 * secret added when the session's frontier was F covers its occurrences (raw
 * and in every lane) from F on; one present from the start, from 0.
 */
function referenceWithAdds(input: Uint8Array, added: Array<{ secret: string; frontier: number }>, lanes: ReferenceLane[]): Uint8Array {
  const covered = new Uint8Array(input.length);
  for (const { secret, frontier } of added) {
    const p = patternsOf([secret]);
    const ranges = rawOccurrences(input, p);
    for (const lane of lanes) ranges.push(...laneOccurrences(input, p, lane));
    for (const [s, e] of ranges) if (e >= frontier) covered.fill(1, Math.max(s, frontier), e + 1);
  }
  return maskRuns(input, covered, MASK);
}

const scheduleArb = fc.array(fc.record({ at: fc.nat(), which: fc.nat(), compact: fc.boolean() }), { minLength: 1, maxLength: 4 });

function runSchedule(
  input: Uint8Array,
  secrets: string[],
  initial: number,
  schedule: Array<{ at: number; which: number; compact: boolean }>,
  cuts: number[],
  lanes: LaneVariant[],
  chunking: 'cuts' | 'bytes',
) {
  const start = secrets.slice(0, initial);
  const e = engine(lanes, start, { minRecent: 1 });
  const s = e.session();
  const added = start.map((secret) => ({ secret, frontier: 0 }));
  const chunks = chunking === 'bytes' ? oneByteChunks(input) : splitAt(input, cuts);
  const adds = new Map<number, Array<{ which: number; compact: boolean }>>();
  for (const a of schedule) {
    const k = a.at % (chunks.length + 1);
    adds.set(k, [...(adds.get(k) ?? []), a]);
  }
  const out: Uint8Array[] = [];
  let written = 0;
  const bound = holdBound(lanes, maxLenOf(secrets));
  for (let k = 0; k <= chunks.length; k++) {
    for (const a of adds.get(k) ?? []) {
      const secret = secrets[a.which % secrets.length];
      e.add(secret);
      added.push({ secret, frontier: written - s.heldBytes });
      if (a.compact) e.compact();
    }
    if (k === chunks.length) break;
    out.push(s.write(chunks[k]));
    written += chunks[k].length;
    expect(s.heldBytes).toBeLessThanOrEqual(bound);
  }
  out.push(s.end());
  return { got: Buffer.from(concat(out)), expected: Buffer.from(referenceWithAdds(input, added, referenceLanesFor(lanes))) };
}

describe('lanes under add() and compact() at random points', () => {
  it('wrapped base64: adds mid-block (the lane is rebuilt, not reset)', () => {
    fc.assert(
      fc.property(wrappedArb(b64Secrets), fc.nat({ max: 2 }), scheduleArb, cutsArb(300), fc.boolean(), (c, initial, schedule, cuts, bytes) => {
        const input = buildWrapped(c);
        const { got, expected } = runSchedule(input, c.secrets, initial, schedule, cuts, ['base64-wrapped'], bytes ? 'bytes' : 'cuts');
        expect(got).toEqual(expected);
      }),
      { seed: seed(), numRuns: runs(400) },
    );
  });

  it('percent + entities + wrapped: adds mid-escape-run', () => {
    fc.assert(
      fc.property(escapedArb, fc.nat({ max: 2 }), scheduleArb, cutsArb(200), fc.boolean(), (c, initial, schedule, cuts, bytes) => {
        const input = buildEscaped(c);
        const lanes: LaneVariant[] = ['percent', 'entities', 'base64-wrapped'];
        const { got, expected } = runSchedule(input, c.secrets, initial, schedule, cuts, lanes, bytes ? 'bytes' : 'cuts');
        expect(got).toEqual(expected);
      }),
      { seed: seed(), numRuns: runs(400) },
    );
  });
});
