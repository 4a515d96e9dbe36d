/**
 * A simple reference for the detectors, written from the format descriptions
 * with regular expressions over the whole input at once (latin1 string): no
 * streaming, no holdback, no trigger pass. Property tests compare the lane
 * against it. Semantics it shares with the lane on purpose (the documented
 * rules): which bytes are masked, prefix kept, run bounds, caps.
 */
import { crc32 } from 'node:zlib';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// A token's left boundary (as candidate.ts tokenBoundary): no letter or digit before it, or an
// escape that ends there: \n \r \t, or %XX of a byte that is no letter or digit (no letter, for header names).
const ESCAPE_BEFORE = String.raw`(?<=\\[nrt])`;
const B_ALNUM = String.raw`(?:(?<![A-Za-z0-9])|${ESCAPE_BEFORE}|(?<=%(?!3[0-9]|4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])[0-9A-Fa-f]{2}))`;
const B_LETTER = String.raw`(?:(?<![A-Za-z])|${ESCAPE_BEFORE}|(?<=%(?!4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])[0-9A-Fa-f]{2}))`;
const bounded = (re: RegExp): RegExp =>
  new RegExp(re.source.replaceAll('(?<![A-Za-z0-9])', B_ALNUM).replaceAll('(?<![A-Za-z])', B_LETTER), re.flags);

export function base62Crc(body: string): string {
  let v = crc32(Buffer.from(body, 'latin1'));
  let s = '';
  while (v > 0) {
    s = B62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(6, '0');
}

/** Every match of `re` (global), overlapping ones included (the search restarts one byte after each match start). */
function* matches(re: RegExp, s: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (!m) return;
    yield m;
    re.lastIndex = m.index + 1;
  }
}

export interface RefResult {
  covered: Uint8Array;
  /** [detector, value] for each detection (order: by detector, then position). */
  found: Array<[string, string]>;
}

