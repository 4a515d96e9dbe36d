/**
 * Web Streams adapter: a through2/web TransformStream around one
 * ScrubSession, using only the public session contract (writeEach/endEach).
 * String chunks are UTF-8 encoded; any other chunk type is a TypeError. A
 * throw errors the stream (fail closed); backpressure is the TransformStream's own.
 */
import { transform } from 'through2/web';
import type { ScrubSession } from '../api/types.js';
import { kindOf } from '../api/validate.js';

const utf8 = new TextEncoder();

function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return utf8.encode(chunk);
  throw new TypeError(`scrub-filter: webStream: chunks must be Uint8Array or string (got ${kindOf(chunk)})`);
}

export function webScrubStream(session: ScrubSession): TransformStream<Uint8Array | string, Uint8Array> {
  const stream = transform(
    (chunk: Uint8Array | string, controller: TransformStreamDefaultController<Uint8Array>) => {
      session.writeEach(chunkBytes(chunk), (piece) => controller.enqueue(piece));
    },
    (controller: TransformStreamDefaultController<Uint8Array>) => {
      session.endEach((piece) => controller.enqueue(piece));
    },
  );
  return stream as unknown as TransformStream<Uint8Array | string, Uint8Array>;
}
