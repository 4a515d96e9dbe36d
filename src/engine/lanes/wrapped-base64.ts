/**
 * The wrapped-base64 view (variant `base64-wrapped`): base64 as `base64`
 * (76 columns), `openssl base64` and PEM (64), `uuencode`-free MIME encoders
 * and YAML block scalars print it, read as if the line breaks were not there.
 *
 * Edit (a *joint*): a line break, CR{0,2} LF, and the next line's prefix of
 * up to MAX_PREFIX bytes of space, TAB, `>`, `#`, `|` (YAML indentation, `> `
 * mail quoting, `# ` comments), when the line before the break ends in
 * MIN_WRAP_WIDTH or more base64 characters (either alphabet, `=` padding).
 * A joint becomes nothing in the view. The first line may carry any prefix
 * (`auth = QUJD...`): only its end matters.
 *
 * A joint is at most 2 + 1 + MAX_PREFIX bytes and joints are at least
 * MIN_WRAP_WIDTH view bytes apart (the base64 run before one is plain), which
 * bounds the holdback; a run of CRs is never a joint (at most two CRs), so it
 * cannot grow what is held.
 */
import { indexOfByte } from '../../bytes/index.js';
import type { PatternFacts } from '../pattern-facts.js';
import { BEFORE_STREAM, type EditOut, Parse, type Peek, UNKNOWN_BYTE, type ViewDecoder } from './view-lane.js';
import { JointKernel, LOOK_BACK } from './wrapped-base64-joints.js';

export const MIN_WRAP_WIDTH = 16;
export const MAX_PREFIX = 32;
const MAX_JOINT = 2 + 1 + MAX_PREFIX;
const LF = 0x0a;
const CR = 0x0d;

const BASE64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=') BASE64_CHAR[c.charCodeAt(0)] = 1;
const PREFIX_CHAR = new Uint8Array(256);
for (const c of ' \t>#|') PREFIX_CHAR[c.charCodeAt(0)] = 1;

/**
 * A decoder for one lane (it keeps the joints found in the buffer being
 * searched). `kernel`: the WebAssembly joint search, or null for the
 * JavaScript loop (where WebAssembly is missing; tests compare the two).
 */
export function wrappedBase64Decoder(kernel: JointKernel | null = JointKernel.shared()): ViewDecoder {
  // The kernel's joints of the current buffer (computed at its first search), and the first not yet passed.
  let joints: Int32Array = new Int32Array(256);
  let jointCount = 0;
  let jointsOf: Uint8Array | null = null;
  let cursor = 0;

  /** The first LF at or after `from`, when one is too near `from` to test in the buffer (parse decides, with peek), or the first tested joint. */
  const nextJointLf = (buf: Uint8Array, from: number, to: number): number => {
    const near = Math.min(to, from + LOOK_BACK);
    for (let k = from; k < near; k++) if (buf[k] === LF) return k;
    if (jointsOf !== buf) {
      [joints, jointCount] = (kernel as JointKernel).find(buf, joints);
      jointsOf = buf;
      cursor = 0;
    }
    // Searches mostly move forward; one that moves back before a joint already passed starts over.
    if (cursor > 0 && joints[cursor - 1] >= from) cursor = 0;
    while (cursor < jointCount && joints[cursor] < from) cursor++;
    return cursor < jointCount ? joints[cursor] : -1;
  };

  return {
    name: 'base64-wrapped',
    maxEditBytes: MAX_JOINT,

    maxHold(viewBytes: number): number {
      return viewBytes + (Math.floor(viewBytes / MIN_WRAP_WIDTH) + 1) * MAX_JOINT + MAX_JOINT;
    },

    startBuffer(): void {
      jointsOf = null;
    },

    /**
     * The first CR or LF at or after `from` that can start a joint: the LF of a
     * line whose MIN_WRAP_WIDTH bytes before its CRs are all base64 (checked
     * here, so parse sees only real candidates), a line too near `from` to
     * tell (parse decides with peek), or CRs ending the buffer.
     */
    findTrigger(buf: Uint8Array, from: number, to: number): number {
      let j = kernel === null ? nextJointLfJs(buf, from, to) : nextJointLf(buf, from, to);
      if (j < 0 || j >= to) {
        // A buffer ending in CRs may be ending inside a joint.
        j = to;
        if (j - 1 < from || buf[j - 1] !== CR) return -1;
      }
      if (j - 1 >= from && buf[j - 1] === CR) j--;
      if (j - 1 >= from && buf[j - 1] === CR) j--;
      return j;
    },

    /**
     * A match spanning a joint has at least 4 bytes (the shortest pattern is
     * at least 4), so it contains one of the three view 4-grams that straddle
     * the joint (3+1, 2+2, 1+3 bytes). The 3 bytes before a joint are base64
     * (plain view bytes) and the 3 after it are plain too (the next joint is at
     * least 16 bytes further), so if none of those grams occurs in a pattern,
     * no match spans the joint. Unsure (too near a buffer end): false.
     */
    unspannable(buf: Uint8Array, at: number, end: number, facts: PatternFacts): boolean {
      if (facts.minLength < 4 || at < 3 || end + 3 > buf.length) return false;
      const a = buf[at - 3];
      const b = buf[at - 2];
      const c = buf[at - 1];
      const d = buf[end];
      const e = buf[end + 1];
      const f = buf[end + 2];
      return !facts.mayHaveGram(a, b, c, d) && !facts.mayHaveGram(b, c, d, e) && !facts.mayHaveGram(c, d, e, f);
    },

    parse(buf: Uint8Array, at: number, to: number, bufBase: number, peek: Peek, final: boolean, out: EditOut): Parse {
      let k = at;
      while (k < to && k - at < 2 && buf[k] === CR) k++;
      if (k < to && buf[k] !== LF) return Parse.None;
      if (!endsInBase64Run(buf, at, bufBase, peek)) return Parse.None;
      if (k === to) return final ? Parse.None : Parse.Incomplete;
      const prefixStart = k + 1; // after the LF
      const prefixEnd = Math.min(to, prefixStart + MAX_PREFIX);
      k = prefixStart;
      while (k < prefixEnd && PREFIX_CHAR[buf[k]] === 1) k++;
      if (k === to && k - prefixStart < MAX_PREFIX && !final) return Parse.Incomplete; // the prefix may go on
      out.end = k;
      out.length = 0;
      return Parse.Edit;
    },
  };
}


