/**
 * Private key blocks: `-----BEGIN [RSA |EC |DSA |ENCRYPTED |OPENSSH ]PRIVATE KEY-----`
 * and `-----BEGIN PGP PRIVATE KEY BLOCK-----`, in the renderings logs show
 * them: LF or CRLF lines, indented (YAML), every line prefixed (`web_1  | `,
 * timestamps), JSON-escaped on one line (`\n`, `\\n`, `\/`), quoted, or
 * flattened with spaces.
 *
 * The body is masked from after the BEGIN line to before the END line's line
 * break (armor lines, and the END line's prefix, stay visible). Bodies are
 * kilobytes, so they are not held back: once the armor is complete and the
 * body shows evidence (EVIDENCE base64 bytes in a row within EVIDENCE_WITHIN
 * bytes), the block is committed and every following byte is covered as it
 * arrives, except the bytes that could still turn out to be the END line:
 * since the last line break when at most PREFIX_MAX bytes followed it, else a
 * partial `-----END`. Masking stops at the END line or after CAP bytes of
 * body, whichever comes first: the cap bounds what a block without END can
 * swallow of the output after it, and so it also ends a longer body's mask
 * (a large keyring exported in one block shows its remainder).
 *
 * Where covering stops is a function of positions only (the last break, how
 * far the bytes are known not to start `-----END`), so every chunking covers
 * the same bytes as one write.
 */
import { B64, BACKSLASH, CR, LF } from './bytes.js';
import { Candidate, type StreamReader } from './candidate.js';
import { literalTriggers } from './shapes.js';
import { detectorId } from './names.js';
import type { Trigger } from './trigger.js';

/** Base64 bytes in a row that commit a block. */
export const EVIDENCE = 32;
/** The evidence must appear within this many bytes after the BEGIN line (also the pre-commit holdback bound). */
export const EVIDENCE_WITHIN = 512;
/** A line prefix (indentation, `web_1  | `, a timestamp) before the END armor is at most this long. */
export const PREFIX_MAX = 64;
/** A committed block is masked up to this many bytes when no END line comes. */
export const CAP = 16 * 1024;
/** Body runs shorter than this are not part of the registered value (headers, the PGP checksum line). */
const MIN_LINE = 16;
const MAX_LABEL = 40;
const EMPTY_BODY = new Uint8Array(0);
/** More backslashes in a row than this are text, not an escaped line break (bounds what they hold back). */
const MAX_BACKSLASHES = 8;

const LABEL = (() => {
  const t = new Uint8Array(256);
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  t[0x20] = 1;
  return t;
})();
const PRIVATE_KEY = 'PRIVATE KEY';
const PGP_BLOCK = 'PGP PRIVATE KEY BLOCK';
const DASH = 0x2d;
const SPACE = 0x20;
const N = 0x6e;
const R = 0x72;

const enum Phase {
  Armor, // the label, then "-----"
  Break, // the BEGIN line's line break(s)
  Body,
}

/** "-----END" matcher states: 0-5 dashes seen (5 = "-----", more dashes stay at 5), 6 = E, 7 = N; D completes. */
function endStep(state: number, b: number): number {
  if (b === DASH) return state < 5 ? state + 1 : state === 5 ? 5 : 1;
  if (b === 0x45) return state === 5 ? 6 : 0; // E
  if (b === 0x4e) return state === 6 ? 7 : 0; // N
  if (b === 0x44) return state === 7 ? 8 : 0; // D
  return 0;
}

class PemCandidate extends Candidate {
  private phase = Phase.Armor;
  private pos: number;
  private label = '';
  private dashes = 0;
  private sawElement = false;
  private bs = 0; // backslashes pending (an escaped break or an escaped byte)
  private bsStart = 0;
  private maskStart = 0;
  private committed = false;
  private covered = 0;
  private brk = 0; // start of the last line break run
  private sawBreak = false;
  private inBreak = false;
  private end = 0; // "-----END" matcher state
  private run = 0; // base64 bytes in a row
  /** The registered value: body runs joined by LF (allocated at the first run: most BEGIN lines are certificates). */
  private body = EMPTY_BODY;
  private bodyLen = 0;

  constructor(
    private readonly detector: number,
    armorNext: number, // the byte after "-----BEGIN "
  ) {
    super();
    this.pos = armorNext;
    this.hold = armorNext;
    this.keep = armorNext;
  }

