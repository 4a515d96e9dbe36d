/**
 * Node stream adapter: a through2 Transform around one ScrubSession.
 * Backpressure comes from the Transform machinery (a write callback fires only
 * after our push); a throw from the session errors the stream, so nothing
 * unscrubbed is ever pushed (fail closed).
 */
import type { Transform } from 'node:stream';
import { transform } from 'through2';
import type { StreamOptions } from '../api/types.js';
import { Output, type StreamSession } from '../engine/session.js';

export function nodeScrubStream(session: StreamSession, options: StreamOptions = {}): Transform {
  const stream = transform(
    { highWaterMark: options.highWaterMark, decodeStrings: true },
    function (this: Transform, chunk: Buffer | string, encoding: BufferEncoding, callback: (err?: Error | null) => void) {
      const out = new Output();
      try {
        session.writeTo(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, out);
      } catch (err) {
        callback(err as Error);
        return;
      }
      out.drainTo((bytes) => this.push(bytes));
      callback();
    },
    function (this: Transform, callback: (err?: Error | null) => void) {
      const out = new Output();
      try {
        session.endTo(out);
      } catch (err) {
        callback(err as Error);
        return;
      }
      out.drainTo((bytes) => this.push(bytes));
      callback();
    },
  );
  return stream as unknown as Transform;
}
