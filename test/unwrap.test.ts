/**
 * The wrapped-base64 lane: secrets inside base64 wrapped at any width, with
 * LF, CRLF or CR CR LF, after a prefix on the first line, are masked so that
 * no 8 characters of encoded secret survive (even joined across the wrap),
 * the same for every chunking, and text around is untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../src/index.js';
import { expandSecret, resolveVariants } from '../src/variants/index.js';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import { concat, cutsArb, runs, seed, splitAt } from './helpers/chunking.js';

function wrap(text: string, width: number, eol: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join(eol);
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('wrapped base64', () => {
  it('masks a secret in base64 wrapped at any column, for every chunking', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._-]{12,40}$/),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom(16, 20, 33, 64, 76),
        fc.constantFrom('\n', '\r\n', '\r\r\n'),
        fc.constantFrom('', 'data: ', 'auth = '),
        cutsArb(400),
        (secret, before, after, width, eol, prefix, cuts) => {
          const scrubber = createScrubber({ secrets: [secret], variants: ['base64', 'base64-wrapped'] });
          const encoded = Buffer.concat([before, Buffer.from(secret), after]).toString('base64');
          const input = Buffer.from(`start\n${prefix}${wrap(encoded, width, eol)}${eol}end\n`, 'latin1');
          const oneShot = Buffer.from(scrubber.scrub(input));
          const session = scrubber.session();
          const streamed = Buffer.from(concat([...splitAt(input, cuts).map((c) => session.write(c)), session.end()]));
          expect(streamed).toEqual(oneShot);
          const text = oneShot.toString('latin1');
          expect(text.startsWith(`start\n${prefix}`)).toBe(true);
          expect(text.endsWith(`end\n`)).toBe(true);
          // No 8 characters of the secret's encoded core survive, even joined across line breaks.
          const joined = text.replace(/[\r\n]/g, '');
          const cores = expandSecret(Buffer.from(secret), { variants: resolveVariants(['base64']) }).slice(1).map(latin1);
          for (const core of cores) {
            for (let i = 0; i + 8 <= core.length; i++) expect(joined.includes(core.slice(i, i + 8))).toBe(false);
          }
        },
      ),
      { seed: seed(), numRuns: runs(300) },
    );
  });

  it('leaves ordinary text and unrelated base64 blocks alone', () => {
    const scrubber = createScrubber({ secrets: ['fake-wrapped-secret-123'] });
    const blob = wrap(Buffer.from('x'.repeat(300)).toString('base64'), 76, '\n');
    const input = `log line one\n${blob}\nlog line two\n`;
    expect(scrubber.scrub(input)).toBe(input);
  });

  it('can be turned off: wrapped base64 is then only masked within single lines', () => {
    const secret = 'fake-wrapped-secret-123456';
    const encoded = Buffer.from(`user:${secret}`).toString('base64');
    const wrapped = wrap(encoded, 16, '\n');
    const off = createScrubber({ secrets: [secret], variants: ['base64'] });
    const on = createScrubber({ secrets: [secret], variants: ['base64', 'base64-wrapped'] });
    expect(off.scrub(wrapped)).toBe(wrapped);
    expect(on.scrub(wrapped)).not.toContain(encoded.slice(10, 18));
  });

  it('the lane keeps stream == one-shot on adversarial line structure (short lines, CR runs, tiny chunks)', () => {
    const alphabet = [...'ABab01+/='].map((c) => c.charCodeAt(0));
    const text = fc
      .array(
        fc.oneof({ arbitrary: fc.constantFrom(...alphabet), weight: 14 }, { arbitrary: fc.constantFrom(0x0a, 0x0d, 0x20), weight: 1 }),
        { maxLength: 160 },
      )
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...alphabet), { minLength: 3, maxLength: 24 }), { minLength: 1, maxLength: 4 }),
        text,
        cutsArb(160),
        (rawSecrets, input, cuts) => {
          const e = new ScrubberEngine({ mask: Uint8Array.from([0x23]), minLength: 1, expand: (s) => [trimBytes(s)], unwrapBase64: true });
          for (const r of rawSecrets) e.add(Uint8Array.from(r));
          const oneShot = Buffer.from(e.scrub(input));
          const session = e.session();
          const streamed = Buffer.from(concat([...splitAt(input, cuts).map((c) => session.write(c)), session.end()]));
          expect(streamed).toEqual(oneShot);
          const bytewise = e.session();
          const single = Buffer.from(concat([...Array.from(input, (b) => bytewise.write(Uint8Array.of(b))), bytewise.end()]));
          expect(single).toEqual(oneShot);
        },
      ),
      { seed: seed(), numRuns: runs(800) },
    );
  });
});
