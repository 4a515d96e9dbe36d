/**
 * The entity-decoded view (variant `entities`): HTML and XML character
 * references as HTML/XML escapers print them (`he`, lodash `escape`, PHP
 * `htmlspecialchars` with `&#039;`, Python `html.escape`, Go
 * `html.EscapeString` and `template.HTMLEscapeString`, JUnit/surefire and
 * other XML report writers, GitHub's runner's XML-escaped masks).
 *
 * Edit: `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` -> the character; `&#D;`
 * (1-7 decimal digits) and `&#xH;` (1-6 hex digits, either case) -> the
 * code point's UTF-8 bytes (1..0x10FFFF, not a surrogate). Named references
 * are lower case only. One view byte stands for at most 10 stream bytes
 * (`&#0000039;`).
 */
import { HEX_VALUE, indexOfByte } from '../../bytes/index.js';
import { type EditOut, Parse, type ViewDecoder } from './view-lane.js';

const AMP = 0x26;
const HASH = 0x23;
const SEMI = 0x3b;
const MAX_ENTITY = 10; // '&#1114111;', '&#x10FFFF;'

const NAMED: ReadonlyArray<readonly [Uint8Array, number]> = [
  ['amp;', 0x26],
  ['lt;', 0x3c],
  ['gt;', 0x3e],
  ['quot;', 0x22],
  ['apos;', 0x27],
].map(([name, byte]) => [new TextEncoder().encode(name as string), byte as number] as const);

const DIGIT = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) DIGIT[0x30 + i] = i;

export function entityDecoder(): ViewDecoder {
  const scratch = new Uint8Array(4);
  return {
    name: 'entities',
    maxEditBytes: MAX_ENTITY,
    maxHold(viewBytes: number): number {
      return MAX_ENTITY * viewBytes + MAX_ENTITY - 1;
    },
    findTrigger(buf: Uint8Array, from: number, to: number): number {
      const t = indexOfByte(buf, AMP, from);
      return t >= to ? -1 : t;
    },
    parse(buf: Uint8Array, at: number, to: number, _bufBase, _peek, final: boolean, out: EditOut): Parse {
      const more = final ? Parse.None : Parse.Incomplete;
      const k = at + 1;
      if (k >= to) return more;
      if (buf[k] !== HASH) {
        for (const [name, byte] of NAMED) {
          let j = 0;
          while (j < name.length && k + j < to && buf[k + j] === name[j]) j++;
          if (j === name.length) {
            scratch[0] = byte;
            return edit(out, k + j, scratch, 1);
          }
          if (k + j === to) return more; // a prefix of this name so far
        }
        return Parse.None;
      }
      // Numeric: '&#' digits ';' or '&#x' hex ';'.
      let j = k + 1;
      if (j >= to) return more;
      const hex = buf[j] === 0x78 || buf[j] === 0x58;
      if (hex) j++;
      const table = hex ? HEX_VALUE : DIGIT;
      const radix = hex ? 16 : 10;
      const maxDigits = hex ? 6 : 7;
      const first = j;
      let cp = 0;
      while (j < to && j - first < maxDigits && table[buf[j]] >= 0) cp = cp * radix + table[buf[j++]];
      if (j === to) return j - first <= maxDigits ? more : Parse.None;
      if (j === first || buf[j] !== SEMI) return Parse.None;
      const n = utf8(cp, scratch);
      if (n === 0) return Parse.None;
      return edit(out, j + 1, scratch, n);
    },
  };
}

function edit(out: EditOut, end: number, bytes: Uint8Array, length: number): Parse {
  out.end = end;
  out.bytes = bytes;
  out.length = length;
  return Parse.Edit;
}

/** UTF-8 bytes of a code point into `into`; 0 if it is not a scalar value (0, surrogates, > 0x10FFFF). */
function utf8(cp: number, into: Uint8Array): number {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  if (cp < 0x80) {
    into[0] = cp;
    return 1;
  }
  if (cp < 0x800) {
    into[0] = 0xc0 | (cp >> 6);
    into[1] = 0x80 | (cp & 0x3f);
    return 2;
  }
  if (cp < 0x10000) {
    into[0] = 0xe0 | (cp >> 12);
    into[1] = 0x80 | ((cp >> 6) & 0x3f);
    into[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  into[0] = 0xf0 | (cp >> 18);
  into[1] = 0x80 | ((cp >> 12) & 0x3f);
  into[2] = 0x80 | ((cp >> 6) & 0x3f);
  into[3] = 0x80 | (cp & 0x3f);
  return 4;
}
