// Feeding a stream pipeline in a benchmark: one home for the counting sink.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Feeds `source` (a Readable) through `transforms` into a counting sink; `collect` also keeps the output. */
export async function pump(source, transforms, collect) {
  let outBytes = 0;
  const parts = collect ? [] : null;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      outBytes += chunk.length;
      if (parts) parts.push(Buffer.from(chunk)); // copy: a producer may reuse its buffer
      cb();
    },
  });
  await pipeline(source, ...transforms, sink);
  return { outBytes, out: parts ? Buffer.concat(parts) : undefined };
}
