/**
 * A ScrubSession that honours `::add-mask::VALUE` lines: its input goes
 * through an AddMaskFilter first, and each value found is registered (with
 * the whole scrubber, so every live stream masks it) before any later byte
 * of this input reaches the inner session. The filter hands its output on
 * only after `onMask` has run, and the inner session rescans what it holds
 * when the set changes, so a secret printed right after its mask line (even
 * in the same chunk) is masked.
 *
 * Same contract as any session: argument errors throw before anything
 * changes; any other throw (a mask line over the filter's cap, an engine
 * failure, a throwing `emit`) fails this session for good.
 */
import type { AddMaskFilter } from '../add-mask/index.js';
import type { ScrubSession } from '../api/types.js';
import { checkCallback, checkChunk } from '../api/validate.js';
import { concatBytes } from '../bytes/index.js';

export class AddMaskSession implements ScrubSession {
  private readonly inner: ScrubSession;
  private readonly filter: AddMaskFilter;
  private failed = false;
  private ended = false;

  constructor(inner: ScrubSession, filter: AddMaskFilter) {
    this.inner = inner;
    this.filter = filter;
  }

  get heldBytes(): number {
    return this.filter.heldBytes + this.inner.heldBytes;
  }

  write(chunk: Uint8Array): Uint8Array {
    checkChunk(chunk, 'session.write');
    return this.run('write', () => this.inner.write(this.filter.write(chunk)));
  }

  writeEach(chunk: Uint8Array, emit: (piece: Uint8Array) => void): void {
    checkChunk(chunk, 'session.writeEach');
    checkCallback(emit, 'session.writeEach: emit');
    this.run('write', () => this.inner.writeEach(this.filter.write(chunk), emit));
  }

  end(): Uint8Array {
    return this.run('end', () => {
      const rest = this.inner.write(this.filter.end());
      return concatBytes([rest, this.inner.end()]);
    });
  }

  endEach(emit: (piece: Uint8Array) => void): void {
    checkCallback(emit, 'session.endEach: emit');
    this.run('end', () => {
      this.inner.writeEach(this.filter.end(), emit);
      this.inner.endEach(emit);
    });
  }

  private run<T>(op: 'write' | 'end', step: () => T): T {
    if (this.failed) throw new Error('scrub-filter: session failed earlier; refusing to emit more data');
    if (this.ended) throw new Error(op === 'end' ? 'scrub-filter: session already ended (end() called twice)' : 'scrub-filter: write after end');
    if (op === 'end') this.ended = true;
    try {
      return step();
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }
}
