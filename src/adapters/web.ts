/**
 * Web Streams adapter: a through2/web TransformStream around one ScrubSession.
 * String chunks are UTF-8 encoded. A throw from the session errors the stream
 * (fail closed); backpressure is the TransformStream's own.
 */
import { transform } from 'through2/web';
import type { ScrubSession } from '../api/types.js';

const utf8 = new TextEncoder();

export function webScrubStream(session: ScrubSession): TransformStream<Uint8Array | string, Uint8Array> {
  const stream = transform(
    (chunk: Uint8Array | string, controller: TransformStreamDefaultController<Uint8Array>) => {
      const out = session.write(typeof chunk === 'string' ? utf8.encode(chunk) : chunk);
      if (out.length > 0) controller.enqueue(out);
    },
    (controller: TransformStreamDefaultController<Uint8Array>) => {
      const out = session.end();
      if (out.length > 0) controller.enqueue(out);
    },
  );
  return stream as unknown as TransformStream<Uint8Array | string, Uint8Array>;
}
