/**
 * Provider tokens recognised by prefix and shape: GitLab, Slack, Stripe, AWS,
 * Google, PyPI, OpenAI, Anthropic. The prefix stays visible (`glpat-***`);
 * the run after it is masked when its length fits the format.
 */
import { ALNUM, ALNUM_DASH, B64URL, UPPER_DIGIT, byteSet, latin1 } from './bytes.js';
import { type StreamReader, tokenBoundary } from './candidate.js';
import { MAX_TOKEN, prefixedToken } from './checksummed.js';
import { type DetectorName, detectorId } from './names.js';
import { literalTriggers, Prefix, Run, type RunRule } from './shapes.js';
import type { Trigger } from './trigger.js';

function rule(detector: DetectorName, charset: Uint8Array, min: number, max: number, extra: Partial<RunRule> = {}): RunRule {
  return { detector: detectorId(detector), charset, min, max, ...extra };
}

const GITLAB_PREFIXES = ['glpat-', 'gldt-', 'glrt-', 'glrtr-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'glffct-', 'gloas-'];
/** GitLab tokens: base64url, and the newer routable ones carry dots (a trailing dot is punctuation). */
const GITLAB_CHARS = byteSet('-_.', ['A', 'Z'], ['a', 'z'], ['0', '9']);
const DOT = 0x2e;

const SLACK_PREFIXES = ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-', 'xoxe-', 'xapp-'];
const SLACK_HOOKS = ['hooks.slack.com/services/', 'hooks.slack.com/workflows/', 'hooks.slack.com/triggers/'];
const HOOK_PATH = byteSet('/_-', ['A', 'Z'], ['a', 'z'], ['0', '9']);

/** PyPI tokens are macaroons: "pypi-" + base64 starting with the encoded "pypi.org" location (not secret: kept visible). */
export const PYPI_PREFIX = 'pypi-AgEIcHlwaS5vcmc';
export const PYPI_MAX = 460;

export function providerTriggers(enabled: (name: DetectorName) => boolean): Trigger[] {
  const out: Trigger[] = [];
  if (enabled('gitlab')) {
    for (const p of GITLAB_PREFIXES) {
      out.push(...prefixedToken(p, rule('gitlab', GITLAB_CHARS, 20, MAX_TOKEN - p.length, { trimTrailing: DOT })));
    }
  }
  if (enabled('slack')) {
    for (const p of SLACK_PREFIXES) out.push(...prefixedToken(p, rule('slack', ALNUM_DASH, 10, MAX_TOKEN - p.length)));
    for (const p of SLACK_HOOKS) out.push(...prefixedToken(p, rule('slack', HOOK_PATH, 20, 200), false));
  }
  if (enabled('stripe')) {
    for (const p of ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_']) out.push(...prefixedToken(p, rule('stripe', ALNUM, 10, MAX_TOKEN - p.length)));
  }
  if (enabled('aws')) {
    // Access key ids are exactly 20 bytes: a 17th id byte after the 16 means something else.
    for (const p of ['AKIA', 'ASIA', 'ABIA', 'ACCA']) out.push(...prefixedToken(p, rule('aws', UPPER_DIGIT, 16, 16, { noFollow: ALNUM })));
    out.push(...awsSecretTriggers());
  }
  if (enabled('google')) out.push(...prefixedToken('AIza', rule('google', B64URL, 35, 35)));
  if (enabled('pypi')) out.push(...prefixedToken(PYPI_PREFIX, rule('pypi', B64URL, 50, PYPI_MAX)));
  if (enabled('openai')) {
    for (const p of ['sk-proj-', 'sk-svcacct-', 'sk-admin-']) out.push(...prefixedToken(p, rule('openai', B64URL, 20, MAX_TOKEN - p.length)));
    out.push(legacyOpenAiTrigger());
  }
  if (enabled('anthropic')) {
    for (const p of ['sk-ant-api03-', 'sk-ant-admin01-']) out.push(...prefixedToken(p, rule('anthropic', B64URL, 80, MAX_TOKEN - p.length)));
  }
  return out;
}

/**
 * Legacy OpenAI keys: sk- + 20 + T3BlbkFJ (base64 of "OpenAI") + 20, letters
 * and digits. "sk-" alone makes a poor trigger (its window would be "sk-" and
 * any letter, "-0" of every date among them), so the trigger is "T3Bl" and
 * the 20 bytes before it are checked behind it. They must still be
 * unemitted: `legacyOpenAiTail` holds a chunk's trailing "sk-" + (up to 23)
 * letters and digits until the next chunk shows whether T3Bl follows.
 */
const LEGACY_BEFORE = 20;
const S = 0x73;
const K = 0x6b;
const DASH = 0x2d;

function legacyOpenAiTrigger(): Trigger {
  const legacy = rule('openai', ALNUM, 48, 48);
  const rest = latin1('bkFJ');
  return {
    window: 'T3Bl',
    onHit: (r, p) => {
      const start = p - LEGACY_BEFORE;
      for (let q = start; q < p; q++) if (ALNUM[r.byteAt(q)] !== 1) return null;
      if (r.byteAt(start - 1) !== DASH || r.byteAt(start - 2) !== K || r.byteAt(start - 3) !== S || !tokenBoundary(r, start - 3)) return null;
      return new Prefix(p + 4, [{ kind: 'lit', bytes: rest, fold: false }], () => new Run(legacy, start - 3, start), start - 3);
    },
  };
}

/** Where a chunk ending inside a possible legacy key must hold from (Infinity: nowhere). */
export function legacyOpenAiTail(r: StreamReader): number {
  const end = r.arrived;
  let q = end;
  while (q > end - (LEGACY_BEFORE + 3) && q > 0 && ALNUM[r.byteAt(q - 1)] === 1) q--;
  if (q === end || ALNUM[r.byteAt(q - 1)] === 1) return Infinity; // nothing after "sk-", or too long to be before T3Bl still
  if (r.byteAt(q - 1) !== DASH || r.byteAt(q - 2) !== K || r.byteAt(q - 3) !== S || !tokenBoundary(r, q - 3)) return Infinity;
  return q;
}

/**
 * AWS secret access keys have no prefix: only right after their key name
 * (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey), a
 * separator (= or :, spaces, quotes) and exactly 40 base64 bytes.
 */
function awsSecretTriggers(): Trigger[] {
  const value = rule('aws', byteSet('+/', ['A', 'Z'], ['a', 'z'], ['0', '9']), 40, 40, {
    noFollow: byteSet('=', ['A', 'Z'], ['a', 'z'], ['0', '9']),
  });
  const quoteSpace = byteSet('"\' \t');
  const steps = [
    { kind: 'skip', set: quoteSpace, min: 0, max: 4 },
    { kind: 'skip', set: byteSet('=:'), min: 1, max: 1 },
    { kind: 'skip', set: quoteSpace, min: 0, max: 4 },
  ] as const;
  // "aws_" before the name needs no check of its own: '_' is a word boundary for the name.
  return ['secret_access_key', 'secretaccesskey'].flatMap((name) =>
    literalTriggers(name, { fold: true, boundary: tokenBoundary, steps, then: (_s, at) => new Run(value, at, at) }),
  );
}
