import { describe, expect, it } from 'vitest';
import { ALL_VARIANTS, resolveVariants } from '../../src/variants/index.js';
import type { VariantName } from '../../src/api/types.js';

describe('ALL_VARIANTS', () => {
  it('lists the seven public variant names', () => {
    expect([...ALL_VARIANTS].sort()).toEqual(['base64', 'base64-wrapped', 'entities', 'json', 'lines', 'percent', 'shell']);
  });

  it('cannot be mutated by a caller', () => {
    expect(() => (ALL_VARIANTS as VariantName[]).push('json')).toThrow();
  });
});

describe('resolveVariants', () => {
  it('turns every variant on by default and for true', () => {
    expect([...resolveVariants(undefined)].sort()).toEqual([...ALL_VARIANTS].sort());
    expect([...resolveVariants(true)].sort()).toEqual([...ALL_VARIANTS].sort());
  });

  it('turns every variant off for false', () => {
    expect(resolveVariants(false).size).toBe(0);
  });

  it('keeps exactly the listed variants', () => {
    expect([...resolveVariants(['json', 'shell', 'json'])].sort()).toEqual(['json', 'shell']);
    expect(resolveVariants([]).size).toBe(0);
  });

  it('adds base64 when base64-wrapped is listed, since wrapping is matched with the base64 patterns', () => {
    expect([...resolveVariants(['base64-wrapped'])].sort()).toEqual(['base64', 'base64-wrapped']);
  });

  it('rejects an unknown name and names it in the message', () => {
    expect(() => resolveVariants(['json', 'base46' as VariantName])).toThrow(/"base46"/);
    expect(() => resolveVariants(['json', 'base46' as VariantName])).toThrow(/known variants: lines, json/);
  });

  it('rejects non-string entries and malformed options', () => {
    expect(() => resolveVariants([42 as unknown as VariantName])).toThrow(/unknown secret variant 42/);
    expect(() => resolveVariants('json' as unknown as VariantName[])).toThrow(TypeError);
  });
});
