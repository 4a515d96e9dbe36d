/**
 * The `json` variant: the secret as it appears between the quotes of a JSON
 * string. Encoders disagree on the details, so every combination of the
 * choices real encoders make is generated (only for the choices the secret's
 * bytes actually exercise, so a plain token costs one regex test):
 *
 * - `/` raw (JSON.stringify, jq, Python) or `\/` (PHP json_encode);
 * - `\u` hex digits lower-case (JSON.stringify, jq, Python, Go) or upper-case
 *   (Jackson and other Java encoders);
 * - DEL raw (JSON.stringify, Python) or `\u007f` (jq);
 * - BS / FF as `\b` `\f` (most) or `\u0008` `\u000c` (Go before 1.22);
 * - `<` `>` `&` raw or `\u003c` `\u003e` `\u0026` (Go's HTML-safe default);
 * - non-ASCII raw UTF-8 (most) or `\uXXXX` UTF-16 code units (Python's
 *   `ensure_ascii`, PHP) — only when the secret is valid UTF-8, because that
 *   form is defined on text.
 *
 * `"` `\` and the other control characters are escaped the same way by all.
 *
 * Not covered: Go's `\u2028` / `\u2029` escapes of those two characters, and
 * encoders that replace invalid UTF-8 with U+FFFD (jq): the secret's bytes
 * are then no longer in the output at all.
 */
import { ByteStringWriter, hexDigits } from './byte-string.js';

interface JsonStyle {
  escapeSlash: boolean;
  upperHex: boolean;
  escapeDel: boolean;
  unicodeBsFf: boolean;
  escapeHtml: boolean;
  escapeNonAscii: boolean;
}
type StyleChoice = keyof JsonStyle;

/** Any byte some encoder escapes. */
const MAY_BE_ESCAPED = /[\x00-\x1f"\\/\x7f-\xff<>&]/;
const CONTROL_NEEDING_UNICODE = /[\x00-\x07\x0b\x0e-\x1f]/;

const writer = new ByteStringWriter();
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The JSON-escaped forms of a byte string (may include duplicates or the string itself). */
export function jsonEscapedForms(text: string): string[] {
  if (!MAY_BE_ESCAPED.test(text)) return [];

  const choices: StyleChoice[] = [];
  if (text.includes('/')) choices.push('escapeSlash');
  if (text.includes('\x7f')) choices.push('escapeDel');
  if (text.includes('\b') || text.includes('\f')) choices.push('unicodeBsFf');
  if (/[<>&]/.test(text)) choices.push('escapeHtml');
  const decoded = /[\x80-\xff]/.test(text) ? decodeUtf8(text) : undefined;
  if (decoded !== undefined) choices.push('escapeNonAscii');
  // Hex case only matters for a form that contains a \uXXXX escape: always
  // when the secret has a control character without a short escape,
  // otherwise only when one of the \u-producing choices is on.
  const alwaysUnicode = CONTROL_NEEDING_UNICODE.test(text);
  const unicodeChoices = choices.filter((choice) => choice !== 'escapeSlash');
  if (alwaysUnicode || unicodeChoices.length > 0) choices.push('upperHex');

  const forms: string[] = [];
  for (let mask = 0; mask < 1 << choices.length; mask++) {
    const style: JsonStyle = {
      escapeSlash: false,
      upperHex: false,
      escapeDel: false,
      unicodeBsFf: false,
      escapeHtml: false,
      escapeNonAscii: false,
    };
    for (let bit = 0; bit < choices.length; bit++) if (mask & (1 << bit)) style[choices[bit]] = true;
    if (style.upperHex && !alwaysUnicode && !unicodeChoices.some((choice) => style[choice])) continue; // same as lower case
    forms.push(escapeJson(style.escapeNonAscii ? (decoded as string) : text, style));
  }
  return forms;
}

/**
 * Escapes `units` (a byte string, or UTF-16 text when non-ASCII is escaped)
 * for the inside of a JSON string. Unescaped char codes are copied as they
 * are, so a byte string stays a byte string (and decoded text has every
 * char code >= 0x80 escaped, so it never reaches `writer.byte`).
 */
function escapeJson(units: string, style: JsonStyle): string {
  for (let i = 0; i < units.length; i++) {
    const code = units.charCodeAt(i);
    const escaped = escapeUnit(code, style);
    if (escaped === undefined) writer.byte(code);
    else writer.text(escaped);
  }
  return writer.finish();
}

function escapeUnit(code: number, style: JsonStyle): string | undefined {
  switch (code) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x2f:
      return style.escapeSlash ? '\\/' : undefined;
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x08:
      return style.unicodeBsFf ? unicodeEscape(code, style) : '\\b';
    case 0x0c:
      return style.unicodeBsFf ? unicodeEscape(code, style) : '\\f';
    case 0x3c:
    case 0x3e:
    case 0x26:
      return style.escapeHtml ? unicodeEscape(code, style) : undefined;
    case 0x7f:
      return style.escapeDel ? unicodeEscape(code, style) : undefined;
  }
  if (code < 0x20) return unicodeEscape(code, style);
  if (code >= 0x80 && style.escapeNonAscii) return unicodeEscape(code, style);
  return undefined;
}

function unicodeEscape(code: number, style: JsonStyle): string {
  return '\\u' + hexDigits(code, 4, style.upperHex);
}

/** The byte string decoded as UTF-8 text, or undefined when it is not valid UTF-8. */
function decodeUtf8(text: string): string | undefined {
  try {
    return utf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return undefined;
  }
}

/** At most this many string values are taken from one JSON-document secret. */
const MAX_DOCUMENT_VALUES = 1024;

/**
 * The string values of a secret that is a JSON object or array (recursively),
 * as byte strings of their UTF-8 bytes; empty for any other secret. This is
 * registration time (a secret, not the stream), so parsing text is fine.
 */
export function jsonDocumentValues(text: string): string[] {
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return []; // '{' or '['
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(Buffer.from(text, 'latin1')));
  } catch {
    return [];
  }
  const values: string[] = [];
  const walk = (node: unknown): void => {
    if (values.length >= MAX_DOCUMENT_VALUES) return;
    if (typeof node === 'string') values.push(Buffer.from(node, 'utf8').toString('latin1'));
    else if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object') for (const item of Object.values(node)) walk(item);
  };
  walk(doc);
  return values;
}
