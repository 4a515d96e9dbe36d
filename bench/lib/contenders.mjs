// Every contender of the throughput table. Each one has
//   setup({ secrets, variants }) -> state       (timed: "setup ms")
//   prepare(state, input)        -> ctx         (untimed: chunking, decoding)
//   run(ctx, collect)            -> { outBytes, out? }   (timed)
// `input` is a Buffer (a prefix of the generated log); `out`, when `collect` is
// set, is the whole output as one Buffer (for the leak / reference check).
import { PassThrough, Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chunksOf } from './gen.mjs';
import { MASK } from './verify.mjs';
import { pump } from './pump.mjs';
import { detectContenders } from './detect-bench.mjs';

const require = createRequire(import.meta.url);
/** The engine under test: a snapshot of dist/ taken by run.mjs, else dist/ itself. */
export function engineUrl() {
  const snap = process.env.SCRUB_BENCH_DIST;
  return snap ? pathToFileURL(join(snap, 'index.js')).href : new URL('../../dist/index.js', import.meta.url).href;
}

/**
 * The per-byte JS baseline (not a ceiling): reads every byte once into a checksum. Also the
 * load probe every child runs between rounds (see child.mjs). Returns bytes read.
 */
export function byteLoop(chunks) {
  let sum = 0;
  let bytes = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) sum = (sum + c[i]) | 0;
    bytes += c.length;
  }
  globalThis.__benchSink = sum;
  return bytes;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function alternation(secrets) {
  return new RegExp(secrets.map(escapeRegExp).join('|'), 'g');
}

/** Decodes byte chunks to strings the way `setEncoding('utf8')` / `createReadStream({encoding})` does. */
function* decodeChunks(chunks) {
  const dec = new StringDecoder('utf8');
  for (const c of chunks) {
    const s = dec.write(c);
    if (s) yield s;
  }
  const tail = dec.end();
  if (tail) yield tail;
}

const byteChunks = (_state, input) => ({ chunks: chunksOf(input) });
const asText = (s, collect) => ({ outBytes: Buffer.byteLength(s), out: collect ? Buffer.from(s, 'utf8') : undefined });

async function engine() {
  return import(engineUrl());
}

async function scrubber({ secrets, variants }) {
  const { createScrubber } = await engine();
  const s = createScrubber({ variants, secrets, detect: false }); // known secrets only: detection has its own rows (detect-bench.mjs)
  // Force any lazy build now, so that it is counted in setup and not in round 1.
  if (typeof s.compact === 'function') s.compact();
  const warm = s.session();
  warm.write(Buffer.from('warm up\n'));
  warm.end();
  return s;
}

