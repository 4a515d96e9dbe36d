/**
 * Credentials recognised by their context, not their shape:
 *   - url-password: the password in scheme://user:password@host (user and
 *     host stay visible);
 *   - auth-header: the credential after Authorization: Basic|Bearer|Token
 *     (any case, also `"Authorization": "..."` and `extraheader=AUTHORIZATION: ...`);
 *   - query-param: the value of a sensitive query parameter (after ? & or &amp;).
 * Header and parameter values are committed as soon as the name and scheme
 * are seen and masked as they stream (S3 session tokens run past 1 KiB); a URL
 * password is decided when the authority ends (bounded: 255 bytes).
 */
import { byteSet, latin1, lower } from './bytes.js';
import { Candidate, type StreamReader, tokenBoundary } from './candidate.js';
import { detectorId, type DetectorName } from './names.js';
import { literalTriggers, type Step, StreamRun } from './shapes.js';
import { type Trigger, caseVariants, windowsBefore } from './trigger.js';

/** Longest userinfo + host we follow; the url-password holdback bound. */
export const URL_MAX = 255;
/** A committed header or parameter value is masked up to this many bytes. */
export const VALUE_CAP = 8192;

const SCHEME = byteSet('+.-', ['A', 'Z'], ['a', 'z'], ['0', '9']);
const LETTER = byteSet('', ['A', 'Z'], ['a', 'z']);
/** Bytes that end a URL's authority (or a value): delimiters, space, quotes, controls. */
const URL_END = (() => {
  const t = byteSet('/?#"\'<>`\\{}|^ ');
  for (let b = 0; b < 0x20; b++) t[b] = 1;
  t[0x7f] = 1;
  return t;
})();
const COLON = 0x3a;
const AT = 0x40;
const DOLLAR = 0x24;

class UrlCandidate extends Candidate {
  private pos: number;
  private passStart = -1;
  private lastAt = -1;

  constructor(
    private readonly detector: number,
    private readonly start: number, // first byte after ://
  ) {
    super();
    this.pos = start;
    this.hold = start;
    this.keep = start;
  }

  advance(r: StreamReader, final: boolean): boolean {
    const end = r.arrived;
    const limit = this.start + URL_MAX;
    let q = this.pos;
    for (; q < end; q++) {
      if (q === limit) return this.decide(r, q);
      const b = r.byteAt(q);
      if (URL_END[b] === 1) return this.decide(r, q);
      if (this.passStart < 0) {
        if (b === AT) return false; // user only, no password
        if (b === COLON) {
          this.passStart = q + 1;
          this.hold = q + 1;
        }
      } else if (b === AT) this.lastAt = q;
    }
    this.pos = q;
    if (this.passStart < 0) this.hold = q; // the user part is never masked
    return final ? this.decide(r, q) : true;
  }

  /** The authority ended at `stop`: mask the password if an @ and a host followed it. */
  private decide(r: StreamReader, stop: number): boolean {
    const s = this.passStart;
    const at = this.lastAt;
    if (s < 0 || at <= s || at + 1 >= stop) return false;
    if (r.byteAt(s) === DOLLAR) return false; // $VAR / ${VAR}: a placeholder in a script, not a value
    r.cover(s, at - 1, this.detector);
    r.found(s, at, this.detector);
    return false;
  }
}

function urlTriggers(): Trigger[] {
  const id = detectorId('url-password');
  const onHit = (r: StreamReader, p: number): Candidate | null => {
    // p is the scheme's last byte; the scheme starts with a letter and is at most 32 bytes.
    let s = p;
    while (s > p - 32 && SCHEME[r.byteAt(s - 1)] === 1) s--;
    if (SCHEME[r.byteAt(s - 1)] === 1 || LETTER[r.byteAt(s)] !== 1) return null;
    return new UrlCandidate(id, p + 4);
  };
  // Schemes end in a letter in practice (http, https, postgres, redis, git+ssh); a digit there would put
  // every "12:03" of a timestamp into the first pass.
  return windowsBefore(LETTER, '://').map((window) => ({ window, onHit }));
}

/** RFC 7235 token68 (base64, JWTs, opaque tokens). */
const TOKEN68 = byteSet('-._~+/=', ['A', 'Z'], ['a', 'z'], ['0', '9']);
const QUOTE_SPACE = byteSet('"\' \t');
const SPACE = byteSet(' \t');

function authTriggers(): Trigger[] {
  const id = detectorId('auth-header');
  const steps: Step[] = [
    { kind: 'skip', set: QUOTE_SPACE, min: 0, max: 4 },
    { kind: 'skip', set: byteSet(':='), min: 1, max: 1 },
    { kind: 'skip', set: QUOTE_SPACE, min: 0, max: 4 },
    { kind: 'word', words: ['basic', 'bearer', 'token'].map(latin1) },
    { kind: 'skip', set: SPACE, min: 1, max: 4 },
  ];
  return literalTriggers('authorization', {
    fold: true,
    boundary: (r, at) => tokenBoundary(r, at, LETTER), // "Proxy-Authorization" too
    steps,
    then: (_s, q) => new StreamRun(id, TOKEN68, q, q, VALUE_CAP, 4),
  });
}

/** Sensitive query parameter names (compared lower-cased). */
export const SENSITIVE_PARAMS: readonly string[] = [
  'token',
  'access_token',
  'private_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'authenticity_token',
  'rss_token',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'sig',
  'signature',
];
const PARAM_NAME = byteSet('_.-', ['A', 'Z'], ['a', 'z'], ['0', '9']);
const MAX_PARAM_NAME = 32;
const PARAM_START = byteSet('?&;'); // ';' ends "&amp;" in HTML-escaped URLs
/** A query value runs to the next delimiter, space, quote or closing bracket. */
const PARAM_VALUE = (() => {
  const t = new Uint8Array(256).fill(1);
  for (const c of '&#"\'<>`\\ )]') t[c.charCodeAt(0)] = 0;
  for (let b = 0; b < 0x20; b++) t[b] = 0;
  t[0x7f] = 0;
  return t;
})();

/**
 * One window per distinct name ending (`ken=` serves every *_token): a
 * window per name would put the common bigrams of each English word into
 * the first pass. The handler reads the name back to the delimiter.
 */
function paramTriggers(): Trigger[] {
  const id = detectorId('query-param');
  const names = new Set(SENSITIVE_PARAMS);
  const onHit = (r: StreamReader, p: number): Candidate | null => {
    const eq = p + 3;
    let s = eq;
    while (s > eq - MAX_PARAM_NAME && PARAM_NAME[r.byteAt(s - 1)] === 1) s--;
    if (PARAM_START[r.byteAt(s - 1)] !== 1) return null;
    let name = '';
    for (let q = s; q < eq; q++) name += String.fromCharCode(lower(r.byteAt(q)));
    if (!names.has(name)) return null;
    return new StreamRun(id, PARAM_VALUE, eq + 1, eq + 1, VALUE_CAP, 4, DOLLAR);
  };
  const windows = new Set<string>();
  for (const n of SENSITIVE_PARAMS) for (const w of caseVariants(n.slice(-3) + '=')) windows.add(w);
  return [...windows].map((window) => ({ window, onHit }));
}

export function contextTriggers(enabled: (name: DetectorName) => boolean): Trigger[] {
  const out: Trigger[] = [];
  if (enabled('url-password')) out.push(...urlTriggers());
  if (enabled('auth-header')) out.push(...authTriggers());
  if (enabled('query-param')) out.push(...paramTriggers());
  return out;
}
