/**
 * Argument checks of every public entry: the error's class, that it names
 * the argument, that a bad secret is named but never shown, that unknown
 * option keys are refused with the valid ones listed, and the bounds.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createScrubber, MAX_MASK_BYTES, MAX_SECRET_BYTES, spawnScrubbed } from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const SECRET = 'fake-validation-secret-42';
/** Loose view of the API, to pass what TypeScript would refuse. */
const loose = (v: unknown) => v as never;

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

function expectError(f: () => unknown, kind: typeof TypeError | typeof RangeError, pattern: RegExp): Error {
  const err = thrown(f);
  expect(err).toBeInstanceOf(kind);
  expect(err.message).toMatch(/^scrub-filter: /);
  expect(err.message).toMatch(pattern);
  expect(err.message).not.toContain(SECRET);
  return err;
}

describe('createScrubber(options)', () => {
  it('refuses unknown option keys, listing the valid ones', () => {
    const err = expectError(() => createScrubber(loose({ secret: [SECRET] })), TypeError, /unknown option "secret"/);
    expect(err.message).toMatch(/valid options: mask, minLength, variants, detect, historyBytes, secrets, onWarning/);
    expectError(() => createScrubber(loose({ secrets: [{ value: SECRET, nmae: 'env:X' }] })), TypeError, /options\.secrets\[0\]: unknown option "nmae"; valid options: value, name/);
  });

  it('refuses options that are not an object', () => {
    for (const bad of [null, 42, 'x', [1], enc('x')]) expectError(() => createScrubber(loose(bad)), TypeError, /createScrubber\(options\) must be an object/);
    expectError(() => createScrubber(loose(new Map([['secrets', [SECRET]]]))), TypeError, /createScrubber\(options\) must be a plain object \(got a Map\)/);
    expect(createScrubber(undefined).secretCount).toBe(0);
  });

  it('secrets must be an array: a lone string is not read one character at a time', () => {
    expectError(() => createScrubber(loose({ secrets: 'abcdefgh' })), TypeError, /options\.secrets must be an array \(got a string; pass a list/);
    expectError(() => createScrubber(loose({ secrets: enc('abcdefgh') })), TypeError, /options\.secrets must be an array \(got a Uint8Array/);
    expectError(() => createScrubber(loose({ secrets: new Set([SECRET]) })), TypeError, /options\.secrets must be an array/);
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => createScrubber(loose({ secrets: [, SECRET] })), TypeError, /options\.secrets\[0\]: a secret must be a string or a Uint8Array \(got undefined\)/);
  });

  it('names a bad secret by position and name, never by value', () => {
    expectError(() => createScrubber(loose({ secrets: [{ value: undefined, name: 'env:GH_TOKEN' }] })), TypeError, /options\.secrets\[0\]\.value \("env:GH_TOKEN"\): a secret must be a string or a Uint8Array \(got undefined\)/);
    expectError(() => createScrubber(loose({ secrets: ['ok-secret-1', 42] })), TypeError, /options\.secrets\[1\]: a secret must be a string or a Uint8Array \(got a number\)/);
    expectError(() => createScrubber(loose({ secrets: [new ArrayBuffer(8)] })), TypeError, /got an ArrayBuffer: wrap it/);
    expectError(() => createScrubber(loose({ secrets: [new Uint16Array(8)] })), TypeError, /got a Uint16Array/);
    expectError(() => createScrubber(loose({ secrets: [null] })), TypeError, /options\.secrets\[0\]: .*got null/);
    expectError(() => createScrubber(loose({ secrets: [{ value: SECRET, name: 7 }] })), TypeError, /options\.secrets\[0\]\.name must be a string/);
    expectError(() => createScrubber(loose({ secrets: [{ value: SECRET, name: '' }] })), RangeError, /options\.secrets\[0\]\.name must be 1 to 4096 characters/);
  });

  it('a secret over MAX_SECRET_BYTES is a RangeError naming it; nothing is registered when one entry is bad', () => {
    expect(MAX_SECRET_BYTES).toBe(1048576);
    const big = 'x'.repeat(MAX_SECRET_BYTES + 1);
    expectError(() => createScrubber({ secrets: [{ value: big, name: 'file:big.pem' }] }), RangeError, /\("file:big\.pem"\): a secret may be at most 1048576 bytes/);
    expect(createScrubber({ secrets: ['y'.repeat(MAX_SECRET_BYTES)], variants: false }).secretCount).toBe(1);
    const warnings: unknown[] = [];
    expect(() => createScrubber({ secrets: ['abc', 42 as never], onWarning: (w) => warnings.push(w) })).toThrow(TypeError);
    expect(warnings).toEqual([]); // checked before anything was registered
  });

  it('mask: a string or bytes of at most MAX_MASK_BYTES', () => {
    expect(MAX_MASK_BYTES).toBe(256);
    expectError(() => createScrubber(loose({ mask: 5 })), TypeError, /options\.mask must be a string or a Uint8Array \(got a number\)/);
    expectError(() => createScrubber({ mask: 'x'.repeat(MAX_MASK_BYTES + 1) }), RangeError, /options\.mask may be at most 256 bytes/);
    expectError(() => createScrubber({ mask: new Uint8Array(16 * 1024 * 1024) }), RangeError, /options\.mask/);
    expect(createScrubber({ mask: 'm'.repeat(MAX_MASK_BYTES), secrets: [SECRET] }).scrub(SECRET)).toBe('m'.repeat(MAX_MASK_BYTES));
    expect(createScrubber({ mask: '', secrets: [SECRET] }).scrub(`a ${SECRET} b`)).toBe('a  b');
  });

  it('minLength, variants, onWarning', () => {
    expectError(() => createScrubber({ minLength: 0 }), RangeError, /options\.minLength must be an integer from 1 to 1048576 \(got 0\)/);
    expectError(() => createScrubber({ minLength: 2.5 }), RangeError, /options\.minLength.*got 2\.5/);
    expectError(() => createScrubber({ minLength: Number.NaN }), RangeError, /options\.minLength/);
    expectError(() => createScrubber(loose({ minLength: '4' })), TypeError, /options\.minLength must be an integer \(got a string\)/);
    expectError(() => createScrubber(loose({ variants: 'base64' })), TypeError, /options\.variants must be true, false or an array/);
    expectError(() => createScrubber(loose({ variants: ['base64', 'rot13'] })), RangeError, /options\.variants\[1\]: unknown variant "rot13"; known variants: lines, json/);
    expectError(() => createScrubber(loose({ variants: [1] })), TypeError, /options\.variants\[0\] must be a variant name/);
    expectError(() => createScrubber(loose({ onWarning: 'console' })), TypeError, /options\.onWarning must be a function/);
    expectError(() => createScrubber({ historyBytes: 0 }), RangeError, /options\.historyBytes must be an integer from 1 to 67108864 \(got 0\)/);
    expectError(() => createScrubber(loose({ historyBytes: '1k' })), TypeError, /options\.historyBytes must be an integer \(got a string\)/);
  });

  it('undefined values mean the default (an options object built from optional settings)', () => {
    const s = createScrubber({ mask: undefined, minLength: undefined, variants: undefined, historyBytes: undefined, secrets: undefined, onWarning: undefined });
    s.add(SECRET);
    expect(s.scrub(SECRET)).toBe('***');
  });
});

describe('scrubber methods', () => {
  const s = createScrubber({ secrets: [SECRET] });

  it('add(secret, options)', () => {
    expectError(() => s.add(loose(42)), TypeError, /add: secret: a secret must be a string or a Uint8Array \(got a number\)/);
    expectError(() => s.add(loose(undefined), { name: 'vault:db' }), TypeError, /add: secret "vault:db": .*got undefined/);
    expectError(() => s.add('x'.repeat(MAX_SECRET_BYTES + 1), { name: 'vault:big' }), RangeError, /add: secret "vault:big": a secret may be at most/);
    expectError(() => s.add(SECRET, loose({ nmae: 'x' })), TypeError, /add\(secret, options\): unknown option "nmae"; valid options: name/);
    expectError(() => s.add(SECRET, loose('vault:db')), TypeError, /add\(secret, options\) must be an object/);
    expectError(() => s.add(SECRET, loose({ name: 1 })), TypeError, /add: options\.name must be a string/);
  });

  it('scrub(input)', () => {
    for (const bad of [123, {}, new ArrayBuffer(8), null, undefined, [SECRET]]) {
      expectError(() => s.scrub(loose(bad)), TypeError, /scrub: input must be a string or a Uint8Array/);
    }
  });

  it('stream(options), webStream(options), session(options)', () => {
    expectError(() => s.stream(loose({ hwm: 1 })), TypeError, /stream\(options\): unknown option "hwm"; valid options: highWaterMark, addMask/);
    expectError(() => s.stream({ highWaterMark: -1 }), RangeError, /stream: options\.highWaterMark must be an integer from 0 to 1073741824/);
    expectError(() => s.stream(loose({ addMask: 'yes' })), TypeError, /stream: options\.addMask must be true, false or \{ name \}/);
    expectError(() => s.stream(loose({ addMask: { nmae: 'job' } })), TypeError, /stream: options\.addMask: unknown option "nmae"; valid options: name/);
    expectError(() => s.webStream(loose({ highWaterMark: 1 })), TypeError, /webStream\(options\): unknown option "highWaterMark"; valid options: addMask/);
    expectError(() => s.session(loose({ addmask: true })), TypeError, /session\(options\): unknown option "addmask"; valid options: addMask/);
    expectError(() => s.session(loose(5)), TypeError, /session\(options\) must be an object/);
  });
});

describe('session methods', () => {
  const s = createScrubber({ secrets: [SECRET], variants: false });
  for (const addMask of [false, true]) {
    const label = addMask ? ' (addMask)' : '';

    it(`write/writeEach take bytes only; a wrong type changes nothing${label}`, () => {
      const session = s.session({ addMask });
      expect(Buffer.from(session.write(enc('clean fake-valid'))).toString()).toBe('clean ');
      for (const bad of ['text', 42, undefined, null, new ArrayBuffer(4), [1, 2]]) {
        expectError(() => session.write(loose(bad)), TypeError, /session\.write: chunk must be a Uint8Array/);
        expectError(() => session.writeEach(loose(bad), () => {}), TypeError, /session\.writeEach: chunk must be a Uint8Array/);
      }
      expectError(() => session.write(loose('text')), TypeError, /got a string: encode it/);
      expectError(() => session.writeEach(enc('x'), loose(undefined)), TypeError, /session\.writeEach: emit must be a function/);
      expectError(() => session.endEach(loose('emit')), TypeError, /session\.endEach: emit must be a function/);
      // Nothing changed: the held prefix still completes to a mask, clean text is not lost.
      expect(Buffer.from(session.write(enc('ation-secret-42 tail'))).toString()).toBe('*** tail');
      expect(Buffer.from(session.end()).toString()).toBe('');
    });

    it(`a second end() says so; a write after end says so${label}`, () => {
      const session = s.session({ addMask });
      session.end();
      expect(() => session.end()).toThrow(/session already ended \(end\(\) called twice\)/);
      // (an add-mask session also counts the second end() as a failure: fail closed either way)
      expect(() => session.write(enc('x'))).toThrow(addMask ? /write after end|failed earlier/ : /write after end/);
    });

    it(`an emit that throws fails the session${label}`, () => {
      const session = s.session({ addMask });
      expect(() =>
        session.writeEach(enc('a b c'), () => {
          throw new Error('consumer broke');
        }),
      ).toThrow(/consumer broke/);
      expect(() => session.writeEach(enc('more'), () => {})).toThrow(/failed earlier/);
      expect(() => session.end()).toThrow(/failed earlier/);
    });
  }
});

describe('spawnScrubbed(scrubber, command, options)', () => {
  const s = createScrubber({ secrets: [SECRET], variants: false });

  it('checks every argument before starting anything', () => {
    expectError(() => spawnScrubbed(loose({}), 'true'), TypeError, /spawnScrubbed: scrubber must come from createScrubber\(\)/);
    expectError(() => spawnScrubbed(s, loose(42)), TypeError, /spawnScrubbed: command must be a string \(got a number\)/);
    expectError(() => spawnScrubbed(s, ''), RangeError, /spawnScrubbed: command must not be empty/);
    expectError(() => spawnScrubbed(s, 'true', loose({ arg: ['x'] })), TypeError, /unknown option "arg"; valid options: args, cwd, env, stdin, stdout, stderr, addMask, processGroup, killGraceMs, onError/);
    expectError(() => spawnScrubbed(s, 'true', loose({ args: '-c echo' })), TypeError, /spawnScrubbed: options\.args must be an array \(got a string/);
    expectError(() => spawnScrubbed(s, 'true', loose({ args: ['ok', 3] })), TypeError, /options\.args\[1\] must be a string/);
    expectError(() => spawnScrubbed(s, 'true', loose({ stdin: 'tty' })), TypeError, /options\.stdin must be one of inherit, ignore, pipe/);
    expectError(() => spawnScrubbed(s, 'true', loose({ stdout: 'out.log' })), TypeError, /options\.stdout must be a Writable stream/);
    expectError(() => spawnScrubbed(s, 'true', { killGraceMs: -1 }), RangeError, /options\.killGraceMs must be an integer from 0/);
    expectError(() => spawnScrubbed(s, 'true', loose({ addMask: { nmae: 'x' } })), TypeError, /options\.addMask: unknown option "nmae"; valid options: name, onAdd, maxLineBytes, stopCommands/);
    expectError(() => spawnScrubbed(s, 'true', loose({ processGroup: 'yes' })), TypeError, /options\.processGroup must be true, false or 'auto'/);
  });

  it('runs a command with both outputs scrubbed and resolves with its status', async () => {
    const out: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(Buffer.from(chunk));
        cb();
      },
    });
    const proc = spawnScrubbed(s, process.execPath, {
      args: ['-e', `console.log('out ${SECRET}'); console.error('err ${SECRET}'); process.exit(4)`],
      stdin: 'ignore',
      stdout: sink,
      stderr: sink,
    });
    const result = await proc.result;
    expect(result.code).toBe(4);
    expect(Buffer.concat(out).toString().split('\n').sort()).toEqual(['', 'err ***', 'out ***']);
  });
});
