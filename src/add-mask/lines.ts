/**
 * The `::add-mask::VALUE` line filter proper (GitHub Actions workflow-command
 * style). index.ts wraps it with `::stop-commands::` handling; use that.
 *
 * It sits *before* a scrubber session and works on bytes:
 *
 * - A line is a mask command when, like for GitHub's runner, it is
 *   `::add-mask::VALUE` after optional leading whitespace, with the command
 *   name in any case and optional properties (`::add-mask key=v::VALUE`).
 *   Being stricter than GitHub would print lines GitHub users expect hidden.
 * - At the start of each line the filter holds bytes back only while the line
 *   can still become such a command (`::add-mask::` is 12 bytes; leading
 *   whitespace is held up to {@link MAX_HELD_INDENT} bytes and then passed on);
 *   the first byte that rules it out releases them. Everywhere else bytes pass
 *   straight through in the same call (the chunk itself when nothing was held
 *   or dropped: no copy).
 * - A mask line is held until its end (LF, CRLF or end of input); then
 *   `onMask(value)` is called and the whole line, newline included, is
 *   dropped. The filter returns its output only after `onMask` has run, so the
 *   caller's scrubber knows the secret before any later byte reaches it (and
 *   the engine rescans the bytes it still holds).
 * - Fail closed and bounded: a mask line longer than `maxLineBytes` throws an
 *   {@link AddMaskError}. Its value cannot be registered, so the caller must
 *   stop output rather than print the rest of the stream.
 *
 * The value is trimmed of surrounding ASCII whitespace. Like GitHub's runner,
 * `%0A`, `%0D` and `%25` stand for LF, CR and `%` (how a multi-line secret is
 * sent); when unescaping changes the value, both the raw and the unescaped
 * value are reported, so a secret that literally contains `%0A` is masked too.
 */

import { concatBytes, EMPTY, isAsciiSpace, trimBytes } from '../bytes/index.js';

/** `::add-mask` in lower case; letters compare case-insensitively. */
const NAME = new TextEncoder().encode('::add-mask');
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** Default cap on one mask line (indentation, command, properties and value), in bytes. */
export const DEFAULT_MAX_MASK_LINE_BYTES = 64 * 1024;
/** Leading whitespace held back at a line start; more is passed on (only the command part is then dropped). */
export const MAX_HELD_INDENT = 64;

export class AddMaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddMaskError';
  }
}

export interface AddMaskFilterOptions {
  /** Called synchronously, inside `write`/`end`, for each value (possibly empty: the scrubber decides and warns). */
  onMask: (value: Uint8Array) => void;
  /** Longest accepted mask line in bytes. Default {@link DEFAULT_MAX_MASK_LINE_BYTES}. */
  maxLineBytes?: number;
  /** Also report the `%0A`/`%0D`/`%25`-unescaped value. Default true. */
  unescape?: boolean;
}

const enum S {
  /** Inside an ordinary line: pass through up to the next LF. */
  Text,
  /** At a line start, possibly after (held) whitespace. */
  Start,
  /** Matched `matched` bytes of `::add-mask` (1..10). */
  Name,
  /** Matched `::add-mask:`. */
  Colon,
  /** Matched `::add-mask ` : properties until `::`. */
  Props,
  /** Inside a confirmed mask line: collect the value until LF. */
  Value,
}

/** Whitespace other than LF (which ends the line). */
export function isBlank(b: number): boolean {
  return b !== LF && isAsciiSpace(b);
}

export class MaskLineFilter {
  private readonly onMask: (value: Uint8Array) => void;
  private readonly maxLineBytes: number;
  private readonly unescape: boolean;
  private state: S = S.Start;
  private matched = 0;
  private indent = 0;
  private propsColon = false;
  /** Bytes of the current candidate line from earlier chunks (not yet passed on). */
  private held: Uint8Array[] = [];
  private heldLength = 0;
  /** Bytes of the current mask line so far (for the cap). */
  private lineLength = 0;
  private value: Uint8Array[] = [];
  private valueLength = 0;
  private ended = false;

