/**
 * Per format: generated tokens are masked with their prefix kept and
 * registered under their detector; near misses (wrong check digits, wrong
 * length, inside a word, missing context) pass unchanged. Every case also runs
 * with 1-byte writes.
 */
import { describe, expect, it } from 'vitest';
import { MASK, latin1Bytes, runLane, scrubBytewise, scrubOnce } from '../helpers/detect-harness.js';
import { base62Crc } from '../helpers/detect-reference.js';
import { BASE62, checksummed, jwtToken, pick, seeded } from '../helpers/detect-tokens.js';

const rand = seeded(11);

/** Scrubs `s` one-shot and bytewise (must agree) and returns the output. */
function scrub(s: string): string {
  const one = scrubOnce(s);
  expect(scrubBytewise(s)).toBe(one);
  return one;
}

function detected(s: string): Array<[string, string]> {
  return runLane([latin1Bytes(s)]).registered;
}

function masks(s: string, kept: string, secret: string, detector: string): void {
  const out = scrub(`log: ${kept}${secret} end`);
  expect(out).toBe(`log: ${kept}${MASK} end`);
  const reg = detected(`log: ${kept}${secret} end`);
  expect(reg.map(([d]) => d)).toContain(detector);
}

function passes(s: string): void {
  expect(scrub(s)).toBe(s);
  expect(detected(s)).toEqual([]);
}

describe('GitHub and npm (checksummed)', () => {
  it('valid check digits: masked, prefix kept, the masked run registered', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_']) {
      const t = checksummed(rand, prefix);
      masks('', prefix, t.slice(4), prefix === 'npm_' ? 'npm' : 'github');
      expect(detected(`x ${t} y`)).toEqual([[prefix === 'npm_' ? 'npm' : 'github', t.slice(4)]]); // what is masked
    }
  });
  it('a wrong check digit, a missing digit, a word before: not masked', () => {
    passes(`x ${checksummed(rand, 'ghp_', false)} y`);
    passes(`x ${checksummed(rand, 'npm_', false)} y`);
    passes(`x ${checksummed(rand, 'ghp_').slice(0, -1)} y`);
    passes(`x a${checksummed(rand, 'ghp_')} y`);
    passes(`ghp_ gho_${'A'.repeat(36)} npm_x`);
  });
  it('longer runs (the format may grow): the last 6 bytes check the rest', () => {
    const body = pick(rand, BASE62, 60);
    masks('', 'ghp_', body + base62Crc(body), 'github');
    const huge = pick(rand, BASE62, 250);
    passes(`ghp_${huge + base62Crc(huge)}`); // 256 > 251: no token
  });
  it('github_pat_ by prefix and length', () => {
    masks('', 'github_pat_', pick(rand, BASE62, 22) + '_' + pick(rand, BASE62, 59), 'github');
    passes(`github_pat_${pick(rand, BASE62, 40)}`);
  });
  it('inside a URL and after "token "', () => {
    const t = checksummed(rand, 'ghs_');
    expect(scrub(`https://x-access-token:${t}@github.com/o/r`)).toBe(`https://x-access-token:${MASK}@github.com/o/r`);
    expect(scrub(`Authorization: token ${t}\n`)).toBe(`Authorization: token ${MASK}\n`);
  });
});

