/**
 * Cases other scrubbers are known to get wrong, each streamed with every
 * 2-way split and with 1-byte writes, and compared with the reference.
 */
import { describe, expect, it } from 'vitest';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import { concat, oneByteChunks } from './helpers/chunking.js';
import { referenceScrub } from './helpers/reference.js';

const MASK = new TextEncoder().encode('***');
const b = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));

function engine(secrets: Uint8Array[]): ScrubberEngine {
  const e = new ScrubberEngine({ mask: MASK, minLength: 1, expand: (s) => [trimBytes(s)] });
  for (const s of secrets) e.add(s);
  return e;
}

function run(e: ScrubberEngine, chunks: Uint8Array[]): Uint8Array {
  const session = e.session();
  return concat([...chunks.map((c) => session.write(c)), session.end()]);
}

/** Asserts the expected output for one-shot, every 2-way split and 1-byte writes. */
function check(secrets: Uint8Array[], input: Uint8Array, expected: string | Uint8Array): void {
  const e = engine(secrets);
  const want = Buffer.from(typeof expected === 'string' ? b(expected) : expected);
  expect(Buffer.from(referenceScrub(input, secrets, MASK))).toEqual(want);
  expect(Buffer.from(e.scrub(input))).toEqual(want);
  for (let cut = 0; cut <= input.length; cut++) {
    expect(Buffer.from(run(e, [input.subarray(0, cut), input.subarray(cut)]))).toEqual(want);
  }
  expect(Buffer.from(run(e, oneByteChunks(input)))).toEqual(want);
}

describe('regression corpus', () => {
  it('a secret that repeats its own start, split inside the repeat (ss + secret)', () => {
    check([b('ssecret')], b('xx ssecret yy'), 'xx *** yy');
    check([b('ssecret')], b('sssecret'), 's***');
    check([b('secret')], b('ss' + 'secret'), 'ss***');
  });

  it('a secret that is a prefix of another', () => {
    check([b('token'), b('token-extended')], b('a token-extended b token-ext c'), 'a *** b ***-ext c');
  });

  it('nested towers of secrets', () => {
    check([b('a1b2'), b('1b2c3'), b('b2c3d4'), b('2c3d4e5')], b('<a1b2c3d4e5>'), '<***>');
    check([b('abcdefgh'), b('cde'), b('d')], b('abcdexgh abcdefgh'), 'ab***xgh ***');
  });

  it('overlapping and touching different secrets are one mask', () => {
    check([b('foobar'), b('barbaz')], b('foobarbaz'), '***');
    check([b('alpha'), b('beta')], b('alphabeta alpha beta'), '*** *** ***');
  });

  it('multi-byte UTF-8 secret split inside a character', () => {
    const secret = b('pässwörd€');
    const input = concat([b('login '), secret, b(' ok')]);
    check([secret], input, 'login *** ok');
  });

  it('binary input with NUL bytes and invalid UTF-8 passes through untouched around the secret', () => {
    const secret = b([0x00, 0xff, 0xfe, 0x00, 0x80]);
    const input = b([0x00, 0x00, 0xff, 0xc3, 0x28, 0x00, 0xff, 0xfe, 0x00, 0x80, 0x00, 0xe2, 0x82]);
    check([secret], input, b([0x00, 0x00, 0xff, 0xc3, 0x28, ...MASK, 0x00, 0xe2, 0x82]));
  });

  it('a partial secret at end of input is released unmasked (it matched nothing)', () => {
    check([b('secret')], b('the secr'), 'the secr');
  });

  it('dynamic add: bytes held back right now are rescanned (issue example)', () => {
    const e = engine([b('abzzzzzz')]);
    const s = e.session();
    const first = s.write(b('token: ab'));
    expect(Buffer.from(first).toString()).toBe('token: ');
    expect(s.heldBytes).toBe(2);
    e.add(b('abcdefgh'));
    const rest = concat([s.write(b('cdefgh\n')), s.end()]);
    expect(Buffer.from(concat([first, rest])).toString()).toBe('token: ***\n');
  });

  it('dynamic add: a new secret lying entirely inside held bytes is masked', () => {
    const e = engine([b('abcdef')]);
    const s = e.session();
    const first = s.write(b('xxabcd'));
    expect(Buffer.from(first).toString()).toBe('xx');
    e.add(b('bc'));
    const rest = concat([s.write(b('zz')), s.end()]);
    expect(Buffer.from(concat([first, rest])).toString()).toBe('xxa***dzz');
  });

  it('dynamic add: an occurrence that began in emitted bytes is masked from the first unemitted byte', () => {
    const e = engine([b('qqqq')]);
    const s = e.session();
    const first = s.write(b('user tok'));
    expect(Buffer.from(first).toString()).toBe('user tok');
    e.add(b('token123'));
    const rest = concat([s.write(b('en123 done')), s.end()]);
    expect(Buffer.from(concat([first, rest])).toString()).toBe('user tok*** done');
  });

  it('dynamic add: a session that missed several compiles merges every changed level in order', () => {
    const e = new ScrubberEngine({ mask: MASK, minLength: 1, expand: (x) => [trimBytes(x)], tuning: { minRecent: 2, settleMs: Infinity } });
    e.add(b('zzzzzzzzzz'));
    const held = e.session();
    const other = e.session();
    const first = held.write(b('pre zzzzzzzz'));
    expect(held.heldBytes).toBe(8);
    // Several compiles happen through another stream while `held` is idle: base, mid and recent all change.
    for (const s of ['zzzzzzzzq', 'zzq', 'zzzzzq', 'zq!', 'qqqq', 'rrrr']) {
      e.add(b(s));
      other.write(b('.'));
    }
    const out = Buffer.from(concat([first, held.write(b('q! tail')), held.end()])).toString();
    const all = ['zzzzzzzzzz', 'zzzzzzzzq', 'zzq', 'zzzzzq', 'zq!', 'qqqq', 'rrrr'].map(b);
    expect(e.compiled().automata.length).toBeGreaterThan(1);
    expect(out).toBe(Buffer.from(referenceScrub(b('pre zzzzzzzzq! tail'), all, MASK)).toString());
    expect(out).toBe('pre *** tail');
  });
});

