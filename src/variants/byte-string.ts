/**
 * Byte strings: a JS string whose every char code is one byte (0..255), i.e.
 * the latin1 view of a Uint8Array. The variant generators work on these
 * because string slicing, Set de-duplication and native base64 are fast on
 * them, and the latin1 mapping is a bijection on bytes, so nothing is lost or
 * re-encoded (no UTF-8 decoding, no UTF-16 surprises).
 */

import { isAsciiSpace } from '../bytes/index.js';

/** The bytes as a byte string: its home is src/bytes (the engine and matcher key maps with it too). */
export { toByteString } from '../bytes/index.js';

/**
 * Patterns are carved out of shared 64 KiB slabs, the way Node pools small
 * Buffers: a fresh ArrayBuffer per secret costs more than all of the
 * secret's encoding work (allocation through C++ and GC of external memory).
 * A secret whose patterns exceed a quarter slab gets its own allocation.
 */
const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabWriter = Buffer.from(slab.buffer);
let slabUsed = 0;

/** Byte strings as Uint8Array views into one (possibly shared) allocation. */
export function packByteStrings(texts: readonly string[]): Uint8Array[] {
  let total = 0;
  for (const text of texts) total += text.length;
  let target: Uint8Array;
  let writer: Buffer;
  let offset: number;
  if (total > SLAB_SIZE / 4) {
    target = new Uint8Array(total);
    writer = Buffer.from(target.buffer);
    offset = 0;
  } else {
    if (slabUsed + total > SLAB_SIZE) {
      slab = new Uint8Array(SLAB_SIZE);
      slabWriter = Buffer.from(slab.buffer);
      slabUsed = 0;
    }
    target = slab;
    writer = slabWriter;
    offset = slabUsed;
    slabUsed += total;
  }
  // One native copy of all patterns at once: a write per pattern costs more in call overhead.
  writer.write(texts.join(''), offset, 'latin1');
  const views: Uint8Array[] = [];
  for (const text of texts) {
    views.push(new Uint8Array(target.buffer, offset, text.length)); // cheaper than subarray (no species lookup)
    offset += text.length;
  }
  return views;
}


/** The byte string without ASCII whitespace at either end. */
export function trimAsciiWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Builds a byte string byte by byte in a reused scratch buffer. The encoders
 * use it instead of `out += …`: the result is one flat string (cheap to hash
 * for de-duplication and to copy out), where concatenation builds a deep
 * rope that V8 must flatten later, about twice the cost overall.
 * Not re-entrant: take the result with `finish()` before starting another.
 */
export class ByteStringWriter {
  private scratch = Buffer.alloc(256);
  private length = 0;

  byte(code: number): void {
    if (this.length === this.scratch.length) this.grow();
    this.scratch[this.length++] = code;
  }

  /** Appends a string of char codes < 256 (an escape sequence, a byte string). */
  text(text: string): void {
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  /** The bytes written so far as a flat byte string; the writer is empty (and wiped) afterwards. */
  finish(): string {
    const result = this.scratch.toString('latin1', 0, this.length);
    this.scratch.fill(0, 0, this.length); // no copy of a secret lingers in the scratch buffer
    this.length = 0;
    return result;
  }

  private grow(): void {
    const larger = Buffer.alloc(this.scratch.length * 2);
    this.scratch.copy(larger);
    this.scratch.fill(0);
    this.scratch = larger;
  }
}

/**
 * 1 for each byte that belongs to a well-formed UTF-8 sequence (Unicode
 * table 3-7: no overlongs, no surrogates, nothing above U+10FFFF) whose code
 * point passes `accept`, 0 for the others. ASCII bytes are always
 * well-formed.
 */
export function wellFormedUtf8Bytes(text: string, accept: (codePoint: number) => boolean = () => true): Uint8Array {
  const marks = new Uint8Array(text.length);
  let i = 0;
  while (i < text.length) {
    const lead = text.charCodeAt(i);
    const length = utf8SequenceLength(text, i, lead);
    if (length === 0) {
      i++; // stray byte: left unmarked
      continue;
    }
    if (accept(decodeSequence(text, i, length))) marks.fill(1, i, i + length);
    i += length;
  }
  return marks;
}

function decodeSequence(text: string, at: number, length: number): number {
  if (length === 1) return text.charCodeAt(at);
  let codePoint = text.charCodeAt(at) & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) codePoint = (codePoint << 6) | (text.charCodeAt(at + k) & 0x3f);
  return codePoint;
}

/** Length of the well-formed sequence starting at `at`, or 0. */
function utf8SequenceLength(text: string, at: number, lead: number): number {
  if (lead < 0x80) return 1;
  const cont = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = text.charCodeAt(at + offset); // NaN past the end: fails both comparisons
    return byte >= low && byte <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return cont(1, low, high) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return cont(1, low, high) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

const HEX_UPPER = '0123456789ABCDEF';
const HEX_LOWER = '0123456789abcdef';

/** `width` hex digits of `value` in the requested case (for \uXXXX and %XX). */
export function hexDigits(value: number, width: number, upperCase: boolean): string {
  const digits = upperCase ? HEX_UPPER : HEX_LOWER;
  let out = '';
  for (let shift = (width - 1) * 4; shift >= 0; shift -= 4) out += digits[(value >> shift) & 0xf];
  return out;
}
