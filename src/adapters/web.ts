/**
 * Web Streams adapter: a through2/web TransformStream around one ScrubSession.
 * String chunks are UTF-8 encoded. A throw from the session errors the stream
 * (fail closed); backpressure is the TransformStream's own.
 */
import { transform } from 'through2/web';
import { Output, type StreamSession } from '../engine/session.js';

const utf8 = new TextEncoder();

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return utf8.encode(chunk);
  throw new TypeError('scrub-filter: web stream chunks must be Uint8Array or string');
}

export function webScrubStream(session: StreamSession): TransformStream<Uint8Array | string, Uint8Array> {
  const stream = transform(
    (chunk: Uint8Array | string, controller: TransformStreamDefaultController<Uint8Array>) => {
      const out = new Output();
      session.writeTo(toBytes(chunk), out);
      out.drainTo((bytes) => controller.enqueue(bytes));
    },
    (controller: TransformStreamDefaultController<Uint8Array>) => {
      const out = new Output();
      session.endTo(out);
      out.drainTo((bytes) => controller.enqueue(bytes));
    },
  );
  return stream as unknown as TransformStream<Uint8Array | string, Uint8Array>;
}
