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

describe('consumer errors never stall a stream', () => {
  it("a 'data' listener that throws destroys the Node stream with that error", async () => {
    const scrubber = createScrubber({ secrets: ['fake-consumer-secret'], variants: false });
    const stream = scrubber.stream();
    stream.on('data', () => {
      throw new Error('consumer broke');
    });
    const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
    stream.write('first line\n');
    expect((await failed).message).toBe('consumer broke');
    expect(stream.destroyed).toBe(true);
    await new Promise((r) => setImmediate(r));
    // Later writes fail instead of waiting forever.
    const later = await new Promise<Error | null | undefined>((resolve) => stream.write('fake-consumer-secret\n', resolve));
    expect(later).toBeInstanceOf(Error);
  });

  it('pipeline() rejects (does not hang) when a downstream consumer throws', async () => {
    const scrubber = createScrubber({ secrets: ['fake-consumer-secret'], variants: false });
    const sink = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('sink broke'));
      },
    });
    await expect(pipeline(Readable.from(['a\n', 'b\n', 'c\n']), scrubber.stream(), sink)).rejects.toThrow(/sink broke/);
  });
});

describe('stream({ addMask: true }) and webStream({ addMask: true })', () => {
  it('::add-mask:: lines register for the whole scrubber and are not output (Node)', async () => {
    const scrubber = createScrubber({ variants: false });
    const other = scrubber.stream(); // a live stream without addMask
    const otherOut: Buffer[] = [];
    other.on('data', (d: Buffer) => otherOut.push(d));
    other.write('other: fake-in');
    const chunks = ['log 1\n::add-mask::fake-in-band-1', '234\nsame chunk fake-in-band-1234 and ', 'split fake-in-', 'band-1234\n  ::ADD-MASK::fake-second-token\nfake-second-token end'];
    const out = await throughNode(scrubber.stream({ addMask: true }), chunks);
    expect(out.toString()).toBe('log 1\nsame chunk *** and split ***\n*** end');
    other.end('-band-1234 fake-second-token\n');
    await new Promise((r) => other.on('end', r));
    // 'fake-in' was emitted before the secret existed (cannot be recalled); the rest of that occurrence is masked.
    expect(Buffer.concat(otherOut).toString()).toBe('other: fake-in*** ***\n');
    expect(scrubber.stats().masked['add-mask']).toBeGreaterThanOrEqual(4);
  });

  it('the same with the Web stream, and a custom name', async () => {
    const scrubber = createScrubber({ variants: false });
    const out = await throughWeb(scrubber.webStream({ addMask: { name: 'job:build' } }), ['::add-mask::fake-web-token-77\r\n', 'got fake-web-', 'token-77\n']);
    expect(out.toString()).toBe('got ***\n');
    expect(scrubber.stats().masked).toEqual({ 'job:build': 1 });
    expect(scrubber.scrub('x fake-web-token-77')).toBe('x ***');
  });

  it('without addMask the lines pass through untouched', async () => {
    const scrubber = createScrubber({ variants: false });
    const out = await throughNode(scrubber.stream(), ['::add-mask::fake-not-registered\n']);
    expect(out.toString()).toBe('::add-mask::fake-not-registered\n');
    expect(scrubber.secretCount).toBe(0);
  });

  it('an over-long mask line fails the stream closed', async () => {
    const scrubber = createScrubber({ variants: false });
    const long = `::add-mask::${'x'.repeat(70 * 1024)}\nafter\n`;
    await expect(throughNode(scrubber.stream({ addMask: true }), [long])).rejects.toThrow(/longer than/);
    await expect(throughWeb(scrubber.webStream({ addMask: true }), [long])).rejects.toThrow(/longer than/);
  });
});

describe('several sources into one destination', () => {
  it('pipeline(src, scrubber.stream(), dest, { end: false }) for two sources: both complete, dest stays open', async () => {
    const scrubber = createScrubber({ secrets: ['fake-two-sources'], variants: false });
    const got: Buffer[] = [];
    const dest = new Writable({
      write(chunk: Buffer, _enc, cb) {
        got.push(Buffer.from(chunk));
        cb();
      },
    });
    const slow = Readable.from(
      (async function* () {
        await new Promise((r) => setTimeout(r, 30));
        yield 'err: fake-two-sources\n';
      })(),
    );
    await Promise.all([
      pipeline(Readable.from(['out: fake-two-sources\n']), scrubber.stream(), dest, { end: false }),
      pipeline(slow, scrubber.stream(), dest, { end: false }),
    ]);
    expect(Buffer.concat(got).toString()).toBe('out: ***\nerr: ***\n');
    expect(dest.writableEnded).toBe(false);
  });
});
