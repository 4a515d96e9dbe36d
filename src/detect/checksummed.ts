/**
 * GitHub (ghp_ gho_ ghu_ ghs_ ghr_, github_pat_) and npm (npm_) tokens.
 *
 * The classic formats end with 6 base62 digits (0-9A-Za-z, left-padded with
 * '0') of the CRC-32 of the random part before them. We check it, so a run
 * that merely looks like a token is left alone. The run may be longer than
 * today's 30 + 6 (GitHub reserves up to 255 bytes); the last 6 are the check.
 * github_pat_ has no published check: prefix and length (82+) only.
 */
import { ALNUM, ALNUM_UNDERSCORE, latin1 } from './bytes.js';
import { endsWith, type StreamReader } from './candidate.js';
import { CRC_INIT, base62Value, crc32Final, crc32Step } from './crc32.js';
import { detectorId } from './names.js';
import { Run, type RunRule } from './shapes.js';
import type { Trigger } from './trigger.js';

/** True when the last 6 bytes of [start, stop) are the base62 CRC-32 of the bytes before them. */
export function crcValid(r: StreamReader, start: number, stop: number): boolean {
  const body = stop - 6;
  let crc = CRC_INIT;
  for (let q = start; q < body; q++) crc = crc32Step(crc, r.byteAt(q));
  let v = 0;
  for (let q = body; q < stop; q++) {
    const d = base62Value(r.byteAt(q));
    if (d < 0) return false;
    v = v * 62 + d;
  }
  return v === crc32Final(crc);
}

/** The byte before a token must not be a letter or digit (no match inside a longer word or blob). */
export function leftBoundary(r: StreamReader, tokenStart: number): boolean {
  const b = r.byteAt(tokenStart - 1);
  return b < 0 || ALNUM[b] !== 1;
}

const MAX_RUN = 255;

function checksummedRule(detector: number, prefixLength: number): RunRule {
  return { detector, charset: ALNUM, min: 36, max: MAX_RUN - prefixLength, valid: crcValid };
}

export function checksummedTriggers(enabled: (name: 'github' | 'npm') => boolean): Trigger[] {
  const out: Trigger[] = [];
  if (enabled('github')) {
    const gh = checksummedRule(detectorId('github'), 4);
    for (const w of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
      out.push({ window: w, onHit: (r, p) => (leftBoundary(r, p) ? new Run(gh, p, p + 4) : null) });
    }
    // github_pat_<22>_<59>: the window is the prefix's last 4 bytes, the rest is checked behind it.
    const pat: RunRule = { detector: detectorId('github'), charset: ALNUM_UNDERSCORE, min: 82, max: MAX_RUN - 11 };
    const head = latin1('github_');
    out.push({
      window: 'pat_',
      onHit: (r, p) => (endsWith(r, p, head) && leftBoundary(r, p - 7) ? new Run(pat, p - 7, p + 4) : null),
    });
  }
  if (enabled('npm')) {
    const npm = checksummedRule(detectorId('npm'), 4);
    out.push({ window: 'npm_', onHit: (r, p) => (leftBoundary(r, p) ? new Run(npm, p, p + 4) : null) });
  }
  return out;
}
