/**
 * The percent-decoded views (variant `percent`): any mix of literal and
 * `%XX`-escaped bytes, hex digits in either case — what every URL and form
 * encoder produces (curl `--data-urlencode`, jq `@uri`, Python `quote` and
 * `quote_plus`, `encodeURIComponent`, `URLSearchParams`, PHP `urlencode` and
 * `rawurlencode`, `encodeURI`, Go `url.QueryEscape`/`PathEscape`, jQuery's
 * `%20` -> `+`), whichever bytes it chose to escape.
 *
 * Two views, because `+` means two things: in the plain view `+` is itself
 * (`encodeURI`, path encoders), in the form view `+` is a space
 * (`application/x-www-form-urlencoded`). A secret with both a space and a `+`
 * is found in whichever view its encoder used.
 *
 * Edit: `%` and two hex digits -> that byte; form view also `+` -> space. One
 * view byte stands for at most 3 stream bytes.
 */
import { HEX_VALUE, indexOfByte } from '../../bytes/index.js';
import type { PatternFacts } from '../pattern-facts.js';
import { type EditOut, Parse, type ViewDecoder } from './view-lane.js';

const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

/**
 * The next occurrence of one byte at or after `from` in the current buffer,
 * remembered so that searching from a later `from` does not rescan (a buffer
 * with many '+' and no '%' would otherwise search to its end once per '+').
 */
class NextByte {
  private from = 0;
  private at = -1;
  private valid = false;

  constructor(private readonly byte: number) {}

  reset(): void {
    this.valid = false;
  }

  next(buf: Uint8Array, from: number, to: number): number {
    if (!this.valid || from < this.from || (this.at >= 0 && this.at < from)) {
      this.from = from;
      this.at = indexOfByte(buf, this.byte, from);
      this.valid = true;
    }
    return this.at >= 0 && this.at < to ? this.at : -1;
  }
}

/** A decoder for one view (`form`: `+` is a space). Each lane gets its own: it keeps scratch state. */
export function percentDecoder(form: boolean): ViewDecoder {
  const byte = new Uint8Array(1);
  const pct = new NextByte(PERCENT);
  const plus = new NextByte(PLUS);
  return {
    name: form ? 'percent-plus' : 'percent',
    maxEditBytes: 3,
    maxHold(viewBytes: number): number {
      return 3 * viewBytes + 2;
    },
    // The form view differs from the plain one only where `+` becomes a space:
    // without a space in any pattern, every match it has the plain view has too.
    redundant: form ? (facts: PatternFacts) => facts.bytes[SPACE] === 0 : undefined,
    startBuffer(): void {
      pct.reset();
      plus.reset();
    },
    findTrigger(buf: Uint8Array, from: number, to: number): number {
      const t = pct.next(buf, from, to);
      if (!form) return t;
      const p = plus.next(buf, from, to);
      if (t < 0) return p;
      return p >= 0 && p < t ? p : t;
    },
    parse(buf: Uint8Array, at: number, to: number, _bufBase, _peek, final: boolean, out: EditOut): Parse {
      if (buf[at] === PLUS) {
        byte[0] = SPACE;
      } else {
        if (at + 1 >= to) return final ? Parse.None : Parse.Incomplete;
        const hi = HEX_VALUE[buf[at + 1]];
        if (hi < 0) return Parse.None;
        if (at + 2 >= to) return final ? Parse.None : Parse.Incomplete;
        const lo = HEX_VALUE[buf[at + 2]];
        if (lo < 0) return Parse.None;
        byte[0] = (hi << 4) | lo;
      }
      out.end = at + (buf[at] === PLUS ? 1 : 3);
      out.bytes = byte;
      out.length = 1;
      return Parse.Edit;
    },
  };
}

