/**
 * GitHub (ghp_ gho_ ghu_ ghs_ ghr_, github_pat_) and npm (npm_) tokens.
 *
 * The classic formats end with 6 base62 digits (0-9A-Za-z, left-padded with
 * '0') of the CRC-32 of the random part before them. We check it, so a run
 * that merely looks like a token is left alone. The run may be longer than
 * today's 30 + 6 (GitHub reserves up to 255 bytes); the last 6 are the check.
 * github_pat_ has no published check: prefix and length (82+) only.
 */
import { ALNUM, ALNUM_UNDERSCORE } from './bytes.js';
import { type StreamReader, tokenBoundary } from './candidate.js';
import { CRC_INIT, base62Value, crc32Final, crc32Step } from './crc32.js';
import { detectorId } from './names.js';
import { literalTriggers, Run, type RunRule } from './shapes.js';
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

/** Tokens are at most this long, prefix included (GitHub's documented ceiling; we use it for every format). */
export const MAX_TOKEN = 255;

/** A token = `prefix` + a Run of `rule`, at a word boundary, prefix kept visible. */
export function prefixedToken(prefix: string, rule: RunRule, boundary = true): Trigger[] {
  return literalTriggers(prefix, {
    boundary: boundary ? tokenBoundary : undefined,
    then: (tokenStart, at) => new Run(rule, tokenStart, at),
  });
}

export function checksummedTriggers(enabled: (name: 'github' | 'npm') => boolean): Trigger[] {
  const out: Trigger[] = [];
  const rule = (detector: number): RunRule => ({ detector, charset: ALNUM, min: 36, max: MAX_TOKEN - 4, valid: crcValid });
  if (enabled('github')) {
    const gh = rule(detectorId('github'));
    for (const p of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) out.push(...prefixedToken(p, gh));
    // github_pat_<22>_<59>: no check digits, so prefix and length only.
    out.push(...prefixedToken('github_pat_', { detector: detectorId('github'), charset: ALNUM_UNDERSCORE, min: 82, max: MAX_TOKEN - 11 }));
  }
  if (enabled('npm')) out.push(...prefixedToken('npm_', rule(detectorId('npm'))));
  return out;
}