/**
 * The JavaScript joint search: the first LF at or after `from` that is too
 * near `from` to test in the buffer, or whose line passes the test; what the
 * kernel computes for a whole buffer at once (see wrapped-base64-joints.ts).
 */
function nextJointLfJs(buf: Uint8Array, from: number, to: number): number {
  let j = indexOfByte(buf, LF, from);
  // A log has a line break every ~100 bytes and almost none of them ends a
  // base64 line: this loop is the lane's whole cost on clean text, so its
  // test is one branch on three table loads (the ends and the middle of
  // the run), and the full check runs only when all three are base64.
  while (j >= 0 && j < to && j - LOOK_BACK >= from) {
    let e = j;
    if (buf[e - 1] === CR) e--;
    if (buf[e - 1] === CR) e--;
    if ((BASE64_CHAR[buf[e - 1]] & BASE64_CHAR[buf[e - MIN_WRAP_WIDTH]] & BASE64_CHAR[buf[e - 8]]) !== 0 && isBase64Run(buf, e)) break;
    // The run before the next joint cannot contain this LF, so that joint's LF is at j + MIN_WRAP_WIDTH + 1 or later.
    j = indexOfByte(buf, LF, j + MIN_WRAP_WIDTH + 1);
  }
  return j;
}

/** Are the MIN_WRAP_WIDTH bytes before buf[e] all base64? (e >= MIN_WRAP_WIDTH: all in buf.) */
function isBase64Run(buf: Uint8Array, e: number): boolean {
  for (let k = e - MIN_WRAP_WIDTH; k < e; k++) if (BASE64_CHAR[buf[k]] === 0) return false;
  return true;
}

/**
 * Do the MIN_WRAP_WIDTH bytes before buf[at] all look like base64? Bytes
 * before buf (only at a buffer's start) come from peek; unknown ones (before
 * the kept history) count as yes.
 */
function endsInBase64Run(buf: Uint8Array, at: number, bufBase: number, peek: Peek): boolean {
  if (at >= MIN_WRAP_WIDTH) return isBase64Run(buf, at);
  for (let k = at - MIN_WRAP_WIDTH; k < at; k++) if (!looksBase64(buf, k, bufBase, peek)) return false;
  return true;
}

function looksBase64(buf: Uint8Array, k: number, bufBase: number, peek: Peek): boolean {
  const b = k >= 0 ? buf[k] : peek(bufBase + k);
  return b === UNKNOWN_BYTE || (b !== BEFORE_STREAM && BASE64_CHAR[b] === 1);
}
