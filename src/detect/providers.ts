/**
 * Provider tokens recognised by prefix and shape: GitLab, Slack, Stripe, AWS,
 * Google, PyPI, OpenAI, Anthropic. The prefix stays visible (`glpat-***`);
 * the run after it is masked when its length fits the format.
 *
 * Each prefix's trigger window is its last 4 bytes, so the bytes before the
 * window are checked when the trigger fires (they have arrived) and the run
 * starts right after the window: a candidate never needs bytes it cannot
 * still cover.
 */
import { ALNUM, ALNUM_DASH, B64URL, UPPER_DIGIT, byteSet, latin1 } from './bytes.js';
import { endsWith, type StreamReader } from './candidate.js';
import { leftBoundary } from './checksummed.js';
import { type DetectorName, detectorId } from './names.js';
import { Prefix, Run, type RunRule } from './shapes.js';
import { type Trigger, caseVariants, windowsWith } from './trigger.js';

const MAX_RUN = 255;

/** A trigger for `prefix` (4+ bytes): its last 4 bytes are the window, the rest must precede it. */
function prefixed(prefix: string, rule: RunRule, boundary = true): Trigger {
  const head = latin1(prefix.slice(0, -4));
  const back = head.length;
  return {
    window: prefix.slice(-4),
    onHit: (r, p) =>
      endsWith(r, p, head) && (!boundary || leftBoundary(r, p - back)) ? new Run(rule, p - back, p + 4) : null,
  };
}

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

const PYPI_HEAD = latin1('AgEIcHlwaS5vcmc'); // base64 of the macaroon's "pypi.org" location

function startsWith(r: StreamReader, at: number, lit: Uint8Array): boolean {
  for (let i = 0; i < lit.length; i++) if (r.byteAt(at + i) !== lit[i]) return false;
  return true;
}

const T3BLBKFJ = latin1('T3BlbkFJ'); // base64 of "OpenAI", inside legacy keys

export function providerTriggers(enabled: (name: DetectorName) => boolean): Trigger[] {
  const out: Trigger[] = [];
  if (enabled('gitlab')) {
    for (const p of GITLAB_PREFIXES) {
      out.push(prefixed(p, rule('gitlab', GITLAB_CHARS, 20, MAX_RUN - p.length, { trimTrailing: DOT })));
    }
  }
  if (enabled('slack')) {
    for (const p of SLACK_PREFIXES) out.push(prefixed(p, rule('slack', ALNUM_DASH, 10, MAX_RUN - p.length)));
    for (const p of SLACK_HOOKS) out.push(prefixed(p, rule('slack', HOOK_PATH, 20, 200), false));
  }
  if (enabled('stripe')) {
    for (const p of ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_']) {
      out.push(prefixed(p, rule('stripe', ALNUM, 10, MAX_RUN - p.length)));
    }
  }
  if (enabled('aws')) {
    // Access key ids are exactly 20 bytes: a 17th id byte after the 16 means something else.
    for (const p of ['AKIA', 'ASIA', 'ABIA', 'ACCA']) {
      out.push(prefixed(p, rule('aws', UPPER_DIGIT, 16, 16, { noFollow: ALNUM })));
    }
    out.push(...awsSecretTriggers());
  }
  if (enabled('google')) out.push(prefixed('AIza', rule('google', B64URL, 35, 35)));
  if (enabled('pypi')) {
    const pypi = rule('pypi', B64URL, 50, 480, { valid: (r, s) => startsWith(r, s, PYPI_HEAD) });
    // "pypi" then "-": the window is "pypi", the dash is the first step after it.
    out.push({
      window: 'pypi',
      onHit: (r, p) => (leftBoundary(r, p) ? new Prefix(p + 4, [DASH_STEP], (q) => new Run(pypi, p, q)) : null),
    });
  }
  if (enabled('openai')) {
    for (const p of ['sk-proj-', 'sk-svcacct-', 'sk-admin-']) out.push(prefixed(p, rule('openai', B64URL, 20, MAX_RUN - p.length)));
    // Legacy: sk- + 20 + T3BlbkFJ + 20 letters/digits. The window is "sk-" and the run's first byte.
    const legacy = rule('openai', ALNUM, 48, 48, { valid: (r, s) => startsWith(r, s + 20, T3BLBKFJ) });
    for (const w of windowsWith('sk-', ALNUM)) {
      out.push({ window: w, onHit: (r, p) => (leftBoundary(r, p) ? new Run(legacy, p, p + 3) : null) });
    }
  }
  if (enabled('anthropic')) {
    for (const p of ['sk-ant-api03-', 'sk-ant-admin01-']) out.push(prefixed(p, rule('anthropic', B64URL, 80, MAX_RUN - p.length)));
  }
  return out;
}

const DASH_STEP = { kind: 'lit', bytes: latin1('-'), fold: false } as const;

/**
 * AWS secret access keys have no prefix: only right after their key name
 * (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey), a
 * separator (= or :, spaces, quotes) and exactly 40 base64 bytes.
 */
function awsSecretTriggers(): Trigger[] {
  const snake = latin1('secret_access');
  const camel = latin1('secretacces');
  const value = rule('aws', byteSet('+/', ['A', 'Z'], ['a', 'z'], ['0', '9']), 40, 40, {
    noFollow: byteSet('=', ['A', 'Z'], ['a', 'z'], ['0', '9']),
    value: 'run',
  });
  const quoteSpace = byteSet('"\' \t');
  const steps = [
    { kind: 'skip', set: quoteSpace, min: 0, max: 4 },
    { kind: 'skip', set: byteSet('=:'), min: 1, max: 1 },
    { kind: 'skip', set: quoteSpace, min: 0, max: 4 },
  ] as const;
  const out: Trigger[] = [];
  // "aws_" before the name needs no check of its own: '_' is a word boundary for the name.
  const onHit = (head: Uint8Array) => (r: StreamReader, p: number) =>
    endsWith(r, p, head, true) && leftBoundary(r, p - head.length) ? new Prefix(p + 4, steps, (q) => new Run(value, q, q)) : null;
  for (const w of caseVariants('_key')) out.push({ window: w, onHit: onHit(snake) });
  for (const w of caseVariants('skey')) out.push({ window: w, onHit: onHit(camel) });
  return out;
}
