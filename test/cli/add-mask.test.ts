import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddMaskError, AddMaskFilter, unescapeWorkflowValue } from '../../src/add-mask/index.js';
import { linesWithLf } from '../helpers/lines.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/**
 * Obviously-correct reference of GitHub's rule: split into lines; a line whose
 * text after leading whitespace is `::NAME[ props]::VALUE` with NAME `add-mask`
 * in any case is dropped and VALUE (CR stripped, trimmed) recorded, plus its
 * unescaped form when that differs.
 */
function reference(input: string): { output: string; values: string[]; positions: number[] } {
  let output = '';
  const values: string[] = [];
  const positions: number[] = [];
  const trim = (v: string) => v.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  for (const line of linesWithLf(input)) {
    const body = line.replace(/^[ \t\v\f\r]+/, '');
    const close = body.startsWith('::') ? body.indexOf('::', 2) : -1;
    const name = close >= 0 ? body.slice(2, close).split(' ')[0] : '';
    if (close < 0 || name.toLowerCase() !== 'add-mask' || body.slice(2, close).includes('\n')) {
      output += line;
      continue;
    }
    let v = body.slice(close + 2);
    if (v.endsWith('\n')) v = v.slice(0, -1);
    if (v.endsWith('\r')) v = v.slice(0, -1);
    v = trim(v);
    values.push(v);
    positions.push(output.length);
    // GitHub's escapes, left to right in one pass (`%2525` is `%25`, not `%`)
    const u = v.replace(/%(0[aA]|0[dD]|25)/g, (m) => (m === '%25' ? '%' : m[2] === 'a' || m[2] === 'A' ? '\n' : '\r'));
    if (u !== v) {
      values.push(trim(u));
      positions.push(output.length);
    }
  }
  return { output, values, positions };
}

function runChunks(chunks: string[], maxLineBytes?: number) {
  const values: string[] = [];
  const calls: number[] = []; // output length already returned when onMask ran
  let out = '';
  const filter = new AddMaskFilter({
    maxLineBytes,
    onMask: (v) => {
      values.push(dec(v));
      calls.push(out.length);
    },
  });
  for (const c of chunks) out += dec(filter.write(enc(c)));
  out += dec(filter.end());
  return { out, values, calls, filter };
}

