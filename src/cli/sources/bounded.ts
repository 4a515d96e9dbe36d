/**
 * Reading a secret file with a size bound and a time bound.
 *
 * A secret path can be anything: a regular file, `/dev/zero`, a FIFO nobody
 * writes to, a process substitution (`<(vault read ...)`). Two rules keep the
 * command from hanging or filling memory before it has read any input:
 *
 * - never more than `maxBytes + 1` bytes are read (the extra byte proves
 *   "too large" without reading the rest);
 * - the file is opened with O_NONBLOCK and read with non-blocking reads,
 *   polled until the deadline. A blocking open() of a writer-less FIFO would
 *   park a libuv thread that even process.exit() waits for: the command
 *   could not even fail.
 *
 * A FIFO or socket that reports end-of-file before any byte arrived is
 * treated as "no writer yet" and polled until the deadline, since a writer
 * that connects a moment later is the normal case for process substitution.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { SourceError, formatSeconds } from './types.js';

export interface BoundedReadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Milliseconds between polls of a source that has no data yet. */
  pollMs?: number;
}

/** Reads the whole of `path` (at most `maxBytes`), or throws a SourceError named `name`. */
export async function readBounded(path: string, name: string, options: BoundedReadOptions): Promise<Uint8Array> {
  const { maxBytes, timeoutMs } = options;
  const pollMs = options.pollMs ?? 20;
  if (path === '') throw new SourceError(name, 'empty path');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    throw new SourceError(name, describeFsError(err));
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new SourceError(name, 'is a directory');
    if (st.isFile() && st.size > maxBytes) throw new SourceError(name, `larger than ${maxBytes} bytes`);
    const streamLike = st.isFIFO() || st.isSocket();
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, length, buf.length - length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw new SourceError(name, describeFsError(err));
        n = -1; // nothing available yet
      }
      if (n > 0) {
        length += n;
        if (length > maxBytes) throw new SourceError(name, `larger than ${maxBytes} bytes`);
        continue;
      }
      if (n === 0 && !(streamLike && length === 0)) break;
      if (Date.now() >= deadline) {
        throw new SourceError(
          name,
          length === 0
            ? `nothing to read within ${formatSeconds(timeoutMs)} (a FIFO without a writer?)`
            : `not finished within ${formatSeconds(timeoutMs)}`,
        );
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory (in path)';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'name too long';
    case 'ENXIO':
      return 'no such device or address';
    default:
      return code ? `cannot read (${code})` : 'cannot read';
  }
}