describe('provider prefixes', () => {
  it('GitLab', () => {
    for (const p of ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'glffct-', 'gloas-']) {
      masks('', p, pick(rand, BASE62, 20), 'gitlab');
    }
    expect(scrub(`token glpat-${'a'.repeat(20)}.`)).toBe(`token glpat-${MASK}.`); // a full stop is not part of it
    passes('glpat-short');
  });
  it('Slack tokens and webhooks', () => {
    masks('', 'xoxb-', `123-456-${pick(rand, BASE62, 24)}`, 'slack');
    masks('', 'xapp-', `1-A0-${pick(rand, BASE62, 30)}`, 'slack');
    masks('', 'https://hooks.slack.com/services/', `T00000000/B00000000/${pick(rand, BASE62, 24)}`, 'slack');
    passes('xoxb-short xoxz-0123456789abcdef');
  });
  it('Stripe', () => {
    for (const p of ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_']) masks('', p, pick(rand, BASE62, 24), 'stripe');
    passes(`pk_live_${pick(rand, BASE62, 24)}`); // publishable keys are public
  });
  it('AWS access key ids: exactly 16 after the prefix', () => {
    masks('', 'AKIA', 'IOSFODNN7EXAMPLE', 'aws');
    masks('', 'ASIA', pick(rand, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 16), 'aws');
    passes('AKIAIOSFODNN7EXAMPLEX AKIAIOSFODNN7EXAMPL xAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLEa');
  });
  it('AWS secret keys only right after their name', () => {
    const v = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    for (const k of ['aws_secret_access_key = ', 'AWS_SECRET_ACCESS_KEY=', 'export AWS_SECRET_ACCESS_KEY="', '"SecretAccessKey": "', 'secret_access_key: ']) {
      masks('', k, v, 'aws');
      expect(detected(`${k}${v}"`)).toContainEqual(['aws', v]);
    }
    passes(`key ${v} here`);
    passes(`aws_secret_access_key = ${v}AB`);
  });
  it('Google, PyPI, OpenAI, Anthropic', () => {
    masks('', 'AIza', pick(rand, BASE62, 35), 'google');
    passes(`AIza${pick(rand, BASE62, 34)}`);
    masks('', 'pypi-AgEIcHlwaS5vcmc', pick(rand, BASE62, 150), 'pypi');
    passes(`pypi-${pick(rand, BASE62, 150)}`);
    masks('', 'sk-proj-', pick(rand, BASE62, 120), 'openai');
    masks('', 'sk-svcacct-', pick(rand, BASE62, 120), 'openai');
    masks('', 'sk-', pick(rand, BASE62, 20) + 'T3BlbkFJ' + pick(rand, BASE62, 20), 'openai');
    passes(`sk-${pick(rand, BASE62, 48)} disk-${pick(rand, BASE62, 48)}`);
    masks('', 'sk-ant-api03-', pick(rand, BASE62, 93) + 'AA', 'anthropic');
    passes('sk-ant-api03-short');
  });
});

describe('tokens right after an escape (JSON log lines, URL-encoded forms)', () => {
  it('\\n \\r \\t and a percent-encoded non-alphanumeric byte count as a break; an encoded letter does not', () => {
    const t = checksummed(rand, 'ghp_');
    const jwt = jwtToken(rand);
    for (const before of ['{"msg":"a\\n', '{"msg":"a\\r\\n', '"a\\t', 'q=a%20', 'next=%2Fcb%3Ftoken%3d', 'x=%0A']) {
      expect(scrub(`${before}${t} end`)).toBe(`${before}ghp_${MASK} end`);
      expect(scrub(`${before}${jwt} end`)).toBe(`${before}eyJ${MASK} end`);
      expect(scrub(`${before}AKIA${'Q'.repeat(16)} end`)).toBe(`${before}AKIA${MASK} end`);
    }
    expect(scrub(`{"h":"a\\nAuthorization: Bearer fake-tok-1234"}`)).toBe(`{"h":"a\\nAuthorization: Bearer ${MASK}"}`);
    // Still inside a word or blob: a letter, a digit, an encoded letter or digit, a backslash escape that is no break.
    for (const before of ['xa', 'x9', 'q=%41', 'q=%39', 'q=%6A', 'a\\x']) passes(`${before}${t} end`);
    passes(`q=%4A${jwt} end`);
  });
});

