/**
 * `::stop-commands::TOKEN` … `::TOKEN::`: GitHub's runner stops processing
 * workflow commands between these two lines, so that a job can print
 * untrusted text (a file, a PR title) that may contain `::add-mask::`
 * lines without them taking effect.
 *
 * This watcher only observes lines; it never holds or drops bytes (both
 * lines are ordinary output). It reports the positions in a chunk where
 * command processing turns off or back on, and the caller switches there.
 * Only lines whose text, after leading blanks, starts with `::` are
 * examined (found with a native search, as in lines.ts); a line carried over
 * a chunk boundary is kept while it can still be one, at most
 * {@link MAX_COMMAND_LINE} bytes (a longer one is no such command).
 */
import { concatBytes, EMPTY, trimBytes } from '../bytes/index.js';
import { isBlank } from './lines.js';

const LF = 0x0a;
const COLON = 0x3a;
const STOP = new TextEncoder().encode('::stop-commands::');
export const MAX_COMMAND_LINE = 4096;

export class StopCommandsWatcher {
  /** The resume token while commands are stopped, else null. */
  private token: Uint8Array | null = null;
  /** The current line from earlier chunks while it may still be a command line; null when ruled out. */
  private pending: Uint8Array | null = EMPTY;

  get stopped(): boolean {
    return this.token !== null;
  }

  /**
   * The offsets in `chunk` (just after an LF) where the state flips, in
   * order. The state is already updated when this returns; the caller
   * replays the flips.
   */
  scan(chunk: Uint8Array): number[] {
    const flips: number[] = [];
    const n = chunk.length;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.pending === null) {
      // Inside a line already ruled out: the first candidate starts after its LF.
      const nl = buf.indexOf(LF, 0);
      if (nl < 0) return flips;
      pos = nl + 1;
    } else {
      const nl = buf.indexOf(LF, 0);
      const end = nl < 0 ? n : nl;
      const line = this.pending.length + end > MAX_COMMAND_LINE ? null : concatBytes([this.pending, chunk.subarray(0, end)]);
      if (nl < 0) {
        this.pending = line !== null && mayBeCommand(line) ? line.slice() : null;
        return flips;
      }
      if (line !== null && this.onLine(line)) flips.push(nl + 1);
      pos = nl + 1;
    }
    this.pending = null;
    let at = pos;
    for (;;) {
      const k = buf.indexOf('::', at, 'latin1');
      if (k < 0) break;
      let j = k - 1;
      while (j >= pos && isBlank(buf[j])) j--;
      if (j >= pos && buf[j] !== LF) {
        at = k + 1; // `::` inside a line: not a command
        continue;
      }
      const start = j + 1;
      const nl = buf.indexOf(LF, k);
      if (nl < 0) {
        if (n - start <= MAX_COMMAND_LINE) this.pending = chunk.slice(start, n);
        return flips;
      }
      if (nl - start <= MAX_COMMAND_LINE && this.onLine(chunk.subarray(start, nl))) flips.push(nl + 1);
      at = nl + 1;
    }
    // The unfinished last line may still become a command (blanks, or a single ':').
    const tail = chunk.subarray(Math.max(buf.lastIndexOf(LF, n - 1) + 1, pos), n);
    if (tail.length <= MAX_COMMAND_LINE && mayBeCommand(tail)) this.pending = tail.slice();
    return flips;
  }

  /** A complete line (without LF). True when it flips the state. */
  private onLine(line: Uint8Array): boolean {
    const text = trimBytes(line); // also drops a CR before the LF
    if (this.token === null) {
      if (text.length <= STOP.length || !startsWithCi(text, STOP)) return false;
      const token = trimBytes(text.subarray(STOP.length));
      if (token.length === 0) return false;
      this.token = token.slice();
      return true;
    }
    const t = this.token;
    if (text.length === t.length + 4 && text[0] === COLON && text[1] === COLON && text[text.length - 1] === COLON && text[text.length - 2] === COLON) {
      for (let i = 0; i < t.length; i++) if (text[i + 2] !== t[i]) return false;
      this.token = null;
      return true;
    }
    return false;
  }
}

/** Blanks, then either nothing, a single ':' or '::…' (the start of a command line). */
function mayBeCommand(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isBlank(bytes[i])) i++;
  if (i === bytes.length) return true;
  if (bytes[i] !== COLON) return false;
  return i + 1 === bytes.length || bytes[i + 1] === COLON;
}

function startsWithCi(text: Uint8Array, lower: Uint8Array): boolean {
  for (let i = 0; i < lower.length; i++) {
    const b = text[i];
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lower[i]) return false;
  }
  return true;
}
