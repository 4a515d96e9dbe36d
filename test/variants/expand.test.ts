/**
 * Structure of expandSecret's output: exact secret first, trimming,
 * de-duplication, floors, the lines variant. Encoders are checked in
 * encoders.test.ts and base64.test.ts.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_VARIANTS, expandSecret } from '../../src/variants/index.js';
import type { VariantName } from '../../src/api/types.js';
import { bytes, expand, latin1, trimAscii } from './helpers.js';

const BASE64_CHARS = /^[A-Za-z0-9+/_-]+$/;

/** A PEM-shaped text around random bytes (not a key: no key material is ever committed). */
function fakePem(label: string, size: number, eol = '\n'): string {
  const body = randomBytes(size).toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join(eol) + eol;
}

describe('expandSecret: the exact secret', () => {
  it('comes first, trimmed of surrounding ASCII whitespace', () => {
    expect(expand(' \t\r\n tok_3f9a8b7c6d5e4f3a \n')[0]).toBe('tok_3f9a8b7c6d5e4f3a');
  });

  it('is exempt from the floors (the engine applies minLength to it)', () => {
    expect(expand('abcd')).toEqual(['abcd']);
  });

  it('yields nothing for an empty or all-whitespace secret', () => {
    expect(expand('')).toEqual([]);
    expect(expand(' \n\t\r ')).toEqual([]);
  });

  it('does not trim byte 0xA0 (the last byte of UTF-8 "à")', () => {
    expect(expand('voilà-secret-à')[0]).toBe(latin1(bytes('voilà-secret-à')));
  });

  it('reads a Uint8Array view at its offset', () => {
    const backing = bytes('xxxxSECRET-VALUE-123yyyy');
    expect(expand(backing.subarray(4, 20), [])).toEqual(['SECRET-VALUE-123']);
  });

  it('is the only pattern with variants off', () => {
    expect(expand('p@ss"wo/rd with spaces\nand lines', [])).toEqual(['p@ss"wo/rd with spaces\nand lines']);
  });
});

describe('expandSecret: a plain alphanumeric token', () => {
  it('expands to the exact token plus at most 6 base64 patterns, nothing from json/percent/shell', () => {
    const token = 'ghp_' + randomBytes(24).toString('hex').slice(0, 28); // 32 bytes, [A-Za-z0-9_]
    const patterns = expand(token);
    expect(patterns[0]).toBe(token);
    const rest = patterns.slice(1);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    expect(rest.length).toBeLessThanOrEqual(6);
    for (const pattern of rest) expect(pattern).toMatch(BASE64_CHARS);
    expect(new Set(patterns).size).toBe(patterns.length);
  });
});

