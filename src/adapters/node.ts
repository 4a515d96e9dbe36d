/**
 * Node stream adapter: a `node:stream` Transform around one ScrubSession,
 * using only the public session contract (writeEach/endEach).
 *
 * (The project default is through2; our benchmark measured its Transform,
 * built on the userland readable-stream package, at ~0.6x of a core
 * `node:stream` Transform around the same session at 1,000 secrets, so the
 * Node adapter uses the core class. See README, Benchmarks.)
 *
 * Backpressure comes from the Transform machinery (the write callback fires
 * only after our push). Errors become a stream error (the Transform is
 * destroyed), never a stall:
 * - a throw from the session happens before anything of that chunk is
 *   pushed, so nothing unscrubbed is ever emitted (fail closed);
 * - a `'data'` listener runs inside `push()`; if it throws, the session is
 *   failed (writeEach's rule) and the error is handed to the callback, which
 *   destroys the stream instead of leaving the write pending forever.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { ScrubSession } from '../api/types.js';

export interface NodeAdapterOptions {
  highWaterMark?: number;
}

export function nodeScrubStream(session: ScrubSession, options: NodeAdapterOptions = {}): Transform {
  return new Transform({
    highWaterMark: options.highWaterMark,
    decodeStrings: true,
    transform(this: Transform, chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback) {
      try {
        session.writeEach(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, (piece) => this.push(piece));
      } catch (err) {
        callback(err as Error);
        return;
      }
      callback();
    },
    flush(this: Transform, callback: TransformCallback) {
      try {
        session.endEach((piece) => this.push(piece));
      } catch (err) {
        callback(err as Error);
        return;
      }
      callback();
    },
  });
}