  constructor(options: AddMaskFilterOptions) {
    this.onMask = options.onMask;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_MASK_LINE_BYTES;
    if (!(this.maxLineBytes >= 64)) throw new RangeError('maxLineBytes must be at least 64');
    this.unescape = options.unescape ?? true;
  }

  /** Bytes currently held back (a possible command at a line start, or an unfinished mask line). */
  get heldBytes(): number {
    return this.state === S.Value ? this.lineLength : this.heldLength;
  }

  /** Filters the next chunk; returns what may go on to the scrubber now (`chunk` itself when nothing changed). */
  write(chunk: Uint8Array): Uint8Array {
    if (this.ended) throw new AddMaskError('write after end');
    const n = chunk.length;
    let out: Uint8Array[] | null = null;
    let runStart = 0; // start of the pass-through run in `chunk` not yet added to `out`
    let cand = 0; // start of the current candidate's bytes in `chunk`
    let i = 0;
    // Buffer's indexOf/lastIndexOf run in native code (memchr-like): a view, no copy.
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (i < n) {
      const st = this.state;
      if (st === S.Text) {
        // Every command has `::` right after its indentation: jump from one `::`
        // to the next instead of visiting every line start.
        const p = findCommandLine(buf, i);
        if (p >= 0) {
          i = cand = p;
          this.startLine();
          continue;
        }
        // No complete command start left; the last (unfinished) line may still become one.
        const lastLF = buf.lastIndexOf(LF, n - 1);
        if (lastLF < i) break;
        i = cand = lastLF + 1;
        this.startLine();
        continue;
      }
      if (st === S.Value) {
        const nl = buf.indexOf(LF, i);
        const end = nl < 0 ? n : nl;
        this.appendValue(chunk.subarray(i, end));
        if (nl < 0) {
          runStart = n;
          break;
        }
        this.finishMask();
        i = nl + 1;
        runStart = i;
        cand = i;
        continue;
      }
      // A candidate line: chunk[cand, i) (after any held bytes) could still be a command.
      const b = chunk[i];
      let verdict: 'more' | 'reject' | 'confirm' = 'more';
      switch (st) {
        case S.Start:
          if (isBlank(b)) {
            if (this.indent >= MAX_HELD_INDENT) {
              // Too much indentation to hold: it becomes pass-through, keep looking.
              out = this.releaseHeld(out);
              cand = i;
              this.indent = 0;
            }
            this.indent++;
          } else if (b === COLON) {
            this.state = S.Name;
            this.matched = 1;
          } else {
            verdict = 'reject';
          }
          break;
        case S.Name:
          if ((b | 0x20) === NAME[this.matched] && (b === COLON || b === 0x2d || (b | 0x20) >= 0x61)) {
            this.matched++;
          } else if (this.matched === NAME.length && b === COLON) {
            this.state = S.Colon;
          } else if (this.matched === NAME.length && b === SPACE) {
            this.state = S.Props;
            this.propsColon = false;
          } else {
            verdict = 'reject';
          }
          break;
        case S.Colon:
          verdict = b === COLON ? 'confirm' : 'reject';
          break;
        case S.Props:
          if (b === LF) verdict = 'reject';
          else if (b === COLON && this.propsColon) verdict = 'confirm';
          else this.propsColon = b === COLON;
          break;
      }
      if (verdict === 'reject') {
        // Not a command: what was held goes out first (the candidate then began
        // at the chunk start, so nothing of this chunk precedes it); this
        // chunk's candidate bytes simply stay in the pass-through run.
        out = this.releaseHeld(out);
        this.state = S.Text;
        continue; // chunk[i] is scanned as text (it may be the LF)
      }
      i++;
      if (verdict === 'confirm') {
        if (cand > runStart) (out ??= []).push(chunk.subarray(runStart, cand));
        this.dropHeld();
        this.lineLength = i - cand + this.lineLength;
        this.state = S.Value;
        runStart = cand = i;
        continue;
      }
      if (this.heldLength + (i - cand) > this.maxLineBytes) this.tooLong();
    }
    if (this.state !== S.Text && this.state !== S.Value && runStart < n) {
      // Still a candidate at the end of the chunk: hold its bytes.
      if (cand > runStart) (out ??= []).push(chunk.subarray(runStart, cand));
      const part = chunk.slice(cand, n); // a copy: callers may reuse their buffers
      if (part.length > 0) {
        this.held.push(part);
        this.heldLength += part.length;
      }
      runStart = n;
    }
    if (out === null) return runStart === 0 ? chunk : chunk.subarray(runStart);
    if (runStart < n) out.push(chunk.subarray(runStart));
    return concatBytes(out);
  }

