/**
 * `--secret-cmd 'COMMAND'`: a credential helper, run with `sh -c` before any
 * input is read, stdin from /dev/null. Its stdout (at most
 * {@link MAX_SOURCE_BYTES}) is the secret(s), read in the chosen format.
 *
 * Its stderr is NOT passed on as it comes: a helper run with `set -x`, or one
 * that echoes what it fetched, would print the secret before we know it. The
 * stderr is collected (bounded) and handed back, so that the caller can
 * scrub it with every secret known so far, this helper's own output
 * included, before it reaches our stderr.
 *
 * The helper is done when `sh` exits; its process tree is then stopped (see
 * src/spawn/tree.ts). Waiting for its pipes to close instead would wait for
 * anything it left in the background holding them (`sleep 7 & echo TOKEN`):
 * a false timeout, and the background process left running.
 */
import { spawn } from 'node:child_process';
import { hasTerminal, stopTree } from '../../spawn/tree.js';
import { formatSeconds, MAX_SOURCE_BYTES, SourceError } from './types.js';

/** How long the helper's leftovers get after `sh` exited before SIGKILL, and how long we wait for its pipes without a group. */
const AFTER_EXIT_MS = 500;

export interface HelperOutput {
  stdout: Uint8Array;
  /** What it printed on stderr (the first MAX_SOURCE_BYTES bytes), not yet scrubbed. */
  stderr: Uint8Array;
  /** Bytes of stderr beyond the bound, dropped. */
  stderrDropped: number;
}

/** The helper failed; what it printed so far comes along, so that its stderr can still be shown scrubbed. */
export class HelperError extends SourceError {
  readonly output: HelperOutput;
  constructor(source: string, reason: string, output: HelperOutput) {
    super(source, reason);
    this.output = output;
  }
}

export function runHelper(command: string, name: string, options: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<HelperOutput> {
  return new Promise((resolve, reject) => {
    if (command.trim() === '') {
      reject(new SourceError(name, 'empty command'));
      return;
    }
    const ownGroup = !hasTerminal();
    const out: Buffer[] = [];
    let outSize = 0;
    const err: Buffer[] = [];
    let errSize = 0;
    let errDropped = 0;
    let settled = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let closed = false;
    let cancelKill: (() => void) | undefined;
    let afterExitTimer: NodeJS.Timeout | undefined;

    const child = spawn('sh', ['-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      detached: ownGroup,
    });
    const output = (): HelperOutput => ({ stdout: Buffer.concat(out, outSize), stderr: Buffer.concat(err, errSize), stderrDropped: errDropped });
    const stop = (): void => {
      if (child.pid === undefined) return;
      cancelKill = stopTree(child.pid, ownGroup, AFTER_EXIT_MS, () => closed && exited !== undefined);
    };
    const finish = (failure?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (afterExitTimer) clearTimeout(afterExitTimer);
      const result = output();
      if (failure !== undefined) {
        if (exited === undefined || !closed) stop();
        child.stdout?.destroy();
        child.stderr?.destroy();
        reject(new HelperError(name, failure, result));
        return;
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(`timed out after ${formatSeconds(options.timeoutMs)}`), options.timeoutMs);

    child.on('error', (e: NodeJS.ErrnoException) => finish(`cannot run sh (${e.code ?? e.message})`));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (settled) return;
      outSize += chunk.length;
      if (outSize > MAX_SOURCE_BYTES) {
        out.length = 0;
        outSize = 0;
        finish(`output larger than ${MAX_SOURCE_BYTES} bytes`);
        return;
      }
      out.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = MAX_SOURCE_BYTES - errSize;
      if (chunk.length > room) {
        errDropped += chunk.length - room;
        chunk = chunk.subarray(0, room);
      }
      if (chunk.length > 0) {
        err.push(chunk);
        errSize += chunk.length;
      }
    });
    for (const s of [child.stdout!, child.stderr!]) s.on('error', () => {});

    const decide = (): void => {
      if (!exited || settled) return;
      const { code, signal } = exited;
      if (signal) finish(`killed by ${signal}`);
      else if (code !== 0) finish(`exited with status ${code}`);
      else finish();
    };
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (closed) return decide();
      // sh is done; whatever it left behind (holding our pipes) is stopped,
      // after which the pipes close and the last output is read.
      stop();
      afterExitTimer = setTimeout(decide, AFTER_EXIT_MS * 2);
    });
    child.on('close', () => {
      closed = true;
      cancelKill?.();
      decide();
    });
  });
}