describe('JWT', () => {
  it('a header that decodes to JSON with alg: masked (and registered) from after eyJ', () => {
    const t = jwtToken(rand);
    expect(scrub(`Bearer-less: ${t}.`)).toBe(`Bearer-less: eyJ${MASK}.`);
    expect(detected(`x ${t} y`)).toEqual([['jwt', t.slice(3)]]);
    const unsigned = jwtToken(rand, { alg: 'none' }).replace(/\.[^.]*$/, '.');
    expect(scrub(`x ${unsigned} y`)).toBe(`x eyJ${MASK}. y`); // a trailing dot reads as punctuation
  });
  it('base64 JSON without alg, or one part only: not masked', () => {
    passes(`x ${jwtToken(rand, { typ: 'JWT' })} y`);
    const auths = Buffer.from('{"auths":{"r.example":{"auth":"x"}}}').toString('base64url');
    passes(`docker ${auths} y`);
    passes(`x ${Buffer.from('{"alg":"HS256"}').toString('base64url')} y`);
  });
  it('long headers (Google and Azure tokens carry kid and x5t: 100-200 bytes) in every chunking', () => {
    // The header is decoded from eyJ on: the lane must keep it however far back it starts (it kept only 64 bytes).
    for (const kidLength of [30, 40, 100, 160, 260]) {
      const t = jwtToken(rand, { typ: 'JWT', alg: 'RS256', kid: pick(rand, BASE62, kidLength) });
      const text = `Authorization-less: ${t} end\n`;
      expect(t.indexOf('.')).toBeGreaterThan(kidLength); // header length ~ 4/3 of its JSON
      expect(scrub(text)).toBe(`Authorization-less: eyJ${MASK} end\n`);
      const b = latin1Bytes(text);
      for (const size of [7, 16, 64, 100]) {
        const chunks = Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, i * size + size));
        expect(runLane(chunks).output.toString('latin1')).toBe(`Authorization-less: eyJ${MASK} end\n`);
      }
    }
  });
  it('a token of about 4,096 bytes (the longest registered) ending in a dot, in every chunking near its end', () => {
    // The candidate stopped keeping the token once 4,097 bytes had arrived, but a trailing dot then ended it at 4,096 (registrable).
    const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const p = Buffer.from(JSON.stringify({ sub: 'fake', pad: 'x'.repeat(2900) })).toString('base64url');
    for (const length of [4094, 4095, 4096, 4097, 4098]) {
      const base = `${h}.${p}.FAKEsig`;
      const t = base + 'A'.repeat(length - base.length);
      for (const after of ['. ok\n', '..', '.']) {
        const text = `x ${t}${after}`;
        const want = `x eyJ${MASK}${after}`;
        expect(scrubOnce(text)).toBe(want);
        const b = latin1Bytes(text);
        expect(runLane([b].flatMap((x) => Array.from({ length: x.length }, (_, i) => x.subarray(i, i + 1)))).output.toString('latin1')).toBe(want);
        for (let cut = b.length - 8; cut <= b.length; cut++) expect(runLane([b.subarray(0, cut), b.subarray(cut)]).output.toString('latin1')).toBe(want);
      }
    }
  });
  it('long payloads are masked as they stream', () => {
    const h = Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url');
    const p = Buffer.from(JSON.stringify({ groups: Array.from({ length: 200 }, (_, i) => `group-${i}`) })).toString('base64url');
    const t = `${h}.${p}.${pick(rand, BASE62, 342)}`;
    const r = runLane([latin1Bytes(`a ${t} b`)].flatMap((b) => Array.from({ length: Math.ceil(b.length / 100) }, (_, i) => b.subarray(i * 100, i * 100 + 100))));
    expect(r.output.toString('latin1')).toBe(`a eyJ${MASK} b`);
    expect(r.maxHeld).toBeLessThanOrEqual(404);
  });
});

describe('credentials in context', () => {
  it('URL userinfo: the password only', () => {
    for (const u of ['https://ci:s3cr3t-pass@git.example.com/o/r.git', 'postgres://app:p%40ss@db:5432/x', 'redis://:onlypass@cache:6379', 'mongodb+srv://u:pw12345@c.example.net/db']) {
      const pass = u.slice(u.indexOf(':', u.indexOf('//')) + 1, u.lastIndexOf('@'));
      expect(scrub(`url ${u} end`)).toBe(`url ${u.replace(':' + pass + '@', ':' + MASK + '@')} end`);
      expect(detected(u)).toEqual([['url-password', pass]]);
    }
    // An unescaped @ in the password: the host starts after the last one.
    expect(scrub('git clone https://ci:p@ss@word@git.example.com/r.git')).toBe(`git clone https://ci:${MASK}@git.example.com/r.git`);
    passes('http://localhost:3000/x https://example.com:8443/ ssh://git@github.com/o/r.git user@host:path mailto:a@b');
    passes('https://user:${TOKEN}@example.com https://user:$PASS@example.com https://user:***@example.com');
  });
  it('Authorization headers, any case, curl/JSON/git config shapes', () => {
    for (const h of ['Authorization: Bearer ', 'authorization: bearer ', 'AUTHORIZATION: basic ', '> Authorization: Token ', '"Authorization": "Bearer ', 'http.extraheader=AUTHORIZATION: basic ', 'Proxy-Authorization: Basic ']) {
      masks('', h, 'dXNlcjpwYXNzd29yZA==', 'auth-header');
    }
    passes('Authorization: Bearer $TOKEN\nAuthorization: Bearer ***\nAuthorization required\nauthorization: Negotiate\n');
  });
  it('sensitive query parameters', () => {
    for (const n of ['private_token', 'access_token', 'token', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'sig', 'signature']) {
      const v = pick(rand, BASE62 + '%', 30);
      expect(scrub(`GET /p?a=1&${n}=${v}&b=2 HTTP/1.1`)).toBe(`GET /p?a=1&${n}=${MASK}&b=2 HTTP/1.1`);
      expect(scrub(`GET /p?${n}=${v} HTTP/1.1`)).toBe(`GET /p?${n}=${MASK} HTTP/1.1`);
    }
    passes('GET /p?tokens=abcdefgh&mytoken=abcdefgh&page=2 TOKEN=abcdefgh token=abcdefgh');
  });
});