export const CONTENDERS = {
  // ---- ceilings ----------------------------------------------------------
  'ceil-passthrough': {
    label: 'PassThrough stream (stream machinery alone)',
    group: 'ceiling',
    noCheck: true,
    setup: () => null,
    prepare: byteChunks,
    run: (ctx, collect) => pump(Readable.from(ctx.chunks), [new PassThrough()], collect),
  },
  'ceil-loop': {
    label: 'JS loop reading every byte once (a baseline, not a ceiling)',
    group: 'ceiling',
    noCheck: true,
    setup: () => null,
    prepare: byteChunks,
    run(ctx) {
      return { outBytes: byteLoop(ctx.chunks) };
    },
  },
  'ceil-indexof': {
    label: '`Buffer.indexOf` of one secret over the whole input (native scan)',
    group: 'ceiling',
    noCheck: true,
    setup: ({ secrets }) => Buffer.from(secrets[0]),
    prepare: (needle, input) => ({ needle, input }),
    run(ctx) {
      let count = 0;
      for (let i = ctx.input.indexOf(ctx.needle); i !== -1; i = ctx.input.indexOf(ctx.needle, i + 1)) count++;
      globalThis.__benchSink = count;
      return { outBytes: ctx.input.length };
    },
  },

  // ---- scrub-filter --------------------------------------------------------
  'sf-stream': {
    label: 'scrub-filter `scrubber.stream()`',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, chunks: chunksOf(input) }),
    run: (ctx, collect) => pump(Readable.from(ctx.chunks), [ctx.s.stream()], collect),
  },
  'sf-transform': {
    label: 'scrub-filter bare `node:stream` Transform around `session()`',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, chunks: chunksOf(input) }),
    run(ctx, collect) {
      const { transform, flush } = sessionTransformFns(ctx.s.session());
      return pump(Readable.from(ctx.chunks), [new Transform({ transform, flush })], collect);
    },
  },
  'sf-through2': {
    label: 'scrub-filter `through2` v5 Transform around `session()` (the adapter library we measured against)',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, chunks: chunksOf(input) }),
    async run(ctx, collect) {
      const through2 = await import('through2');
      const { transform, flush } = sessionTransformFns(ctx.s.session());
      return pump(Readable.from(ctx.chunks), [through2.transform(transform, flush)], collect);
    },
  },
  'sf-session': {
    label: 'scrub-filter `session().writeEach()` loop, no stream',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, chunks: chunksOf(input) }),
    run(ctx, collect) {
      const session = ctx.s.session();
      const parts = collect ? [] : null;
      let outBytes = 0;
      const take = (out) => {
        outBytes += out.length;
        if (parts) parts.push(Buffer.from(out));
      };
      for (const c of ctx.chunks) session.writeEach(c, take);
      session.endEach(take);
      return { outBytes, out: parts ? Buffer.concat(parts) : undefined };
    },
  },
  'sf-scrub-bytes': {
    label: 'scrub-filter `scrub(Uint8Array)` one-shot',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, input }),
    run(ctx, collect) {
      const out = ctx.s.scrub(ctx.input);
      return { outBytes: out.length, out: collect ? Buffer.from(out) : undefined };
    },
  },
  'sf-scrub-string': {
    label: 'scrub-filter `scrub(string)` one-shot (on the decoded string)',
    group: 'scrub-filter',
    setup: scrubber,
    prepare: (s, input) => ({ s, text: input.toString('utf8') }),
    run: (ctx, collect) => asText(ctx.s.scrub(ctx.text), collect),
  },

  // ---- peers ---------------------------------------------------------------
  'peer-string-replace': {
    label: '`String.prototype.replace`, escaped RegExp alternation (on the decoded string)',
    group: 'peer',
    setup: ({ secrets }) => alternation(secrets),
    prepare: (re, input) => ({ re, text: input.toString('utf8') }),
    run: (ctx, collect) => asText(ctx.text.replace(ctx.re, MASK), collect),
  },
  'peer-replacestream-re': {
    label: '`replacestream` 4, one stream, escaped RegExp alternation',
    group: 'peer',
    setup: ({ secrets }) => ({ re: alternation(secrets), rs: require('replacestream') }),
    prepare: (st, input) => ({ ...st, chunks: chunksOf(input) }),
    // A fresh RegExp per stream: replacestream uses the regex's lastIndex.
    run: (ctx, collect) => pump(Readable.from(ctx.chunks), [ctx.rs(new RegExp(ctx.re.source, 'g'), MASK)], collect),
  },
  'peer-replacestream-chain': {
    label: '`replacestream` 4, chain of one stream per secret (string search; its default is case-insensitive)',
    group: 'peer',
    setup: ({ secrets }) => ({ secrets, rs: require('replacestream') }),
    prepare: (st, input) => ({ ...st, chunks: chunksOf(input) }),
    run: (ctx, collect) => pump(Readable.from(ctx.chunks), ctx.secrets.map((s) => ctx.rs(s, MASK)), collect),
  },
  'peer-modern-replace': {
    label: '`modern-ahocorasick` 3 `replace()` (on the decoded string)',
    group: 'peer',
    async setup({ secrets }) {
      const { default: AhoCorasick } = await import('modern-ahocorasick');
      return new AhoCorasick(secrets);
    },
    prepare: decodedWith,
    run: (ctx, collect) => asText(ctx.m.replace(ctx.text, MASK), collect),
  },
  'peer-modern-replace-ascii': {
    label: '`modern-ahocorasick` 3 `replace()` on an ASCII-only copy of the input (bytes >= 0x80 -> `?`)',
    group: 'peer',
    otherInput: true,
    async setup({ secrets }) {
      const { default: AhoCorasick } = await import('modern-ahocorasick');
      return new AhoCorasick(secrets);
    },
    prepare: decodedWith,
    run: (ctx, collect) => asText(ctx.m.replace(ctx.text, MASK), collect),
  },
  'peer-modern-stream': {
    label: '`modern-ahocorasick` 3 Node stream `createReplaceTransform()`',
    group: 'peer',
    async setup({ secrets }) {
      const { default: AhoCorasick } = await import('modern-ahocorasick');
      const { createReplaceTransform } = await import('modern-ahocorasick/stream/node');
      return { m: new AhoCorasick(secrets), createReplaceTransform };
    },
    prepare: (st, input) => ({ ...st, chunks: chunksOf(input) }),
    run: (ctx, collect) => pump(Readable.from(ctx.chunks), [ctx.createReplaceTransform(ctx.m, MASK)], collect),
  },
  'peer-monyone-stream': {
    label: '`@monyone/aho-corasick` 1 Node stream `replaceStream()` (utf8-decoded input, as its README)',
    group: 'peer',
    async setup({ secrets }) {
      const { AhoCorasick } = await import('@monyone/aho-corasick/stream/node');
      return new AhoCorasick(secrets);
    },
    prepare: (m, input) => ({ m, chunks: chunksOf(input) }),
    run: (ctx, collect) => pump(Readable.from(decodeChunks(ctx.chunks)), [ctx.m.replaceStream(() => MASK)], collect),
  },
};

function decodedWith(m, input) {
  return { m, text: input.toString('utf8') };
}

/** Replaces every byte >= 0x80 by `?` (for the ASCII-only comparison row). */
export function asciiFold(buf) {
  const out = Buffer.from(buf);
  for (let i = 0; i < out.length; i++) if (out[i] >= 0x80) out[i] = 0x3f;
  return out;
}

/**
 * transform/flush functions (called with `this` = the stream) pushing a
 * session's output pieces: clean text goes out as views, no join. Shared by the
 * bare `node:stream` and through2 rows so they differ only in the stream class.
 */
function sessionTransformFns(session) {
  return {
    transform(chunk, _enc, cb) {
      const pieces = [];
      try {
        session.writeEach(chunk, (p) => pieces.push(p));
      } catch (err) {
        cb(err);
        return;
      }
      for (const p of pieces) this.push(p);
      cb();
    },
    flush(cb) {
      session.endEach((p) => this.push(p));
      cb();
    },
  };
}

Object.assign(CONTENDERS, detectContenders(engineUrl));