describe('expandSecret: multi-line secrets (lines)', () => {
  const pem = fakePem('RSA PRIVATE KEY', 1190);
  const lines = pem.trim().split('\n');
  const body = lines.slice(1, -1);

  it('registers every body line of 8+ bytes, not the public armor', () => {
    const patterns = expand(pem, ['lines']);
    for (const line of body) if (line.length >= 8) expect(patterns).toContain(line);
    expect(patterns).not.toContain(lines[0]);
    expect(patterns).not.toContain(lines[lines.length - 1]);
  });

  it('registers the whole key joined by LF, CRLF, CR CR LF and single spaces', () => {
    const patterns = expand(pem, ['lines']);
    expect(patterns[0]).toBe(lines.join('\n'));
    expect(patterns).toContain(lines.join('\r\n'));
    expect(patterns).toContain(lines.join('\r\r\n'));
    expect(patterns).toContain(lines.join(' ').replace(/ +/g, ' '));
  });

  it('finds the lines of a CRLF or CR CR LF file, trimmed of indentation', () => {
    for (const eol of ['\r\n', '\r\r\n']) {
      const indented = lines.map((line) => '\t  ' + line).join(eol) + eol;
      const patterns = expand(indented, ['lines']);
      for (const line of body) if (line.length >= 8) expect(patterns).toContain(line);
      expect(patterns).toContain(lines.join('\n'));
    }
  });

  it('does not register short lines of a JSON blob (no masking of every brace)', () => {
    const blob = '{\n  "type": "service_account",\n  "private_key_id": "0123456789abcdef0123",\n  "x": 1\n}\n';
    const patterns = expand(blob, ['lines']);
    expect(patterns).toContain('"private_key_id": "0123456789abcdef0123",');
    expect(patterns).not.toContain('{');
    expect(patterns).not.toContain('}');
    expect(patterns).not.toContain('"x": 1');
  });

  it('honours a custom line floor', () => {
    const patterns = expand('first-line-is-long-enough\nshort-one\n', ['lines'], { lineFloor: 12 });
    expect(patterns).toContain('first-line-is-long-enough');
    expect(patterns).not.toContain('short-one');
  });

  it('encodes each registered line too, so a single line is caught inside base64', () => {
    const line = body[3];
    const encodedLine = Buffer.from(`x${line}\n`).toString('base64');
    const patterns = expand(pem, ['lines', 'base64']);
    expect(patterns.some((pattern) => pattern.length >= 8 && encodedLine.includes(pattern))).toBe(true);
    // …which is not the case without the lines variant (only the whole key is encoded).
    const wholeOnly = expand(pem, ['base64']);
    expect(wholeOnly.some((pattern) => encodedLine.includes(pattern))).toBe(false);
  });
});

describe('expandSecret: floors and de-duplication (properties)', () => {
  const variantSubset = fc.subarray([...ALL_VARIANTS] as VariantName[]);
  const anySecret = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 60 }).map((s) => bytes(s)),
    fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), { maxLength: 5 }).map((ls) => bytes(ls.join('\n'))),
  );

  it('puts the trimmed secret first, never repeats a pattern, never returns an empty one', () => {
    fc.assert(
      fc.property(anySecret, variantSubset, (secret, variants) => {
        const patterns = expand(secret, variants);
        const trimmed = trimAscii(latin1(secret));
        if (trimmed.length === 0) {
          expect(patterns).toEqual([]);
          return;
        }
        expect(patterns[0]).toBe(trimmed);
        expect(new Set(patterns).size).toBe(patterns.length);
        for (const pattern of patterns) expect(pattern.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every variant pattern at or above its floor', () => {
    fc.assert(
      fc.property(anySecret, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (secret, lineFloor, encodedFloor) => {
        const lineOnly = expand(secret, ['lines'], { lineFloor, encodedFloor });
        for (const pattern of lineOnly.slice(1)) expect(pattern.length).toBeGreaterThanOrEqual(lineFloor);
        const encodedOnly = expand(secret, ['json', 'base64', 'percent', 'shell'], { lineFloor, encodedFloor });
        for (const pattern of encodedOnly.slice(1)) expect(pattern.length).toBeGreaterThanOrEqual(encodedFloor);
        const all = expand(secret, ALL_VARIANTS, { lineFloor, encodedFloor });
        for (const pattern of all.slice(1)) expect(pattern.length).toBeGreaterThanOrEqual(Math.min(lineFloor, encodedFloor));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a floor that is not a non-negative integer', () => {
    const variants = new Set<VariantName>(['lines']);
    expect(() => expandSecret(bytes('abc'), { variants, lineFloor: -1 })).toThrow(/lineFloor/);
    expect(() => expandSecret(bytes('abc'), { variants, encodedFloor: 2.5 })).toThrow(/encodedFloor/);
  });

  it('adds nothing for base64-wrapped beyond the base64 patterns', () => {
    const secret = bytes('wrapped-secret-0123456789');
    const wrapped = expandSecret(secret, { variants: new Set<VariantName>(['base64-wrapped']) }).map(latin1);
    expect(wrapped).toEqual(expand(secret, ['base64']));
  });
});