  /** End of input: registers an unterminated mask line, releases a held candidate. */
  end(): Uint8Array {
    if (this.ended) return EMPTY;
    this.ended = true;
    if (this.state === S.Value) {
      this.finishMask();
      return EMPTY;
    }
    const held = concatBytes(this.held);
    this.dropHeld();
    this.state = S.Text;
    return held;
  }

  private startLine(): void {
    this.state = S.Start;
    this.matched = 0;
    this.indent = 0;
    this.lineLength = 0;
  }

  private releaseHeld(out: Uint8Array[] | null): Uint8Array[] | null {
    if (this.held.length === 0) return out;
    const o = out ?? [];
    for (const h of this.held) o.push(h);
    this.dropHeld();
    return o;
  }

  private dropHeld(): void {
    this.lineLength = this.heldLength;
    this.held = [];
    this.heldLength = 0;
  }

  private appendValue(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.lineLength + bytes.length > this.maxLineBytes) this.tooLong();
    this.value.push(bytes.slice()); // a copy: callers may reuse their buffers
    this.valueLength += bytes.length;
    this.lineLength += bytes.length;
  }

  private tooLong(): never {
    this.value = [];
    this.valueLength = 0;
    this.held = [];
    this.heldLength = 0;
    throw new AddMaskError(`an ::add-mask:: line is longer than ${this.maxLineBytes} bytes`);
  }

  private finishMask(): void {
    let raw = concatBytes(this.value);
    this.value = [];
    this.valueLength = 0;
    this.startLine();
    if (raw.length > 0 && raw[raw.length - 1] === CR) raw = raw.subarray(0, raw.length - 1);
    const value = trimBytes(raw);
    this.onMask(value);
    if (this.unescape) {
      const unescaped = unescapeWorkflowValue(value);
      if (unescaped !== value) this.onMask(trimBytes(unescaped));
    }
  }
}

/** `%0A`/`%0a` → LF, `%0D`/`%0d` → CR, `%25` → `%`, in one left-to-right pass. Returns the input itself when nothing changes. */
export function unescapeWorkflowValue(value: Uint8Array): Uint8Array {
  if (value.indexOf(0x25) < 0) return value;
  const out = new Uint8Array(value.length);
  let o = 0;
  let changed = false;
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if (b === 0x25 && i + 2 < value.length) {
      const h = value[i + 1];
      const l = value[i + 2] | 0x20;
      if (h === 0x30 && (l === 0x61 || l === 0x64)) {
        out[o++] = l === 0x61 ? LF : CR;
        i += 2;
        changed = true;
        continue;
      }
      if (h === 0x32 && value[i + 2] === 0x35) {
        out[o++] = 0x25;
        i += 2;
        changed = true;
        continue;
      }
    }
    out[o++] = b;
  }
  return changed ? out.subarray(0, o) : value;
}


/**
 * Start of the first line at or after `from` whose text after blanks begins
 * with `::`, where `from` is inside a line already ruled out (or at an LF
 * that ends one). -1 if there is none in `buf`.
 */
function findCommandLine(buf: Buffer, from: number): number {
  let at = from;
  for (;;) {
    // A string needle is searched several times faster than a Buffer needle.
    const k = buf.indexOf('::', at, 'latin1');
    if (k < 0) return -1;
    let j = k - 1;
    while (j >= from && isBlank(buf[j])) j--;
    if (j >= from && buf[j] === LF) return j + 1;
    at = k + 1;
  }
}

