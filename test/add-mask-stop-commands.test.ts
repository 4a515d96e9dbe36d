/**
 * src/add-mask: `::stop-commands::TOKEN` … `::TOKEN::` (issue 10) and the
 * library API `addMaskSession` (for `stream({ addMask: true })`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddMaskError, AddMaskFilter, addMaskSession } from '../src/add-mask/index.js';
import { createScrubber } from '../src/index.js';
import { oneByteChunks, splitAt } from './helpers/chunking.js';
import { linesWithLf } from './helpers/lines.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const trim = (v: string): string => v.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/**
 * Reference, line by line: while commands are on, a mask line is dropped and
 * its value recorded (no escapes here), a `::stop-commands::TOKEN` line
 * (passed through) turns them off; while off, every line passes and the line
 * `::TOKEN::` turns them back on.
 */
function reference(input: string): { output: string; values: string[] } {
  let output = '';
  const values: string[] = [];
  let token: string | null = null;
  for (const line of linesWithLf(input)) {
    const text = trim(line.endsWith('\n') ? line.slice(0, -1) : line);
    if (token !== null) {
      if (text === `::${token}::`) token = null;
      output += line;
      continue;
    }
    if (text.toLowerCase().startsWith('::stop-commands::') && trim(text.slice(17)) !== '') {
      token = trim(text.slice(17));
      output += line;
      continue;
    }
    const body = line.replace(/^[ \t\v\f\r]+/, '');
    if (body.toLowerCase().startsWith('::add-mask::')) {
      let v = body.slice(12);
      if (v.endsWith('\n')) v = v.slice(0, -1);
      if (v.endsWith('\r')) v = v.slice(0, -1);
      values.push(trim(v));
      continue;
    }
    output += line;
  }
  return { output, values };
}

function runChunks(chunks: string[]): { out: string; values: string[] } {
  const values: string[] = [];
  const filter = new AddMaskFilter({ onMask: (v) => values.push(dec(v)), unescape: false });
  let out = '';
  for (const c of chunks) out += dec(filter.write(enc(c)));
  out += dec(filter.end());
  return { out, values };
}

describe('::stop-commands::', () => {
  it('turns mask lines into ordinary output until ::TOKEN::', () => {
    const input = '::stop-commands::tk1\n::add-mask::fake-a\n::tk1::\n::add-mask::fake-b\nend\n';
    expect(runChunks([input])).toEqual({ out: '::stop-commands::tk1\n::add-mask::fake-a\n::tk1::\nend\n', values: ['fake-b'] });
  });

  it('only the exact token resumes; another ::x:: line does not', () => {
    const input = '  ::STOP-COMMANDS:: tk2 \r\n::tk3::\n::add-mask::fake-a\n ::tk2:: \r\n::add-mask::fake-b\n';
    const r = runChunks([input]);
    expect(r.values).toEqual(['fake-b']);
    expect(r.out).toBe('  ::STOP-COMMANDS:: tk2 \r\n::tk3::\n::add-mask::fake-a\n ::tk2:: \r\n');
  });

  it('an empty token or a stop line inside text does nothing', () => {
    expect(runChunks(['::stop-commands::\n::add-mask::fake-a\n']).values).toEqual(['fake-a']);
    expect(runChunks(['x ::stop-commands::tk\n::add-mask::fake-a\n']).values).toEqual(['fake-a']);
  });

  it('can be turned off (stopCommands: false)', () => {
    const values: string[] = [];
    const f = new AddMaskFilter({ onMask: (v) => values.push(dec(v)), stopCommands: false });
    f.write(enc('::stop-commands::tk\n::add-mask::fake-a\n'));
    expect(values).toEqual(['fake-a']);
  });

  it('matches the reference for every chunking, one byte at a time included (property)', () => {
    const piece = fc.constantFrom('::stop-commands::', '::STOP-commands::', 'tk', '::tk::', '::add-mask::', '::add-', 'mask::', ':', '::', 'fake', ' ', '\t', '\n', '\r\n', 'x');
    const input = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (s, cuts, bytewise) => {
        const bytes = enc(s);
        const chunks = (bytewise ? oneByteChunks(bytes) : splitAt(bytes, cuts.map((c) => c % (s.length + 1)))).map(dec);
        const ref = reference(s);
        const got = runChunks(chunks);
        expect(got.out).toBe(ref.output);
        expect(got.values).toEqual(ref.values);
      }),
      { numRuns: 3000, seed: 1010 },
    );
  });
});

describe('addMaskSession (the API for stream({ addMask: true }))', () => {
  it('registers each value on the whole scrubber before later bytes; other sessions mask it too', () => {
    const scrubber = createScrubber();
    const added: string[] = [];
    const s = addMaskSession(scrubber, { name: 'in-band', onAdd: (r, v) => added.push(`${r.name}:${r.registered}:${v.length}`) });
    const other = scrubber.session();
    const out = dec(s.write(enc('a\n::add-mask::fake-inband-7\nsee fake-inb'))) + dec(s.write(enc('and-7\n'))) + dec(s.end());
    expect(out).toBe('a\nsee ***\n');
    expect(dec(other.write(enc('fake-inband-7 '))) + dec(other.end())).toBe('*** ');
    expect(added).toEqual(['in-band:true:13']);
    expect(scrubber.stats().masked['in-band']).toBe(2);
  });

  it('writeEach/endEach and heldBytes include the filter', () => {
    const scrubber = createScrubber();
    const s = addMaskSession(scrubber);
    const parts: string[] = [];
    s.writeEach(enc('x\n::add-ma'), (p) => parts.push(dec(p)));
    expect(s.heldBytes).toBe(8); // "::add-ma", held by the filter (could still be a mask line)
    s.endEach((p) => parts.push(dec(p)));
    expect(parts.join('')).toBe('x\n::add-ma');
  });

  it('fails closed on an over-long mask line, and stays failed', () => {
    const s = addMaskSession(createScrubber(), { maxLineBytes: 64 });
    expect(() => s.write(enc(`::add-mask::${'v'.repeat(100)}\n`))).toThrow(AddMaskError);
    expect(() => s.write(enc('later\n'))).toThrow(/failed earlier/);
  });
});
