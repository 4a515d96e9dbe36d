// Adversarial inputs (issue 12): texts an attacker who can print into a log
// would choose to keep the matcher in its deep, expensive states. Each is a
// pure function of the secret list (and a seed) and returns a Buffer of
// exactly `bytes` bytes. Ordinary text (gen.mjs) is the yardstick they are
// compared with, in the same process.
import { makeRng } from './gen.mjs';

/** Repeats `unit` (a Buffer) until `bytes` long. */
function fill(unit, bytes) {
  const buf = Buffer.allocUnsafe(bytes);
  for (let pos = 0; pos < bytes; pos += unit.length) unit.copy(buf, pos, 0, Math.min(unit.length, bytes - pos));
  return buf;
}

/** `s` with its last byte changed (to a byte that keeps it a plausible token). */
export function nearMiss(s) {
  const last = s.at(-1);
  return s.slice(0, -1) + (last === 'Q' ? 'R' : 'Q');
}

/** Base64 of `data`, wrapped at `cols` columns (as `base64` and PEM do). */
function wrapped(data, cols) {
  const b64 = data.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += cols) out += b64.slice(i, i + cols) + '\n';
  return out;
}

export const ADVERSARIAL = {
  /** Each secret with its last byte changed, one after the other, repeated. */
  'near-miss'(secrets, bytes) {
    return fill(Buffer.from(secrets.map((s) => nearMiss(s) + ' ').join(''), 'latin1'), bytes);
  },
  /** Base64 of the near-miss flood, 76 columns. */
  'near-miss-b64'(secrets, bytes) {
    const text = Buffer.from(secrets.map((s) => nearMiss(s) + ' ').join(''), 'latin1');
    return fill(Buffer.from(wrapped(text, 76), 'latin1'), bytes);
  },
  /** Runs of one secret's (length-1)-byte prefix, for one secret after another. */
  'prefix-runs'(secrets, bytes) {
    let unit = '';
    for (let k = 0; k < Math.min(secrets.length, 64); k++) unit += secrets[k].slice(0, -1).repeat(64);
    return fill(Buffer.from(unit, 'latin1'), bytes);
  },
  /** Random 4-byte grams of random secrets, concatenated. */
  'secret-4grams'(secrets, bytes, seed = 1) {
    const rng = makeRng(seed);
    let unit = '';
    while (unit.length < Math.min(bytes, 1 << 20)) {
      const s = rng.pick(secrets);
      const at = rng.int(s.length - 3);
      unit += s.slice(at, at + 4);
    }
    return fill(Buffer.from(unit, 'latin1'), bytes);
  },
  /** JSON-escaped text (PHP style, `\/`), near-misses among paths and quotes. */
  'json-escaped'(secrets, bytes, seed = 2) {
    const rng = makeRng(seed);
    let unit = '';
    while (unit.length < Math.min(bytes, 1 << 20)) {
      const s = nearMiss(rng.pick(secrets));
      const line = `{"path":"/home/runner/work/${rng.hex(8)}/src/index.ts","msg":"token \\"${s}\\" at \\/api\\/v1"}\n`;
      unit += JSON.stringify(line).replaceAll('/', '\\/') + '\n';
    }
    return fill(Buffer.from(unit, 'latin1'), bytes);
  },
  /** Random base64, 76 columns. */
  'random-b64'(_secrets, bytes, seed = 3) {
    const rng = makeRng(seed);
    const raw = Buffer.allocUnsafe(3 << 18);
    for (let i = 0; i < raw.length; i += 4) raw.writeUInt32LE(rng.u32(), i);
    return fill(Buffer.from(wrapped(raw, 76), 'latin1'), bytes);
  },
};

/**
 * The shared-prefix set: `count` secrets made of one 32-byte prefix and a
 * distinct 8-16 byte suffix; its input is their near-misses.
 */
export function sharedPrefixSecrets(count, seed = 4) {
  const rng = makeRng(seed);
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let prefix = '';
  for (let i = 0; i < 32; i++) prefix += ALNUM[rng.int(62)];
  const seen = new Set();
  const out = [];
  while (out.length < count) {
    let s = prefix;
    const len = rng.range(8, 16);
    for (let i = 0; i < len; i++) s += ALNUM[rng.int(62)];
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}
