/**
 * The ground floor: byte helpers every layer may use (matcher, variants,
 * engine, adapters, CLI). Nothing here imports anything of the project.
 */

/** A shared empty byte array (never written to). */
export const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * ASCII whitespace: space, TAB, LF, VT, FF, CR. Deliberately not
 * `String.prototype.trim`'s set, which also strips 0xA0 (NBSP in latin1),
 * i.e. the last byte of a UTF-8 secret ending in "à" (C3 A0).
 */
export function isAsciiSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** The bytes without ASCII whitespace at either end (a view, no copy). */
export function trimBytes(bytes: Uint8Array): Uint8Array {
  let a = 0;
  let b = bytes.length;
  while (a < b && isAsciiSpace(bytes[a])) a++;
  while (b > a && isAsciiSpace(bytes[b - 1])) b--;
  return bytes.subarray(a, b);
}

/** The parts joined into one array (the part itself when there is only one: may alias). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The bytes as a latin1 string, one char per byte (a bijection: nothing is
 * decoded or lost), read in place whatever the view's offset. For keys of
 * maps and sets, sorting, and byte-string work.
 */
export function toByteString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Value of a hex digit byte (either case), -1 for any other byte: `%XX` and `&#xH;` decoding, escape checks. */
export const HEX_VALUE: Int8Array = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

const nativeIndexOf = Buffer.prototype.indexOf;

/**
 * Index of `byte` in buf[from, buf.length), or -1: Node's native search
 * (memchr), which works on any Uint8Array. `Uint8Array.prototype.indexOf`
 * is several times slower (measured: 20 ms vs 3 ms for 32 MiB).
 */
export function indexOfByte(buf: Uint8Array, byte: number, from: number): number {
  return nativeIndexOf.call(buf, byte, from);
}

/**
 * The bytes as a plain Uint8Array view (no copy). The hot scan loops see one
 * array type only: a Buffer (a Uint8Array subclass) next to plain arrays makes
 * their element loads polymorphic and every scan slower.
 */
export function plainView(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
