/**
 * The three candidate shapes every detector is built from:
 *   - Prefix: fixed grammar after a trigger (literal bytes, separators, a
 *     scheme word); never masks, holds nothing, hands over to the next shape;
 *   - Run: a bounded run of token bytes, decided when it ends (length, check
 *     digits): holds from its first byte until then, at most `max` bytes;
 *   - StreamRun: a committed value masked as it streams (each arrived byte is
 *     covered at once: holds nothing), up to a cap.
 */
import { latin1 } from './bytes.js';
import { Candidate, endsWith, type StreamReader } from './candidate.js';
import { type Trigger, caseVariants } from './trigger.js';
import { bestWindow } from './windows.js';

export type Step =
  /** These bytes, in order (compared lower-cased when `fold`; give `bytes` lower-case). */
  | { kind: 'lit'; bytes: Uint8Array; fold: boolean }
  /** Between min and max bytes of `set`. */
  | { kind: 'skip'; set: Uint8Array; min: number; max: number }
  /** A run of ASCII letters equal (any case) to one of `words` (lower-case). */
  | { kind: 'word'; words: readonly Uint8Array[] };

/** Follows `steps` from `pos`; when all matched, becomes `then(position after them)`. */
export class Prefix extends Candidate {
  private step = 0;
  private count = 0; // bytes matched in the current step
  private word = 0; // letters of a 'word' step seen, packed (up to 6 letters)

  constructor(
    private pos: number,
    private readonly steps: readonly Step[],
    private readonly then: (pos: number) => Candidate | null,
    /** Bytes before `pos` the value after the grammar will cover (legacy OpenAI keys): held meanwhile. */
    private readonly heldFrom = Infinity,
  ) {
    super();
    this.hold = Math.min(pos, heldFrom);
    this.keep = Math.min(pos, heldFrom);
  }

  advance(r: StreamReader, final: boolean): boolean {
    const end = r.arrived;
    let q = this.pos;
    while (this.step < this.steps.length) {
      const st = this.steps[this.step];
      if (q >= end) {
        if (final) return false;
        this.pos = q;
        this.hold = Math.min(q, this.heldFrom);
        this.keep = Math.min(q, this.heldFrom);
        return true;
      }
      let b = r.byteAt(q);
      if (st.kind === 'lit') {
        if (st.fold && b >= 0x41 && b <= 0x5a) b |= 0x20;
        if (b !== st.bytes[this.count]) return false;
        q++;
        if (++this.count === st.bytes.length) this.nextStep();
      } else if (st.kind === 'skip') {
        if (st.set[b] === 1 && this.count < st.max) {
          q++;
          this.count++;
        } else if (this.count >= st.min) this.nextStep();
        else return false;
      } else {
        const letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
        if (letter && this.count < 6) {
          this.word = this.word * 32 + ((b | 0x20) - 0x60);
          this.count++;
          q++;
        } else if (letter) return false;
        else if (st.words.some((w) => packed(w) === this.word && w.length === this.count)) this.nextStep();
        else return false;
      }
    }
    this.next = this.then(q);
    return false;
  }

  private nextStep(): void {
    this.step++;
    this.count = 0;
    this.word = 0;
  }
}

function packed(w: Uint8Array): number {
  let v = 0;
  for (const c of w) v = v * 32 + (c - 0x60);
  return v;
}

export interface RunRule {
  readonly detector: number;
  /** Bytes the run is made of. */
  readonly charset: Uint8Array;
  readonly min: number;
  readonly max: number;
  /** If the byte that ends the run is one of these, it is no token (AWS ids: a 17th letter). */
  readonly noFollow?: Uint8Array;
  /** A trailing byte dropped from the run (a sentence's full stop after a token that may contain dots). */
  readonly trimTrailing?: number;
  /** Extra check on the run [start, stop) once it ended (checksums, fixed inner bytes). */
  readonly valid?: (r: StreamReader, start: number, stop: number) => boolean;
}

/**
 * A bounded run starting at `start`, decided when it ends: covered and
 * registered if the rule accepts it. What is registered is what is masked (the
 * run, not the prefix): a later occurrence then reads `ghp_***` as well, and
 * the base64 variant still finds the run inside an encoded `ghp_...`.
 */
export class Run extends Candidate {
  private pos: number;

  /** `_tokenStart`: where the prefix began (checked by the trigger; only the run is read again). */
  constructor(
    private readonly rule: RunRule,
    _tokenStart: number,
    private readonly start: number,
  ) {
    super();
    this.pos = start;
    this.hold = start;
    this.keep = start;
  }

