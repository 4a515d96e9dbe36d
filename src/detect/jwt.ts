/**
 * JSON Web Tokens: `eyJ<header>.eyJ<payload>.<signature>`.
 *
 * The header is decoded (base64url) and must be a JSON object with an "alg"
 * member: base64 of some JSON is everywhere in logs (docker auth configs,
 * Kubernetes annotations), a JWS header is not. Once the header checks out and
 * the payload starts with `eyJ`, the token is committed and masked as it
 * streams (payloads can be kilobytes), keeping `eyJ` visible.
 */
import { B64URL, latin1 } from './bytes.js';
import { Candidate, type StreamReader, tokenBoundary } from './candidate.js';
import { detectorId } from './names.js';
import { REGISTER_MAX } from './shapes.js';
import { type Trigger, windowsWith } from './trigger.js';

/** Longest header we decode (real ones are 36-200 bytes): the pre-commit holdback bound. */
export const JWT_MAX_HEADER = 400;
/** A committed token is masked up to this many bytes. */
export const JWT_CAP = 8192;

const DOT = 0x2e;
const EYJ = latin1('eyJ');

const B64_VALUE = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => (B64_VALUE[c.charCodeAt(0)] = i));

/** Decodes base64url [start, stop) and checks it is a JSON object with an "alg" member. */
export function jwsHeader(r: StreamReader, start: number, stop: number): boolean {
  if ((stop - start) % 4 === 1) return false;
  const out = new Uint8Array(((stop - start) * 3) >> 2);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let q = start; q < stop; q++) {
    acc = (acc << 6) | B64_VALUE[r.byteAt(q)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  // At most JWT_MAX_HEADER bytes, read once per candidate that reached its payload: parsed as JSON
  // (latin1: each byte one character, as the bytes are), an object with an "alg" member.
  let header: unknown;
  try {
    header = JSON.parse(String.fromCharCode(...out.subarray(0, n)));
  } catch {
    return false;
  }
  return typeof header === 'object' && header !== null && !Array.isArray(header) && 'alg' in header;
}

const enum Phase {
  Header,
  PayloadHead,
  Committed,
}

class JwtCandidate extends Candidate {
  private phase = Phase.Header;
  private pos: number;
  private seen = 0; // payload head bytes matched
  /** Next byte to cover (committed). */
  private covered: number;
  /** A dot at the end of what arrived: part of the token only if a token byte follows. */
  private dotAt = -1;

  constructor(
    private readonly detector: number,
    private readonly start: number,
  ) {
    super();
    this.pos = start + 3;
    this.covered = start + 3;
    this.hold = start + 3;
    // jwsHeader decodes from `eyJ` itself: a header longer than the lane's 64-byte look-behind needs it kept.
    this.keep = start;
  }

  advance(r: StreamReader, final: boolean): boolean {
    const end = r.arrived;
    let q = this.pos;
    if (this.phase === Phase.Header) {
      const limit = this.start + JWT_MAX_HEADER;
      while (q < end && B64URL[r.byteAt(q)] === 1) {
        if (q === limit) return false;
        q++;
      }
      if (q === end) {
        this.pos = q;
        return !final;
      }
      if (r.byteAt(q) !== DOT || !jwsHeader(r, this.start, q)) return false;
      this.phase = Phase.PayloadHead;
      q++;
    }
    if (this.phase === Phase.PayloadHead) {
      while (this.seen < 3 && q < end) {
        if (r.byteAt(q) !== EYJ[this.seen]) return false;
        this.seen++;
        q++;
      }
      if (this.seen < 3) {
        this.pos = q;
        return !final;
      }
      this.phase = Phase.Committed;
    }
    // Committed: cover token bytes as they arrive; a trailing dot waits for the next byte.
    const limit = this.start + JWT_CAP;
    let stop = -1;
    while (q < end) {
      if (q === limit) {
        stop = q;
        break;
      }
      const b = r.byteAt(q);
      if (b === DOT) {
        if (this.dotAt >= 0) {
          stop = this.dotAt; // two dots in a row end the token
          break;
        }
        this.dotAt = q;
      } else if (B64URL[b] === 1) this.dotAt = -1;
      else {
        stop = this.dotAt >= 0 ? this.dotAt : q;
        break;
      }
      q++;
    }
    if (stop < 0 && final) stop = this.dotAt >= 0 ? this.dotAt : q;
    const upTo = stop >= 0 ? stop : this.dotAt >= 0 ? this.dotAt : q; // exclusive
    if (upTo > this.covered) {
      r.cover(this.covered, upTo - 1, this.detector);
      this.covered = upTo;
    }
    this.pos = q;
    this.hold = upTo;
    if (stop < 0) {
      // The value will end at upTo or later: once that is past REGISTER_MAX it is never registered, so nothing need be kept.
      // (Not q: a trailing dot may yet end the token before it.)
      if (upTo - this.start > REGISTER_MAX) this.keep = q;
      return true;
    }
    if (stop - this.start <= REGISTER_MAX) r.found(this.start + 3, stop, this.detector); // what is masked, like every detector
    return false;
  }
}

export function jwtTriggers(): Trigger[] {
  const id = detectorId('jwt');
  return windowsWith('eyJ', B64URL).map((window) => ({
    window,
    onHit: (r: StreamReader, p: number) => (tokenBoundary(r, p) ? new JwtCandidate(id, p) : null),
  }));
}
