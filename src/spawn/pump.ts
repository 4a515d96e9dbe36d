/**
 * Moves bytes from one readable to one writable through a scrubber session
 * (for `::add-mask::`, an addMaskSession: the filter is inside the session).
 *
 * Uses the synchronous session API directly ('data' events, pause on
 * backpressure) rather than `scrubber.stream()` piped between the two: one
 * fewer stream layer per chunk, measurably faster (see the CLI notes), and the
 * failure path is ours to control: on any error the pump stops before writing
 * anything else.
 */
import type { Readable, Writable } from 'node:stream';
import type { ScrubSession } from '../api/types.js';
import { EMPTY } from '../bytes/index.js';

export interface PumpOptions {
  input: Readable;
  output: Writable;
  session: ScrubSession;
  /** Human name of the input for error messages (`stdin`, `COMMAND's stdout`). */
  label: string;
  /** A scrubbing or read error. The pump has stopped already; the caller stops everything else. */
  onError: (err: unknown) => void;
  /**
   * The final write failed (EPIPE as the reader left, ENOSPC). Its 'error'
   * event may come only after `done` resolved; this callback comes first, so
   * the caller cannot take the end for a success.
   */
  onWriteError?: (err: NodeJS.ErrnoException) => void;
}

export class Pump {
  /** Resolves when the input ended and everything was handed to the output and flushed (or the pump was stopped). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private stopped = false;
  private waitingForDrain = false;
  private readonly o: PumpOptions;

  constructor(options: PumpOptions) {
    this.o = options;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    const { input } = options;
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('error', this.onInputError);
  }

  /** Stops for good: no byte is written after this call. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const { input, output } = this.o;
    input.off('data', this.onData);
    input.off('end', this.onEnd);
    output.off('drain', this.onDrain);
    input.pause();
    this.resolveDone();
  }

  /**
   * Stops writing but keeps reading and dropping the input until it ends (the
   * output is gone). Closing the input instead would make a child that still
   * writes fail with ECONNRESET (Node's child pipes are socket pairs) and print
   * errors; a child we stop with a signal then ends quietly.
   */
  discard(): void {
    if (this.stopped) return;
    this.stop();
    const { input } = this.o;
    input.on('data', () => {});
    input.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    // Pieces: views of the chunk for clean text (no copy), held bytes and masks.
    // All of a chunk is scrubbed before any of it is written (fail closed).
    const pieces: Uint8Array[] = [];
    try {
      this.o.session.writeEach(chunk, (piece) => pieces.push(piece));
    } catch (err) {
      this.fail(err);
      return;
    }
    // Scrubbing can stop us (a registration the caller refuses, e.g. under --strict).
    if (this.stopped || pieces.length === 0) return;
    const { output } = this.o;
    let ok = true;
    if (pieces.length > 1) output.cork(); // one writev for the pieces of a chunk
    for (const piece of pieces) ok = output.write(piece) && ok;
    if (pieces.length > 1) output.uncork();
    if (!ok && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.o.input.pause();
      output.once('drain', this.onDrain);
    }
  };

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    if (!this.stopped) this.o.input.resume();
  };

  private readonly onEnd = (): void => {
    if (this.stopped) return;
    const pieces: Uint8Array[] = [];
    try {
      this.o.session.endEach((piece) => pieces.push(piece));
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.stopped) return;
    const { output } = this.o;
    for (const piece of pieces) output.write(piece);
    // The callback of this empty write runs once everything before it was flushed (or failed).
    output.write(EMPTY, (err?: Error | null) => {
      if (err) this.o.onWriteError?.(err as NodeJS.ErrnoException);
      this.stopped = true;
      this.resolveDone();
    });
  };

  private readonly onInputError = (err: NodeJS.ErrnoException): void => {
    if (this.stopped) return;
    this.fail(new Error(`reading ${this.o.label}: ${err.code ?? err.message}`));
  };

  private fail(err: unknown): void {
    this.stop();
    this.o.onError(err);
  }
}
