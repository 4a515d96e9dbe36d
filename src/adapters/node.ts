/**
 * Node stream adapter: a `node:stream` Transform around one session.
 *
 * (The project default is through2; our benchmark measured its Transform,
 * built on the userland readable-stream package, at ~0.6x of a core
 * `node:stream` Transform around the same session at 1,000 secrets, so the
 * Node adapter uses the core class. See README, Benchmarks.)
 *
 * Backpressure comes from the Transform machinery (the write callback fires
 * only after our push). A throw from the session errors the stream before
 * anything of that chunk is pushed, so nothing unscrubbed is ever emitted
 * (fail closed).
 */
import { Transform } from 'node:stream';
import type { StreamOptions } from '../api/types.js';
import { Output, type StreamSession } from '../engine/session.js';

export function nodeScrubStream(session: StreamSession, options: StreamOptions = {}): Transform {
  return new Transform({
    highWaterMark: options.highWaterMark,
    decodeStrings: true,
    transform(chunk: Buffer | string, encoding: BufferEncoding, callback: (err?: Error | null) => void) {
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
    flush(callback: (err?: Error | null) => void) {
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
  });
}