  advance(r: StreamReader, final: boolean): boolean {
    const end = r.arrived;
    let q = this.pos;
    for (; q < end; q++) {
      const b = r.byteAt(q);
      if (this.phase === Phase.Armor) {
        if (!this.armorByte(b)) return false;
      } else if (this.phase === Phase.Break) {
        if (!this.breakByte(b, q)) return false;
      } else {
        if (!this.committed && q - this.maskStart >= EVIDENCE_WITHIN) return false;
        if (this.committed && q - this.maskStart >= CAP) return this.finish(r, q - 1);
        const last = this.bodyByte(b, q);
        if (last !== -2) return last === -3 ? false : this.finish(r, last);
      }
    }
    this.pos = q;
    if (this.phase !== Phase.Body) {
      // Pending backslashes may open an escaped body byte (`\/`), whose mask starts at the first of them.
      this.hold = this.phase === Phase.Break && this.bs > 0 ? this.bsStart : q;
      this.keep = q;
      return !final;
    }
    if (final) return this.committed ? this.finish(r, q - 1) : false;
    if (!this.committed) {
      this.hold = this.maskStart;
      this.keep = q;
      return true;
    }
    // Cover what can no longer be the END line: see the module comment.
    const known = q - this.end; // a matcher state stands for that many bytes
    let safe = this.sawBreak && known - this.brk <= PREFIX_MAX ? this.brk : known;
    if (this.bs > 0 && this.bsStart < safe) safe = this.bsStart;
    if (safe > this.covered) {
      r.cover(this.covered, safe - 1, this.detector);
      this.covered = safe;
    }
    this.hold = this.covered;
    this.keep = q;
    return true;
  }

  /** Covers up to `last` (inclusive) and registers the body. */
  private finish(r: StreamReader, last: number): boolean {
    this.endRun();
    if (last >= this.covered) r.cover(this.covered, last, this.detector);
    if (this.bodyLen > 0) r.foundValue(this.body.slice(0, this.bodyLen - 1), this.detector);
    return false;
  }

  private armorByte(b: number): boolean {
    if (this.dashes === 0 && LABEL[b] === 1) {
      if (this.label.length >= MAX_LABEL) return false;
      this.label += String.fromCharCode(b);
      return true;
    }
    if (b !== DASH) return false;
    if (++this.dashes < 5) return true;
    const label = this.label.trim();
    if (!(label === PGP_BLOCK || label === PRIVATE_KEY || label.endsWith(' ' + PRIVATE_KEY))) return false;
    this.phase = Phase.Break;
    return true;
  }

  /** The BEGIN line's break run: LF, CR, escaped \n \r (any number of backslashes), spaces. */
  private breakByte(b: number, q: number): boolean {
    if (b === BACKSLASH) {
      if (this.bs === MAX_BACKSLASHES) return false; // no JSON nests that deep: not a key (and what it holds stays bounded)
      if (this.bs++ === 0) this.bsStart = q;
      return true;
    }
    if (this.bs > 0) {
      if (b === N || b === R) {
        this.bs = 0;
        this.sawElement = true;
        return true;
      }
      if (!this.sawElement) return false;
      this.startBody(this.bsStart); // an escaped body byte (`\/`) right after the break
      return this.bodyByte(b, q) === -2;
    }
    if (b === LF || b === CR || b === SPACE) {
      this.sawElement = true;
      return true;
    }
    if (!this.sawElement) return false;
    this.startBody(q);
    return this.bodyByte(b, q) === -2;
  }

  private startBody(at: number): void {
    this.phase = Phase.Body;
    this.maskStart = at;
    this.covered = at;
    this.brk = at;
  }

  /**
   * One body byte. Returns -2 to go on, -3 to give up, or the last byte to
   * mask (inclusive) when the END armor starts.
   */
  private bodyByte(b: number, q: number): number {
    if (b === BACKSLASH && this.bs < MAX_BACKSLASHES) {
      if (this.bs++ === 0) this.bsStart = q;
      this.end = 0;
      return -2;
    }
    if (this.bs > 0) {
      const escapedBreak = b === N || b === R;
      const at = this.bsStart;
      this.bs = 0;
      if (escapedBreak) {
        this.onBreak(at);
        return -2;
      }
    }
    if (b === LF || b === CR) {
      this.onBreak(q);
      return -2;
    }
    this.inBreak = false;
    this.end = endStep(this.end, b);
    if (this.end === 8) {
      if (!this.committed) return -3;
      const e = q - 7;
      return this.sawBreak && e - this.brk <= PREFIX_MAX ? this.brk - 1 : e - 1;
    }
    if (B64[b] === 1) {
      if (this.body === EMPTY_BODY) this.body = new Uint8Array(CAP);
      if (this.bodyLen < CAP) this.body[this.bodyLen++] = b;
      if (++this.run >= EVIDENCE) this.committed = true;
    } else this.endRun();
    return -2;
  }

  private onBreak(at: number): void {
    this.endRun();
    this.end = 0;
    if (!this.inBreak) {
      this.brk = at;
      this.inBreak = true;
      this.sawBreak = true;
    }
  }

  /** A base64 run ended: keep it (and a separator) in the registered body if long enough. */
  private endRun(): void {
    if (this.run === 0) return;
    if (this.run >= MIN_LINE && this.bodyLen < CAP) this.body[this.bodyLen++] = LF;
    else this.bodyLen = Math.max(0, this.bodyLen - this.run);
    this.run = 0;
  }
}

export function privateKeyTriggers(): Trigger[] {
  const id = detectorId('private-key');
  return literalTriggers('-----BEGIN ', { then: (_s, at) => new PemCandidate(id, at) });
}
