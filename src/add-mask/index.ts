/**
 * In-band secrets: `::add-mask::VALUE` lines (GitHub Actions workflow
 * commands), for any consumer of the library; the CLI's `--add-mask` uses
 * exactly this.
 *
 * - {@link AddMaskFilter}: the byte filter that sits before a scrubber
 *   session. It drops mask lines and reports their values (see lines.ts for
 *   the exact rules), and honours `::stop-commands::TOKEN` … `::TOKEN::`
 *   stretches, during which mask lines are ordinary output (see
 *   stop-commands.ts).
 * - {@link addMaskSession}: a {@link ScrubSession} of a scrubber with the
 *   filter in front, each value registered with `scrubber.add()` before any
 *   later byte is scrubbed. This is what `stream({ addMask: true })` (and the
 *   Web equivalent) should wrap: an adapter coded against the session
 *   contract needs nothing else.
 */
import type { AddResult, ScrubSession, Scrubber } from '../api/types.js';
import { concatBytes, EMPTY } from '../bytes/index.js';
import { MaskLineFilter, type AddMaskFilterOptions as LineOptions } from './lines.js';
import { StopCommandsWatcher } from './stop-commands.js';

export { AddMaskError, DEFAULT_MAX_MASK_LINE_BYTES, MAX_HELD_INDENT, unescapeWorkflowValue } from './lines.js';

export interface AddMaskFilterOptions extends LineOptions {
  /** Honour `::stop-commands::TOKEN` … `::TOKEN::` (as GitHub's runner does). Default true. */
  stopCommands?: boolean;
}

/** The `::add-mask::` filter with `::stop-commands::` support. Same contract as before: `write(chunk)` → bytes to scrub now; `end()` → the rest. */
export class AddMaskFilter {
  private readonly lines: MaskLineFilter;
  private readonly watcher: StopCommandsWatcher | null;

  constructor(options: AddMaskFilterOptions) {
    this.lines = new MaskLineFilter(options);
    this.watcher = options.stopCommands === false ? null : new StopCommandsWatcher();
  }

  /** Bytes currently held back (a possible command at a line start, or an unfinished mask line). */
  get heldBytes(): number {
    return this.lines.heldBytes;
  }

  /** Whether command processing is off (inside a `::stop-commands::` stretch). */
  get stopped(): boolean {
    return this.watcher?.stopped ?? false;
  }

  write(chunk: Uint8Array): Uint8Array {
    const w = this.watcher;
    if (w === null) return this.lines.write(chunk);
    const wasStopped = w.stopped;
    const flips = w.scan(chunk);
    if (flips.length === 0) return wasStopped ? chunk : this.lines.write(chunk);
    // Replay: each stretch goes through the mask filter only while commands are on.
    // A flip is always just after an LF, where the mask filter holds nothing.
    const out: Uint8Array[] = [];
    let on = !wasStopped;
    let from = 0;
    for (const at of [...flips, chunk.length]) {
      const part = chunk.subarray(from, at);
      if (part.length > 0) out.push(on ? this.lines.write(part) : part);
      on = !on;
      from = at;
    }
    return concatBytes(out.filter((p) => p.length > 0));
  }

  end(): Uint8Array {
    return this.lines.end();
  }
}

export interface AddMaskSessionOptions {
  /** Name each in-band secret is registered under (in warnings and stats). Default `add-mask`. */
  name?: string;
  /** After each registration (the value is only for checks, never to be printed). */
  onAdd?: (result: AddResult, value: Uint8Array) => void;
  /** Longest accepted mask line in bytes (see {@link DEFAULT_MAX_MASK_LINE_BYTES}). */
  maxLineBytes?: number;
  /** Honour `::stop-commands::` (default true). */
  stopCommands?: boolean;
}

/**
 * A session of `scrubber` that honours `::add-mask::VALUE` lines in its own
 * input: each value is added to the whole scrubber (every live stream masks
 * it from then on) before any later byte of this input is scrubbed, and the
 * line is dropped. Throws {@link AddMaskError} (fail closed) for an over-long
 * mask line; the session is then unusable, like any failed session.
 */
export function addMaskSession(scrubber: Pick<Scrubber, 'add' | 'session'>, options: AddMaskSessionOptions = {}): ScrubSession {
  const name = options.name ?? 'add-mask';
  const filter = new AddMaskFilter({
    onMask: (value) => {
      const r = scrubber.add(value, { name });
      options.onAdd?.(r, value);
    },
    maxLineBytes: options.maxLineBytes,
    stopCommands: options.stopCommands,
  });
  const session = scrubber.session();
  let failed = false;
  const guard = <T>(f: () => T): T => {
    if (failed) throw new Error('scrub-filter: this add-mask session failed earlier');
    try {
      return f();
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  return {
    write: (chunk) => guard(() => session.write(filter.write(chunk))),
    writeEach: (chunk, emit) => guard(() => session.writeEach(filter.write(chunk), emit)),
    end: () =>
      guard(() => {
        const tail = filter.end();
        const last = tail.length > 0 ? session.write(tail) : EMPTY;
        return concatBytes([last, session.end()].filter((p) => p.length > 0));
      }),
    endEach: (emit) =>
      guard(() => {
        const tail = filter.end();
        if (tail.length > 0) session.writeEach(tail, emit);
        session.endEach(emit);
      }),
    get heldBytes() {
      return session.heldBytes + filter.heldBytes;
    },
  };
}
