/**
 * Node stream adapter: a through2 Transform around one ScrubSession.
 * Backpressure comes from the Transform machinery (a write callback fires only
 * after our push); a throw from the session errors the stream, so nothing
 * unscrubbed is ever pushed (fail closed).
 */
import type { Transform } from 'node:stream';
import { transform } from 'through2';
import type { ScrubSession, StreamOptions } from '../api/types.js';

export function nodeScrubStream(session: ScrubSession, options: StreamOptions = {}): Transform {
  const stream = transform(
    { highWaterMark: options.highWaterMark, decodeStrings: true },
    function (this: Transform, chunk: Buffer | string, encoding: BufferEncoding, callback: (err?: Error | null) => void) {
      let out: Uint8Array;
      try {
        out = session.write(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
      } catch (err) {
        callback(err as Error);
        return;
      }
      if (out.length > 0) this.push(out);
      callback();
    },
    function (this: Transform, callback: (err?: Error | null) => void) {
      let out: Uint8Array;
      try {
        out = session.end();
      } catch (err) {
        callback(err as Error);
        return;
      }
      if (out.length > 0) this.push(out);
      callback();
    },
  );
  return stream as unknown as Transform;
}
