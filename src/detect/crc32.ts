/** CRC-32 (IEEE, as zlib) and the base62 rendering GitHub and npm tokens end with. */
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

export const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Value of a base62 digit (0-9A-Za-z order), -1 otherwise. */
export function base62Value(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x5a) return b - 0x41 + 10;
  if (b >= 0x61 && b <= 0x7a) return b - 0x61 + 36;
  return -1;
}

export function crc32Step(crc: number, b: number): number {
  return TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
}

export const CRC_INIT = -1;

export function crc32Final(crc: number): number {
  return (crc ^ -1) >>> 0;
}
