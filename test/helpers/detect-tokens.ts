/**
 * Obviously fake test secrets in every detected format, generated from a
 * caller's random source (valid check digits computed here). Nothing real.
 */
import { base62Crc } from './detect-reference.js';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64URL = BASE62 + '-_';
const B64 = BASE62 + '+/';
const UPPER_DIGIT = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export type Rand = (n: number) => number; // integer in [0, n)

export function seeded(seed: number): Rand {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) % n;
  };
}

export function pick(rand: Rand, alphabet: string, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
  return s;
}

export interface Planted {
  format: string;
  text: string;
  /** The part that must not appear in the output. */
  secret: string;
  /** What must stay visible right before it. */
  kept: string;
}

export function checksummed(rand: Rand, prefix: string, valid = true): string {
  const body = pick(rand, BASE62, 30);
  let crc = base62Crc(body);
  if (!valid) crc = crc.slice(0, 5) + (crc[5] === 'A' ? 'B' : 'A');
  return prefix + body + crc;
}

export function jwtToken(rand: Rand, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify({ sub: pick(rand, BASE62, 8), iat: 1700000000 + rand(1000) })).toString('base64url');
  return `${h}.${p}.${pick(rand, B64URL, 43)}`;
}

/** One valid planted secret per format family. */
export function plant(rand: Rand, format: string): Planted {
  const p = (kept: string, secret: string, text = kept + secret): Planted => ({ format, text, secret, kept });
  switch (format) {
    case 'github': {
      const t = checksummed(rand, ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'][rand(5)]);
      return p(t.slice(0, 4), t.slice(4));
    }
    case 'github-pat':
      return p('github_pat_', pick(rand, BASE62, 22) + '_' + pick(rand, BASE62, 59));
    case 'npm': {
      const t = checksummed(rand, 'npm_');
      return p('npm_', t.slice(4));
    }
    case 'gitlab':
      return p(['glpat-', 'gldt-', 'glrt-', 'glcbt-'][rand(4)], pick(rand, B64URL, 20 + rand(10)).replace(/^[-_]/, 'x'));
    case 'slack':
      return p(['xoxb-', 'xoxp-', 'xapp-'][rand(3)], `${1 + rand(9)}-${pick(rand, BASE62, 12)}-${pick(rand, BASE62, 24)}`);
    case 'slack-hook':
      return p('https://hooks.slack.com/services/', `T${pick(rand, UPPER_DIGIT, 8)}/B${pick(rand, UPPER_DIGIT, 8)}/${pick(rand, BASE62, 24)}`);
    case 'stripe':
      return p(['sk_live_', 'rk_live_', 'sk_test_'][rand(3)], pick(rand, BASE62, 24 + rand(75)));
    case 'aws':
      return p(['AKIA', 'ASIA'][rand(2)], pick(rand, UPPER_DIGIT, 16));
    case 'aws-secret':
      return p(['aws_secret_access_key = ', 'AWS_SECRET_ACCESS_KEY=', '"SecretAccessKey": "'][rand(3)], pick(rand, B64, 40).replace(/[+/]$/, 'x'));
    case 'google':
      return p('AIza', pick(rand, B64URL, 35));
    case 'pypi':
      return p('pypi-AgEIcHlwaS5vcmc', pick(rand, B64URL, 60 + rand(100)));
    case 'openai':
      return p(['sk-proj-', 'sk-svcacct-'][rand(2)], pick(rand, B64URL, 40 + rand(100)));
    case 'openai-legacy':
      return p('sk-', pick(rand, BASE62, 20) + 'T3BlbkFJ' + pick(rand, BASE62, 20));
    case 'anthropic':
      return p('sk-ant-api03-', pick(rand, B64URL, 93) + 'AA');
    case 'jwt': {
      // Headers of 36 to ~300 base64 bytes (Google and Azure ones carry kid and x5t: 100-130).
      const t = jwtToken(rand, { alg: 'RS256', typ: 'JWT', ...(rand(2) ? { kid: pick(rand, B64URL, rand(200)) } : {}) });
      return p('eyJ', t.slice(3));
    }
    case 'url': {
      const user = pick(rand, BASE62, 3 + rand(6));
      const pass = pick(rand, BASE62 + '%!~', 6 + rand(20));
      const text = `https://${user}:${pass}@git.example.com/o/r.git`;
      return { format, text, secret: pass, kept: `https://${user}:` };
    }
    case 'auth': {
      const scheme = ['Bearer', 'Basic', 'token', 'bearer'][rand(4)];
      const name = ['Authorization', 'authorization', 'AUTHORIZATION'][rand(3)];
      return p(`${name}: ${scheme} `, pick(rand, B64URL + '.=', 12 + rand(40)));
    }
    case 'query': {
      const name = ['private_token', 'access_token', 'token', 'X-Amz-Signature', 'X-Amz-Security-Token', 'sig'][rand(6)];
      const v = pick(rand, B64URL + '%', 8 + rand(40));
      return { format, text: `https://h.example.com/p?x=1&${name}=${v}&y=2`, secret: v, kept: `${name}=` };
    }
    default:
      throw new Error(format);
  }
}

export const PLANT_FORMATS = [
  'github', 'github-pat', 'npm', 'gitlab', 'slack', 'slack-hook', 'stripe', 'aws', 'aws-secret', 'google', 'pypi',
  'openai', 'openai-legacy', 'anthropic', 'jwt', 'url', 'auth', 'query',
];

/** A fake PEM body: `lines` lines of 64 base64 bytes and a short last line. */
export function fakePemBody(rand: Rand, lines: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(pick(rand, B64, 64));
  out.push(pick(rand, B64, 20) + '==');
  return out;
}