export function referenceDetect(s: string, enabled: (name: string) => boolean = () => true): RefResult {
  const covered = new Uint8Array(s.length);
  const found: Array<[string, string]> = [];
  const cover = (a: number, b: number) => {
    for (let i = a; i < b; i++) covered[i] = 1;
  };
  const hit = (det: string, a: number, b: number, va = a, vb = b) => {
    if (b > a) cover(a, b);
    const v = s.slice(va, vb);
    if (v.length > 0 && !/^\*+$/.test(v)) found.push([det, v]);
  };
  // Prefix + run rules: [detector, regex with the prefix as group 1 and the run as group 2, min, max, extra check]
  type Rule = [string, RegExp, number, number, ((run: string, m: RegExpExecArray) => boolean)?, 'trim-dots'?];
  const crcOk = (run: string) => base62Crc(run.slice(0, -6)) === run.slice(-6);
  // Legacy OpenAI keys before the other sk- rules: sk- + 20 + T3BlbkFJ + 20.
  const rules: Rule[] = [
    ['github', bounded(/(?<![A-Za-z0-9])(gh[pousr]_)([A-Za-z0-9]+)/g), 36, 251, crcOk],
    ['github', bounded(/(?<![A-Za-z0-9])(github_pat_)([A-Za-z0-9_]+)/g), 82, 244],
    ['npm', bounded(/(?<![A-Za-z0-9])(npm_)([A-Za-z0-9]+)/g), 36, 251, crcOk],
    ['gitlab', bounded(/(?<![A-Za-z0-9])(glpat-|gldt-|glrt-|glrtr-|glcbt-|glptt-|glft-|glimt-|glagent-|glsoat-|glffct-|gloas-)([A-Za-z0-9_.-]+)/g), 20, 0, undefined, 'trim-dots'],
    ['slack', bounded(/(?<![A-Za-z0-9])(xox[abprse]-|xapp-)([A-Za-z0-9-]+)/g), 10, 0],
    ['slack', /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9\/_-]+)/g, 20, 200],
    ['stripe', bounded(/(?<![A-Za-z0-9])([sr]k_(?:live|test)_)([A-Za-z0-9]+)/g), 10, 0],
    ['aws', bounded(/(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)([A-Z0-9]+)(?![A-Za-z0-9])/g), 16, 16],
    ['aws', bounded(/(?<![A-Za-z0-9])((?:secret_access_key|secretaccesskey)["' \t]{0,4}[=:]["' \t]{0,4})([A-Za-z0-9+\/]+)(?![A-Za-z0-9+\/=])/gi), 40, 40],
    ['google', bounded(/(?<![A-Za-z0-9])(AIza)([A-Za-z0-9_-]+)/g), 35, 35],
    ['pypi', bounded(/(?<![A-Za-z0-9])(pypi-AgEIcHlwaS5vcmc)([A-Za-z0-9_-]+)/g), 50, 460],
    ['openai', bounded(/(?<![A-Za-z0-9])(sk-(?:proj|svcacct|admin)-)([A-Za-z0-9_-]+)/g), 20, 0],
    ['openai', bounded(/(?<![A-Za-z0-9])(sk-)([A-Za-z0-9]+)/g), 48, 48, (run) => run.slice(20, 28) === 'T3BlbkFJ'],
    ['anthropic', bounded(/(?<![A-Za-z0-9])(sk-ant-(?:api03|admin01)-)([A-Za-z0-9_-]+)/g), 80, 0],
  ];
  for (const [det, re, min, max0, check, trim] of rules) {
    if (!enabled(det)) continue;
    for (const m of matches(re, s)) {
      const prefix = m[1];
      let run = m[2];
      const max = max0 || 255 - prefix.length;
      if (run.length > max) continue;
      if (trim) run = run.replace(/\.+$/, '');
      if (run.length < min || (check && !check(run, m))) continue;
      const a = m.index + prefix.length;
      const isValueOnly = det === 'aws' && /secret/i.test(prefix);
      hit(det, a, a + run.length, isValueOnly ? a : m.index, a + run.length);
    }
  }
  if (enabled('jwt')) jwt(s, hit);
  if (enabled('url-password')) {
    // A scheme ends in a letter (context.ts: a digit there would put every `12:03` into the first pass).
    for (const m of matches(/(?<![A-Za-z0-9+.-])[A-Za-z](?:[A-Za-z0-9+.-]{0,31}[A-Za-z])?:\/\//g, s)) {
      const start = m.index + m[0].length;
      const auth = /^[^\/?#"'<>`\\{}|^ \x00-\x1f\x7f]*/.exec(s.slice(start, start + 255))![0];
      const colon = auth.indexOf(':');
      const firstAt = auth.indexOf('@');
      if (colon < 0 || (firstAt >= 0 && firstAt < colon)) continue;
      const at = auth.lastIndexOf('@');
      if (at <= colon + 1 || at + 1 >= auth.length) continue;
      if (auth[colon + 1] === '$') continue;
      hit('url-password', start + colon + 1, start + at);
    }
  }
  if (enabled('auth-header')) {
    for (const m of matches(bounded(/(?<![A-Za-z])authorization["' \t]{0,4}[:=]["' \t]{0,4}(?:basic|bearer|token)[ \t]{1,4}/gi), s)) {
      const a = m.index + m[0].length;
      const v = /^[A-Za-z0-9._~+\/=-]*/.exec(s.slice(a, a + 8192))![0];
      if (v.length > 0) cover(a, a + v.length);
      if (v.length >= 4) hit('auth-header', a, a + v.length);
    }
  }
  if (enabled('query-param')) {
    const names = new Set(['token', 'access_token', 'private_token', 'refresh_token', 'id_token', 'auth_token', 'authenticity_token', 'rss_token', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential', 'sig', 'signature']);
    for (const m of matches(/[?&;]([A-Za-z0-9_.-]{1,32})=/g, s)) {
      if (!names.has(m[1].toLowerCase())) continue;
      const a = m.index + m[0].length;
      const v = /^[^&#"'<>`\\ )\]\x00-\x1f\x7f]*/.exec(s.slice(a, a + 8192))![0];
      if (v.startsWith('$')) continue; // a placeholder (${TOKEN}), not a value
      if (v.length > 0) cover(a, a + v.length);
      if (v.length >= 4) hit('query-param', a, a + v.length);
    }
  }
  if (enabled('private-key')) privateKeys(s, cover, found);
  return { covered, found };
}

function jwt(s: string, hit: (det: string, a: number, b: number, va?: number, vb?: number) => void): void {
  for (const m of matches(bounded(/(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]*\.eyJ/g), s)) {
    const header = m[0].slice(0, m[0].indexOf('.'));
    if (header.length > 400 || header.length < 4 || header.length % 4 === 1) continue; // a length no base64 has
    let obj: unknown;
    try {
      obj = JSON.parse(Buffer.from(header, 'base64url').toString('latin1'));
    } catch {
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || !('alg' in obj)) continue;
    const start = m.index;
    let run = /^[A-Za-z0-9_.-]*/.exec(s.slice(start + m[0].length))![0];
    const dd = run.indexOf('..');
    if (dd >= 0) run = run.slice(0, dd);
    let stop = start + m[0].length + run.length;
    if (s[stop - 1] === '.' && stop === start + m[0].length + run.length) stop--;
    if (stop > start + 8192) stop = start + 8192;
    hit('jwt', start + 3, stop, start, stop - start <= 4096 ? stop : start);
  }
}

/**
 * Private key blocks, written procedurally from the README's rules: armor,
 * break run, evidence (32 base64 bytes in a row, backslashes transparent,
 * within 512 bytes), END line (mask ends before the break of its line when
 * its prefix is at most 64 bytes), 16 KiB cap.
 */
function privateKeys(s: string, cover: (a: number, b: number) => void, found: Array<[string, string]>): void {
  for (const m of matches(/-----BEGIN ((?:[A-Z0-9 ]*)?)-----/g, s)) {
    const label = m[1].trim();
    if (m[1].length > 40) continue;
    if (!(label === 'PGP PRIVATE KEY BLOCK' || label === 'PRIVATE KEY' || label.endsWith(' PRIVATE KEY'))) continue;
    // Break run: LF, CR, spaces, backslashes + n/r.
    const br = /^(?:[\n\r ]|\\+[nr])+/.exec(s.slice(m.index + m[0].length));
    if (!br) continue;
    const start = m.index + m[0].length + br[0].length;
    // Walk the body.
    let run = 0;
    let committed = false;
    let brk = start;
    let sawBreak = false;
    let inBreak = false;
    let endAt = -1;
    let q = start;
    for (; q < s.length; q++) {
      if (!committed && q - start >= 512) break;
      if (committed && q - start >= 16384) break;
      const bsRun = /^\\{1,8}[nr]/.exec(s.slice(q, q + 9));
      if (bsRun) {
        run = 0;
        if (!inBreak) {
          brk = q;
          inBreak = sawBreak = true;
        }
        q += bsRun[0].length - 1;
        continue;
      }
      const c = s[q];
      if (c === '\\') {
        // up to 8 backslashes are transparent (an escape), more are text
        const n = /^\\*/.exec(s.slice(q))![0].length;
        if (n <= 8) {
          q += n - 1;
          continue;
        }
        q += 7;
        inBreak = false;
        run = 0;
        continue;
      }
      if (c === '\n' || c === '\r') {
        run = 0;
        if (!inBreak) {
          brk = q;
          inBreak = sawBreak = true;
        }
        continue;
      }
      inBreak = false;
      if (s.startsWith('-----END', q)) {
        endAt = q;
        break;
      }
      if (/[A-Za-z0-9+\/=]/.test(c)) {
        if (++run >= 32) committed = true;
      } else run = 0;
    }
    if (!committed) continue;
    let stop: number;
    if (endAt >= 0) stop = sawBreak && endAt - brk <= 64 ? brk : endAt;
    else stop = q;
    cover(start, stop);
    found.push(['private-key', '(body)']);
  }
}
