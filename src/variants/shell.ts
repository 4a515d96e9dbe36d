/**
 * The `shell` variant: the secret as scripts and tools quote it, i.e. what
 * shows up when a command line is echoed (`set -x`, `make`, CI step logs):
 *
 * - inside double quotes: `"` `\` `` ` `` `$` backslash-escaped, and the
 *   naive form that escapes only `"`;
 * - inside single quotes: `'` as `'\''` (most scripts, bash `${v@Q}`) or
 *   `'"'"'` (Python shlex.quote);
 * - Makefiles: `$` doubled;
 * - bash `printf %q` backslash quoting, and the ANSI-C `$'…'` form bash
 *   switches to when the value has anything non-printable (control
 *   characters, invalid UTF-8, or just a trailing newline around the
 *   secret), in both UTF-8 and C locales.
 *
 * Forms are the text between the quotes (the quotes are not secret).
 */
import { ByteStringWriter, wellFormedUtf8Bytes } from './byte-string.js';

/** Characters bash's `printf %q` backslash-escapes anywhere (measured on bash 5.2). */
const PRINTF_Q_SPECIAL = /[ \t\n!"$&'()*,;<>?[\\\]^`{|}]/g;
/** …`~` at the start or after `=` / `:` (where tilde expansion happens), `#` at the start (comments). */
const PRINTF_Q_TILDE_AFTER = /([=:])~/g;
const PRINTF_Q_SPECIAL_FIRST = /^[~#]/;

/** Any byte that one of the forms changes. */
const MAY_BE_QUOTED = /[ \t\n!"$&'()*,;<>?[\\\]^`{|}\x00-\x1f\x7f-\xff]|^[~#]|[=:]~/;
/** Characters escaped by a backslash inside double quotes. */
const DOUBLE_QUOTE_SPECIAL = /["\\`$]/;
const DOUBLE_QUOTE_SPECIAL_ALL = /["\\`$]/g;
const ANSI_C_DIFFERS = /[\x00-\x1f\x7f'\\]/;
const HAS_HIGH_BYTE = /[\x80-\xff]/;

const writer = new ByteStringWriter();

/** Backslash escapes bash uses inside `$'…'`, by byte (undefined: the byte itself, or octal when non-printable). */
const ANSI_C_NAMED: readonly (string | undefined)[] = (() => {
  const table = new Array<string | undefined>(256).fill(undefined);
  const named: Array<[number, string]> = [
    [0x07, '\\a'],
    [0x08, '\\b'],
    [0x09, '\\t'],
    [0x0a, '\\n'],
    [0x0b, '\\v'],
    [0x0c, '\\f'],
    [0x0d, '\\r'],
    [0x1b, '\\E'],
    [0x27, "\\'"],
    [0x5c, '\\\\'],
  ];
  for (const [code, escape] of named) table[code] = escape;
  return table;
})();

/** The shell-quoted forms of a byte string (may include duplicates or the string itself). */
export function shellQuotedForms(text: string): string[] {
  if (!MAY_BE_QUOTED.test(text)) return [];
  // Each form only when the secret has the character it changes (saves work, not patterns: duplicates are dropped anyway).
  const forms = printfQBackslash(text);
  if (DOUBLE_QUOTE_SPECIAL.test(text)) forms.push(text.replace(DOUBLE_QUOTE_SPECIAL_ALL, '\\$&'));
  if (text.includes('"')) forms.push(text.replace(/"/g, '\\"'));
  if (text.includes("'")) forms.push(text.replace(/'/g, "'\\''"), text.replace(/'/g, `'"'"'`));
  if (text.includes('$')) forms.push(text.replace(/\$/g, '$$$$'));
  // bash picks $'…' for the whole value when any of it is non-printable,
  // including whitespace around the secret that trimming removed, so the
  // form is needed whenever it differs (' and \ are escaped there too).
  // Non-ASCII: a UTF-8 locale prints well-formed characters as they are and
  // the other bytes in octal; the C locale prints every such byte in octal.
  const hasHighByte = HAS_HIGH_BYTE.test(text);
  if (ANSI_C_DIFFERS.test(text) || hasHighByte) forms.push(ansiCQuote(text, wellFormedUtf8Bytes(text, isPrintableInUtf8Locale)));
  if (hasHighByte) forms.push(ansiCQuote(text, undefined));
  return forms;
}

/**
 * bash `printf %q` backslash form. A leading `~` or `#` is escaped only at
 * the start of the printed value: both forms, since whitespace trimmed off
 * the secret may have preceded it.
 */
function printfQBackslash(text: string): string[] {
  // `=`, `:` and `~` are never escaped by the first pass, so the second sees them as they are.
  const escaped = text.replace(PRINTF_Q_SPECIAL, '\\$&').replace(PRINTF_Q_TILDE_AFTER, '$1\\~');
  return PRINTF_Q_SPECIAL_FIRST.test(escaped) ? ['\\' + escaped, escaped] : [escaped];
}

/**
 * glibc's iswprint, as far as it is stable across Unicode versions: C1
 * controls, the line / paragraph separators and noncharacters are printed
 * in octal by bash. (Unassigned code points are too, but which ones are
 * unassigned depends on the C library's Unicode version: not covered.)
 */
function isPrintableInUtf8Locale(codePoint: number): boolean {
  if (codePoint >= 0x80 && codePoint <= 0x9f) return false;
  if (codePoint === 0x2028 || codePoint === 0x2029) return false;
  if (codePoint >= 0xfdd0 && codePoint <= 0xfdef) return false;
  return (codePoint & 0xfffe) !== 0xfffe;
}

/**
 * The inside of bash's `$'…'` quoting. Bytes >= 0x80 are kept where
 * `keepHigh` marks them (printable characters in a UTF-8 locale), in octal
 * otherwise (the C locale: all of them).
 */
function ansiCQuote(text: string, keepHigh: Uint8Array | undefined): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const named = ANSI_C_NAMED[code];
    if (named !== undefined) writer.text(named);
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && !keepHigh?.[i])) writer.text('\\' + code.toString(8).padStart(3, '0'));
    else writer.byte(code);
  }
  return writer.finish();
}