describe('AddMaskFilter', () => {
  it('drops the line and reports the value (LF, CRLF, end of input)', () => {
    const r = runChunks(['a\n::add-mask::fake-one\nb\r\n::add-mask::fake-two\r\nc\n::add-mask:: fake-three ']);
    expect(r.out).toBe('a\nb\r\nc\n');
    expect(r.values).toEqual(['fake-one', 'fake-two', 'fake-three']);
  });

  it('only at the start of a line (after optional whitespace), like GitHub', () => {
    const r = runChunks(['x ::add-mask::fake-no\n::add-mask\n::add-mask:\n::add-masked::fake-no2\n::add-mask:x::fake-no3\n::add-mask props\n']);
    expect(r.out).toBe('x ::add-mask::fake-no\n::add-mask\n::add-mask:\n::add-masked::fake-no2\n::add-mask:x::fake-no3\n::add-mask props\n');
    expect(r.values).toEqual([]);
  });

  it('accepts what GitHub accepts: indentation, any case, properties', () => {
    const r = runChunks(['a\n  \t::add-mask::fake-1\n::ADD-Mask::fake-2\n::add-mask key=v,x=y::fake-3\n\r::add-mask::fake-4\nb\n']);
    expect(r.out).toBe('a\nb\n');
    expect(r.values).toEqual(['fake-1', 'fake-2', 'fake-3', 'fake-4']);
  });

  it('passes very long indentation on, and still drops the command part', () => {
    const indent = ' '.repeat(200);
    const r = runChunks([`${indent}::add-mask::fake-deep\nnext\n`]);
    expect(r.values).toEqual(['fake-deep']);
    expect(r.out).toMatch(/^ +next\n$/);
    expect(r.out.length - 'next\n'.length).toBeGreaterThanOrEqual(200 - 64);
  });

  it('passes chunks through untouched (same object) when nothing is held or dropped', () => {
    const f = new AddMaskFilter({ onMask: () => {} });
    const c = enc('hello\nworld\n:x');
    expect(f.write(c)).toBe(c);
  });

  it('holds only a possible prefix at a line start, and releases it on the first other byte', () => {
    const f = new AddMaskFilter({ onMask: () => {} });
    expect(dec(f.write(enc('line\n::add')))).toBe('line\n');
    expect(f.heldBytes).toBe(5);
    expect(dec(f.write(enc('-mess\n')))).toBe('::add-mess\n');
    expect(f.heldBytes).toBe(0);
    expect(dec(f.write(enc('::')))).toBe('');
    expect(dec(f.end())).toBe('::');
  });

  it('value split across many writes, one byte at a time', () => {
    const input = 'start\n::add-mask::fake-split-value\r\nafter fake-split-value\n';
    const r = runChunks([...input]);
    expect(r.out).toBe('start\nafter fake-split-value\n');
    expect(r.values).toEqual(['fake-split-value']);
    // registered before any byte after the line was returned
    expect(r.calls).toEqual(['start\n'.length]);
  });

  it('unescapes %0A %0D %25 like GitHub, and registers both forms', () => {
    const r = runChunks(['::add-mask::fake%0Aline2%25\n']);
    expect(r.values).toEqual(['fake%0Aline2%25', 'fake\nline2%']);
    expect(dec(unescapeWorkflowValue(enc('a%0d%0A%2525')))).toBe('a\r\n%25');
    const plain = enc('no-escapes%');
    expect(unescapeWorkflowValue(plain)).toBe(plain);
  });

  it('fails closed on an over-long mask line, without the value in the message', () => {
    const f = new AddMaskFilter({ onMask: () => {}, maxLineBytes: 100 });
    expect(dec(f.write(enc('ok\n::add-mask::')))).toBe('ok\n');
    expect(f.heldBytes).toBe(12);
    let err: unknown;
    try {
      f.write(enc('fake-long-'.repeat(20)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AddMaskError);
    expect((err as Error).message).toBe('an ::add-mask:: line is longer than 100 bytes');
    // a long ordinary line is fine
    const g = new AddMaskFilter({ onMask: () => {}, maxLineBytes: 100 });
    expect(dec(g.write(enc('x'.repeat(1000))))).toBe('x'.repeat(1000));
  });

  it('matches the reference for every chunking (property)', () => {
    const piece = fc.constantFrom('::add-mask::', '::ADD-', '::add-', 'mask::', 'MASK', ':', '::', 'fake', 'ab', ' ', '\t', '\n', '\r\n', '\r', '%0A', '%25', 'x', 'k=v');
    const input = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), (s, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(s.slice(prev, p));
          prev = p;
        }
        chunks.push(s.slice(prev));
        const ref = reference(s);
        const got = runChunks(chunks);
        expect(got.out).toBe(ref.output);
        expect(got.values).toEqual(ref.values);
        // each value was reported before any byte that follows its line was returned
        for (let k = 0; k < got.calls.length; k++) expect(got.calls[k]).toBeLessThanOrEqual(ref.positions[k]);
      }),
      { numRuns: Number(process.env.ADDMASK_RUNS ?? 2000), seed: Number(process.env.ADDMASK_SEED ?? 42) },
    );
  });

  it('holds only what can still become a command, and releases everything else at once (property)', () => {
    const piece = fc.constantFrom('::add-mask::', '::add-', ':', 'v', ' ', '\n', 'x', '::add-mask ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const f = new AddMaskFilter({ onMask: () => {} });
        let input = '';
        let out = '';
        for (const p of pieces) {
          input += p;
          out += dec(f.write(enc(p)));
          const held = f.heldBytes;
          const lastLine = input.slice(input.lastIndexOf('\n') + 1);
          const ref = reference(input + '\n');
          if (ref.values.length > reference(input.slice(0, input.length - lastLine.length)).values.length) continue; // inside a mask line
          // Held: exactly the unfinished last line, when it could still be a command.
          const body = lastLine.replace(/^[ \t]+/, '');
          const couldBe =
            lastLine.length > 0 &&
            (body === '' || '::add-mask'.startsWith(body) || body === '::add-mask:' || (body.startsWith('::add-mask ') && !body.slice(11).includes('::')));
          expect(held).toBe(couldBe ? lastLine.length : 0);
          expect(out).toBe(reference(input.slice(0, input.length - held)).output);
        }
      }),
      { numRuns: Number(process.env.ADDMASK_RUNS ?? 1000), seed: Number(process.env.ADDMASK_SEED ?? 7) },
    );
  });

  it('handles binary bytes', () => {
    const f = new AddMaskFilter({ onMask: () => {} });
    const bin = new Uint8Array([0, 255, 10, 58, 58, 0, 10, 128]);
    expect([...f.write(bin), ...f.end()]).toEqual([...bin]);
  });
});
