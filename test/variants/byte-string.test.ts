import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteStringWriter, packByteStrings, toByteString, trimAsciiWhitespace, wellFormedUtf8Bytes } from '../../src/variants/byte-string.js';

describe('byte strings', () => {
  it('round-trip every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toByteString(all);
    expect(text.length).toBe(256);
    expect([...Buffer.from(text, 'latin1')]).toEqual([...all]);
  });

  it('trim only ASCII whitespace (not 0xA0, not 0x85)', () => {
    expect(trimAsciiWhitespace(' \t\r\n\v\fab c\n')).toBe('ab c');
    expect(trimAsciiWhitespace('\xa0x\x85')).toBe('\xa0x\x85');
    expect(trimAsciiWhitespace('   ')).toBe('');
  });

  it('pack patterns into views that hold exactly their bytes, also past a slab', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40_000 }), { maxLength: 5 }), (texts) => {
        const views = packByteStrings(texts);
        expect(views.map((view) => Buffer.from(view).toString('latin1'))).toEqual(texts);
        for (const view of views) expect(Object.getPrototypeOf(view)).toBe(Uint8Array.prototype);
      }),
      { numRuns: 60 },
    );
  });

  it('write byte strings longer than the initial scratch buffer', () => {
    const writer = new ByteStringWriter();
    const long = 'x\xff'.repeat(1000);
    writer.text(long);
    writer.byte(0);
    expect(writer.finish()).toBe(long + '\0');
    expect(writer.finish()).toBe('');
  });
});

describe('wellFormedUtf8Bytes', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const isValid = (bytes: Uint8Array): boolean => {
    try {
      decoder.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };

  it('marks every byte exactly when the whole input is valid UTF-8 (agrees with TextDecoder)', () => {
    const mostlyUtf8 = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 8 }).map((s) => new Uint8Array(Buffer.from(s))),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.uint8Array({ maxLength: 2 })).map(([s, junk]) => new Uint8Array(Buffer.concat([Buffer.from(s), junk]))),
    );
    fc.assert(
      fc.property(mostlyUtf8, (bytes) => {
        const marks = wellFormedUtf8Bytes(Buffer.from(bytes).toString('latin1'));
        expect(marks.every((mark) => mark === 1)).toBe(isValid(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves stray, overlong and surrogate bytes unmarked but keeps the well-formed neighbours', () => {
    const text = Buffer.from([0x61, 0xc3, 0xa9, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82, 0xac, 0xf0]).toString('latin1');
    expect([...wellFormedUtf8Bytes(text)]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);
  });
});
