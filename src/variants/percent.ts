/**
 * The `percent` variant: the secret percent-encoded (byte-wise, so UTF-8
 * secrets come out exactly as encoders that work on UTF-8 produce them) the
 * ways real tools do it. Tools differ in which characters they leave alone
 * and in whether a space becomes `+`. All of them emit upper-case hex;
 * lower-case hex is added where hand-rolled encoders would produce it.
 */
import { ByteStringWriter, hexDigits } from './byte-string.js';

interface PercentProfile {
  /** Characters left as they are, besides ASCII letters and digits. */
  safe: string;
  /** Space becomes `+` (application/x-www-form-urlencoded). */
  spaceAsPlus: boolean;
  /**
   * Also generate lower-case hex. Every tool listed emits upper-case; lower
   * case comes from hand-rolled `'%' + byte.toString(16)` encoders, which
   * encode everything but unreserved characters, so only those profiles
   * get it (keeps the pattern count down for punctuation-heavy passwords).
   */
  lowerHexToo: boolean;
}

const PROFILES: readonly PercentProfile[] = [
  // RFC 3986 unreserved: curl --data-urlencode / curl_easy_escape, jq @uri,
  // Python quote(s, safe=''), PHP rawurlencode.
  { safe: '-._~', spaceAsPlus: false, lowerHexToo: true },
  // Python quote_plus, Go url.QueryEscape.
  { safe: '-._~', spaceAsPlus: true, lowerHexToo: true },
  // Python quote(s) with its default safe='/'.
  { safe: '-._~/', spaceAsPlus: false, lowerHexToo: false },
  // JS encodeURIComponent.
  { safe: "-._~!*'()", spaceAsPlus: false, lowerHexToo: false },
  // WHATWG URLSearchParams / HTML forms, Java URLEncoder.
  { safe: '-._*', spaceAsPlus: true, lowerHexToo: true },
  // PHP urlencode.
  { safe: '-._', spaceAsPlus: true, lowerHexToo: false },
  // JS encodeURI (a whole URL).
  { safe: "-._~!*'();,/?:@&=+$#", spaceAsPlus: false, lowerHexToo: false },
  // RFC 3986 path segment (pchar): Go url.PathEscape-like escapers.
  { safe: "-._~!$&'()*+,;=:@", spaceAsPlus: false, lowerHexToo: false },
];

/** Left alone by every profile, so a secret made only of these has no percent form. */
const NEVER_ENCODED = /^[A-Za-z0-9._-]*$/;

/** The characters some profiles encode and others keep; one bit each (plus one for "space as +"). */
const CONTESTED = [...new Set(PROFILES.flatMap((profile) => [...profile.safe]))].filter((c) => !/[._-]/.test(c)).join('');
const SPACE_AS_PLUS_BIT = 1 << CONTESTED.length;
const LOWER_HEX_BIT = SPACE_AS_PLUS_BIT << 1;

/** Bit of each contested byte, 0 for the others. */
const CONTESTED_BIT = new Uint32Array(256);
for (let i = 0; i < CONTESTED.length; i++) CONTESTED_BIT[CONTESTED.charCodeAt(i)] = 1 << i;

const PERCENT_UPPER = Array.from({ length: 256 }, (_, byte) => '%' + hexDigits(byte, 2, true));
const PERCENT_LOWER = Array.from({ length: 256 }, (_, byte) => '%' + hexDigits(byte, 2, false));
const HAS_HEX_LETTER = /%(?:[A-F][0-9A-F]|[0-9][A-F])/;

interface CompiledProfile extends PercentProfile {
  /** 1 for each byte left as it is. */
  table: Uint8Array;
  /** The contested characters it keeps, as CONTESTED bits. */
  keeps: number;
}

const COMPILED: readonly CompiledProfile[] = PROFILES.map((profile) => {
  const table = new Uint8Array(256);
  let keeps = 0;
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9]/.test(ch) || profile.safe.includes(ch)) {
      table[c] = 1;
      keeps |= CONTESTED_BIT[c];
    }
  }
  return { ...profile, table, keeps };
});

/** The percent-encoded forms of a byte string (may include duplicates or the string itself). */
export function percentEncodedForms(text: string): string[] {
  if (NEVER_ENCODED.test(text)) return [];

  // Profiles that make the same decisions on this secret's own bytes give the
  // same output: key each by those decisions and encode each key once.
  let present = 0;
  for (let i = 0; i < text.length; i++) present |= CONTESTED_BIT[text.charCodeAt(i)];
  const plusMatters = text.includes(' ');

  const seen = new Set<number>();
  const forms: string[] = [];
  for (const profile of COMPILED) {
    const key = (profile.keeps & present) | (plusMatters && profile.spaceAsPlus ? SPACE_AS_PLUS_BIT : 0);
    let upper: string | undefined;
    if (!seen.has(key)) {
      seen.add(key);
      upper = percentEncode(text, profile.table, profile.spaceAsPlus, PERCENT_UPPER);
      forms.push(upper);
    }
    // Keyed apart: a profile may want lower case where another with the same decisions did not.
    const lowerKey = key | LOWER_HEX_BIT;
    if (profile.lowerHexToo && !seen.has(lowerKey)) {
      seen.add(lowerKey);
      upper ??= percentEncode(text, profile.table, profile.spaceAsPlus, PERCENT_UPPER);
      if (HAS_HEX_LETTER.test(upper)) forms.push(percentEncode(text, profile.table, profile.spaceAsPlus, PERCENT_LOWER));
    }
  }
  return forms;
}

const writer = new ByteStringWriter();

function percentEncode(text: string, safe: Uint8Array, spaceAsPlus: boolean, escapes: readonly string[]): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (safe[code]) writer.byte(code);
    else if (code === 0x20 && spaceAsPlus) writer.byte(0x2b);
    else writer.text(escapes[code]);
  }
  return writer.finish();
}
