/**
 * Byte-order marks. Windows editors and PowerShell (`Out-File`, `>` in
 * Windows PowerShell 5) write a UTF-8 BOM or UTF-16 with a BOM; a secret
 * file read as raw bytes would then register `EF BB BF tok…`, which never
 * occurs in a log, and the real token would leak.
 *
 * - UTF-8 BOM: stripped.
 * - UTF-16 LE/BE BOM: decoded to UTF-8 (what the secret looks like in a log
 *   written by a UTF-8 program); invalid UTF-16 is refused.
 * - No BOM: the bytes are kept exactly (no decoding: a secret may be binary).
 */
import { SourceError } from './types.js';

export function stripBom(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  if (bytes.length >= 2) {
    const le = bytes[0] === 0xff && bytes[1] === 0xfe;
    const be = bytes[0] === 0xfe && bytes[1] === 0xff;
    if (le || be) {
      const body = bytes.subarray(2);
      if (body.length % 2 !== 0) throw new SourceError(name, `UTF-16${le ? 'LE' : 'BE'} (byte-order mark) with an odd number of bytes: not valid UTF-16`);
      let text: string;
      try {
        text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(body);
      } catch {
        throw new SourceError(name, `UTF-16${le ? 'LE' : 'BE'} (byte-order mark) but not valid UTF-16; save it as UTF-8`);
      }
      return new TextEncoder().encode(text);
    }
  }
  return bytes;
}

/** Strict UTF-8 decoding for text formats (JSON); throws a SourceError naming the source. */
export function decodeUtf8(bytes: Uint8Array, name: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SourceError(name, `${what} is not valid UTF-8`);
  }
}

/** Whether the bytes are valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
