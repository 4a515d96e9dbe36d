/** The public API: options, warnings by name, stats, validation. */
import { describe, expect, it } from 'vitest';
import { createScrubber, type ScrubWarning } from '../src/index.js';
import { engineOf } from '../src/face/scrubber.js';

describe('createScrubber', () => {
  it('scrubs strings and bytes one-shot with the default mask', () => {
    const s = createScrubber({ secrets: ['hunter2-fake-token'] });
    expect(s.scrub('pw=hunter2-fake-token;')).toBe('pw=***;');
    const out = s.scrub(new TextEncoder().encode('pw=hunter2-fake-token;'));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(out).toString()).toBe('pw=***;');
  });

  it('takes a custom mask and secrets with names', () => {
    const s = createScrubber({ mask: '[REDACTED]', secrets: [{ value: 'fake-gh-token-123', name: 'env:GH_TOKEN' }] });
    expect(s.scrub('x fake-gh-token-123 y')).toBe('x [REDACTED] y');
    expect(s.stats().masked).toEqual({ 'env:GH_TOKEN': 1 });
  });

  it('skips empty and too-short secrets with a warning by name, never by value', () => {
    const warnings: ScrubWarning[] = [];
    const s = createScrubber({ minLength: 6, onWarning: (w) => warnings.push(w) });
    expect(s.add('abc', { name: 'env:SHORT' }).registered).toBe(false);
    expect(s.add('   \n\t ', { name: 'env:BLANK' }).registered).toBe(false);
    expect(s.add('', { name: 'env:EMPTY' }).registered).toBe(false);
    expect(s.add('long-enough', { name: 'env:OK' }).registered).toBe(true);
    expect(warnings.map((w) => [w.code, w.name])).toEqual([
      ['too-short', 'env:SHORT'],
      ['empty', 'env:BLANK'],
      ['empty', 'env:EMPTY'],
    ]);
    expect(s.warnings()).toHaveLength(3);
    for (const w of warnings) expect(w.message).not.toContain('abc');
    // The short secret is really not registered.
    expect(s.scrub('abc long-enough')).toBe('abc ***');
  });

  it('trims surrounding whitespace of a secret (a token file with a newline)', () => {
    const s = createScrubber({ variants: false, secrets: ['  fake-token-from-file\n'] });
    expect(s.scrub('a fake-token-from-file b')).toBe('a *** b');
  });

  it('variants: false registers exact bytes only', () => {
    const s = createScrubber({ variants: false, secrets: ['fake-secret-value'] });
    expect(s.patternCount).toBe(1);
    const b64 = Buffer.from('fake-secret-value').toString('base64');
    expect(s.scrub(b64)).toBe(b64);
  });

  it('variants on by default: the base64 form is masked too', () => {
    const s = createScrubber({ secrets: ['fake-secret-value'] });
    expect(s.patternCount).toBeGreaterThan(1);
    const b64 = Buffer.from('user:fake-secret-value').toString('base64');
    expect(s.scrub(`Authorization: Basic ${b64}`)).not.toContain(b64.slice(8, 20));
  });

  it('rejects bad options and bad secrets with clear errors', () => {
    expect(() => createScrubber({ minLength: 0 })).toThrow(/minLength/);
    expect(() => createScrubber({ minLength: 2.5 })).toThrow(/minLength/);
    expect(() => createScrubber({ variants: ['base64', 'rot13' as never] })).toThrow(/rot13/);
    expect(() => createScrubber().add(42 as unknown as string)).toThrow(/string or a Uint8Array/);
    // (every entry's checks in detail: test/validate.test.ts)
  });

  it('stats never contain values; counts per name', () => {
    const s = createScrubber({ variants: false });
    s.add('fake-alpha-secret', { name: 'env:A' });
    s.add('fake-beta-secret', { name: 'file:b.txt' });
    s.scrub('fake-alpha-secret fake-alpha-secret fake-beta-secret');
    const stats = s.stats();
    expect(stats).toEqual({ secrets: 2, patterns: 2, masked: { 'env:A': 2, 'file:b.txt': 1 }, detected: {} });
    expect(JSON.stringify(stats)).not.toMatch(/fake-/);
  });

  it('a later change to a Uint8Array passed to add() does not change the secret', () => {
    const bytes = new TextEncoder().encode('fake-mutable-secret');
    const s = createScrubber({ variants: false, secrets: [bytes] });
    bytes.fill(0x41);
    expect(s.scrub('x fake-mutable-secret')).toBe('x ***');
  });

  it('1,000 add() calls before the next write compile once', () => {
    const s = createScrubber({ variants: false });
    const session = s.session();
    const before = engineOf(s).builds;
    for (let i = 0; i < 1000; i++) s.add(`fake-dynamic-secret-${i.toString().padStart(4, '0')}`);
    const out = Buffer.from(session.write(new TextEncoder().encode('x fake-dynamic-secret-0999 y'))).toString();
    expect(out + Buffer.from(session.end()).toString()).toBe('x *** y');
    expect(s.secretCount).toBe(1000);
    expect(engineOf(s).builds - before).toBe(1);
  });

  it('an add to a large scrubber rebuilds only the small recent level', () => {
    const s = createScrubber({ variants: false });
    for (let i = 0; i < 5000; i++) s.add(`fake-base-secret-${i.toString().padStart(5, '0')}`);
    const session = s.session();
    session.write(new TextEncoder().encode('warm up'));
    const [base] = engineOf(s).compiled().automata;
    s.add('fake-late-secret-xyz');
    expect(Buffer.from(session.write(new TextEncoder().encode(' fake-late-secret-xyz fake-base-secret-00042 '))).toString()).toBe(
      ' *** *** ',
    );
    const after = engineOf(s).compiled().automata;
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(base); // the big automaton was not rebuilt
    expect(after[1].patternCount).toBe(1);
  });
});

describe('session pieces', () => {
  it('writeEach/endEach emit the same bytes as write/end, clean text as views of the chunk', () => {
    const s = createScrubber({ variants: false, secrets: ['fake-piece-secret'] });
    const input = new TextEncoder().encode('clean text, then fake-piece-secret and more clean text fake-pie');
    const a = s.session();
    const joined = Buffer.concat([Buffer.from(a.write(input)), Buffer.from(a.end())]);
    const b = s.session();
    const pieces: Uint8Array[] = [];
    b.writeEach(input, (p) => pieces.push(p));
    b.endEach((p) => pieces.push(p));
    expect(Buffer.concat(pieces.map((p) => Buffer.from(p)))).toEqual(joined);
    expect(joined.toString()).toBe('clean text, then *** and more clean text fake-pie');
    expect(pieces[0].buffer).toBe(input.buffer); // no copy of the clean prefix
  });
});
