/**
 * The Node and Web stream adapters: same bytes as one-shot under random
 * chunking, string chunks as UTF-8, several live streams sharing one scrubber
 * with dynamic adds, fail-closed errors, backpressure.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../src/index.js';
import { trimBytes } from '../src/bytes/index.js';
import { ScrubberEngine } from '../src/engine/index.js';
import { nodeScrubStream, webScrubStream } from '../src/adapters/index.js';
import { concat, cutsArb, runs, seed, splitAt } from './helpers/chunking.js';

const enc = (s: string) => new TextEncoder().encode(s);

async function throughNode(stream: NodeJS.ReadWriteStream, chunks: (Uint8Array | string)[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks, { objectMode: false }),
    stream,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(Buffer.from(chunk));
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

async function throughWeb(stream: TransformStream<Uint8Array | string, Uint8Array>, chunks: (Uint8Array | string)[]): Promise<Buffer> {
  const source = new ReadableStream<Uint8Array | string>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  const out: Uint8Array[] = [];
  const reader = source.pipeThrough(stream).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(value);
  }
  return Buffer.from(concat(out));
}

describe('stream adapters', () => {
  it('Node and Web streams equal one-shot under random chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z0-9]{6,12}$/), { minLength: 1, maxLength: 5 }),
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.nat({ max: 4 })), { maxLength: 10 }),
        cutsArb(200),
        async (secrets, pieces, cuts) => {
          const scrubber = createScrubber({ secrets, variants: false });
          const input = enc(pieces.map((p) => (typeof p === 'number' ? secrets[p % secrets.length] : p)).join(''));
          const expected = Buffer.from(scrubber.scrub(input));
          const chunks = splitAt(input, cuts).filter((c) => c.length > 0);
          expect(await throughNode(scrubber.stream(), chunks)).toEqual(expected);
          expect(await throughWeb(scrubber.webStream(), chunks)).toEqual(expected);
          for (const s of secrets) expect(expected.includes(s)).toBe(false);
        },
      ),
      { seed: seed(), numRuns: runs(150) },
    );
  });

  it('string chunks are UTF-8, split anywhere', async () => {
    const scrubber = createScrubber({ secrets: ['pässwörd-€uro'], variants: false });
    const text = 'login pässwörd-€uro ok ✓';
    const expected = 'login *** ok ✓';
    expect((await throughNode(scrubber.stream(), ['login päss', 'wörd-€', 'uro ok ✓'])).toString()).toBe(expected);
    expect((await throughWeb(scrubber.webStream(), ['login päss', 'wörd-€', 'uro ok ✓'])).toString()).toBe(expected);
    expect(scrubber.scrub(text)).toBe(expected);
  });

  it('one scrubber serves many live streams; add() reaches bytes each is holding', async () => {
    const scrubber = createScrubber({ secrets: ['abzzzzzz'], variants: false });
    const a = scrubber.stream();
    const b = scrubber.stream();
    const outA: Buffer[] = [];
    const outB: Buffer[] = [];
    a.on('data', (d: Buffer) => outA.push(d));
    b.on('data', (d: Buffer) => outB.push(d));
    a.write('token: ab');
    b.write('other: abc');
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(outA).toString()).toBe('token: ');
    scrubber.add('abcdefgh', { name: 'vault:deploy' });
    a.end('cdefgh\n');
    b.end('defgh!\n');
    await Promise.all([new Promise((r) => a.on('end', r)), new Promise((r) => b.on('end', r))]);
    expect(Buffer.concat(outA).toString()).toBe('token: ***\n');
    // 'abc' was already released (not a prefix of a known secret): the rest of the occurrence is masked.
    expect(Buffer.concat(outB).toString()).toBe('other: abc***!\n');
    expect(scrubber.stats().masked['vault:deploy']).toBe(2);
  });

  it('fails closed: an engine error errors the Node stream; nothing of that chunk is emitted', async () => {
    const engine = new ScrubberEngine({ mask: enc('***'), minLength: 1, expand: (s) => [trimBytes(s)] });
    engine.add('known-secret');
    const stream = nodeScrubStream(engine.session());
    const seen: Buffer[] = [];
    stream.on('data', (d: Buffer) => seen.push(d));
    const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
    stream.write('before known-secret after\n');
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(seen).toString()).toBe('before *** after\n');
    engine.compiled = () => {
      throw new Error('engine failure');
    };
    stream.write('known-secret must not pass\n');
    expect((await failed).message).toMatch(/engine failure/);
    expect(Buffer.concat(seen).toString()).toBe('before *** after\n');
  });

  it('fails closed: an engine error errors the Web stream', async () => {
    const engine = new ScrubberEngine({ mask: enc('***'), minLength: 1, expand: (s) => [trimBytes(s)] });
    engine.add('known-secret');
    engine.compiled = () => {
      throw new Error('engine failure');
    };
    await expect(throughWeb(webScrubStream(engine.session()), [enc('known-secret must not pass')])).rejects.toThrow(/engine failure/);
    await expect(throughWeb(createScrubber().webStream(), [42 as unknown as Uint8Array])).rejects.toThrow(/chunks must be Uint8Array or string \(got a number\)/);
  });

  it('a session that threw refuses further writes (never passes data through)', () => {
    const engine = new ScrubberEngine({ mask: enc('***'), minLength: 1, expand: (s) => [trimBytes(s)] });
    engine.add('known-secret');
    const session = engine.session();
    // Sabotage: the compiled set's lookups throw.
    const compiled = engine.compiled.bind(engine);
    let broken = false;
    engine.compiled = () => {
      if (broken) throw new Error('engine failure');
      return compiled();
    };
    expect(Buffer.from(session.write(enc('ok '))).toString()).toBe('ok ');
    broken = true;
    expect(() => session.write(enc('known-secret'))).toThrow(/engine failure/);
    broken = false;
    expect(() => session.write(enc('more'))).toThrow(/failed earlier/);
    expect(() => session.end()).toThrow(/failed earlier/);
  });

  it('respects backpressure: a stalled reader stops the writer instead of buffering without bound', async () => {
    const scrubber = createScrubber({ secrets: ['s3cr3t-value'], variants: false });
    const stream = scrubber.stream({ highWaterMark: 16 * 1024 });
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let writes = 0;
    while (stream.write(chunk)) {
      writes++;
      if (writes > 1000) break;
    }
    // Nobody reads: the writable side must report "full" after a bounded number of writes.
    expect(writes).toBeLessThan(10);
    expect(stream.readableLength + stream.writableLength).toBeLessThan(200 * 1024);
    // Draining resumes the flow.
    const sink = new PassThrough();
    stream.pipe(sink);
    sink.resume();
    await new Promise((r) => stream.once('drain', r));
    stream.end();
  });
});