  advance(r: StreamReader, final: boolean): boolean {
    const { charset, max } = this.rule;
    const end = r.arrived;
    const limit = this.start + max; // a run reaching this position is too long
    let q = this.pos;
    while (q < end && charset[r.byteAt(q)] === 1) {
      if (q === limit) return false;
      q++;
    }
    if (q === end && !final) {
      this.pos = q;
      return true;
    }
    const rule = this.rule;
    if (q < end && rule.noFollow !== undefined && rule.noFollow[r.byteAt(q)] === 1) return false;
    let stop = q;
    if (rule.trimTrailing !== undefined) while (stop > this.start && r.byteAt(stop - 1) === rule.trimTrailing) stop--;
    const len = stop - this.start;
    if (len < rule.min || (rule.valid !== undefined && !rule.valid(r, this.start, stop))) return false;
    r.cover(this.start, stop - 1, rule.detector);
    r.found(this.start, stop, rule.detector);
    return false;
  }
}

/** Values longer than this are masked but not registered (a pattern that long would only grow every stream's history). */
export const REGISTER_MAX = 4096;

/**
 * A committed value: from `start`, every byte of `charset` is covered as soon
 * as it arrives, up to `cap` bytes; when the run ends, [valueStart, end) is
 * registered (if at most REGISTER_MAX bytes and at least `min`).
 */
export class StreamRun extends Candidate {
  private pos: number;

  constructor(
    private readonly detector: number,
    private readonly charset: Uint8Array,
    private readonly valueStart: number,
    private readonly start: number,
    private readonly cap: number,
    private readonly min: number,
    /** A value starting with this byte is a placeholder (`${TOKEN}`), not a value: nothing is masked. */
    private readonly placeholder = -1,
  ) {
    super();
    this.pos = start;
    this.hold = start;
    this.keep = valueStart;
  }

  advance(r: StreamReader, final: boolean): boolean {
    const end = r.arrived;
    const limit = this.start + this.cap;
    const cs = this.charset;
    let q = this.pos;
    if (q === this.start && q < end && r.byteAt(q) === this.placeholder) return false;
    while (q < end && q < limit && cs[r.byteAt(q)] === 1) q++;
    if (q > this.pos) r.cover(this.pos, q - 1, this.detector);
    this.pos = q;
    this.hold = q; // everything that arrived is covered or not part of the value: nothing held
    if (q === end && q < limit && !final) {
      if (q - this.valueStart > REGISTER_MAX) this.keep = q;
      return true;
    }
    const len = q - this.start;
    if (len >= this.min && q - this.valueStart <= REGISTER_MAX) r.found(this.valueStart, q, this.detector);
    return false;
  }
}


export interface LiteralOptions {
  /** Compare case-insensitively (header and parameter names). */
  fold?: boolean;
  /** Can the literal start at this position (judged by the bytes before it)? */
  boundary?: (r: StreamReader, at: number) => boolean;
  /** Grammar after the literal (separators, a scheme word). */
  steps?: readonly Step[];
  /** The literal (and steps) matched from tokenStart; `at` is the first byte after them. */
  then: (tokenStart: number, at: number) => Candidate | null;
}

/**
 * Triggers for a token introduced by a fixed literal (a prefix, a key name).
 * The window is the literal's cheapest 4 bytes (windows.ts): the bytes before
 * it are checked when it fires (they have arrived and are kept), the bytes
 * after it are the first step of a Prefix. Masking starts after the literal,
 * so never before a window's last byte: a candidate never needs to cover a
 * byte emitted before its window completed.
 */
export function literalTriggers(literal: string, opts: LiteralOptions): Trigger[] {
  const fold = opts.fold ?? false;
  const lit = fold ? literal.toLowerCase() : literal;
  const o = bestWindow(lit, fold);
  const head = latin1(lit.slice(0, o));
  const rest = latin1(lit.slice(o + 4));
  const steps: Step[] = [];
  if (rest.length > 0) steps.push({ kind: 'lit', bytes: rest, fold });
  if (opts.steps) steps.push(...opts.steps);
  const { boundary, then } = opts;
  const onHit = (r: StreamReader, p: number): Candidate | null => {
    const tokenStart = p - o;
    if (!endsWith(r, p, head, fold)) return null;
    if (boundary !== undefined && !boundary(r, tokenStart)) return null;
    if (steps.length === 0) return then(tokenStart, p + 4);
    return new Prefix(p + 4, steps, (q) => then(tokenStart, q));
  };
  const window = lit.slice(o, o + 4);
  return (fold ? caseVariants(window) : [window]).map((w) => ({ window: w, onHit }));
}
