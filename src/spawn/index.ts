/**
 * Run a command with its stdout and stderr scrubbed: the helper engine
 * authors would otherwise write by hand, and what the CLI's wrap mode is
 * built on.
 *
 *   const proc = spawnScrubbed(scrubber, 'make', { args: ['release'], addMask: true });
 *   const { code, signal } = await proc.result;
 *
 * - Each output stream gets its own session of the one scrubber (a secret
 *   added while it runs, by `scrubber.add()` or an `::add-mask::` line on
 *   either stream, applies to both).
 * - Nothing unscrubbed is ever written: a scrubbing failure stops both
 *   outputs at once and stops the command.
 * - Signals and stops reach the command's whole process tree (its own
 *   process group when there is no terminal; see tree.ts).
 * - When the reader of `stdout` goes away (EPIPE), the rest of the output is
 *   dropped and the command is stopped; `result` says so (`stdoutGone`).
 * - `result` resolves when the command has exited and both outputs are
 *   flushed; it rejects with a {@link SpawnError} when the command could not
 *   be started (`code` is `ENOENT`: not found, `EACCES`: not executable, …).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Scrubber, ScrubSession } from '../api/types.js';
import { addMaskSession, type AddMaskSessionOptions } from '../add-mask/index.js';
import { Pump } from './pump.js';
import { hasTerminal, signalTree, stopTree } from './tree.js';

export { hasTerminal } from './tree.js';

export interface SpawnScrubbedOptions {
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The command's stdin. Default `'inherit'`. */
  stdin?: 'inherit' | 'ignore' | 'pipe';
  /** Where its scrubbed stdout goes. Default `process.stdout`. */
  stdout?: Writable;
  /** Where its scrubbed stderr goes. Default `process.stderr`. */
  stderr?: Writable;
  /** Honour `::add-mask::VALUE` lines on both streams (`true`, or options such as the name). Default false. */
  addMask?: boolean | AddMaskSessionOptions;
  /**
   * Start the command in its own process group (`true`), in ours (`false`),
   * or own group only when there is no terminal (`'auto'`, default: an
   * interactive command keeps the terminal).
   */
  processGroup?: boolean | 'auto';
  /** Milliseconds between SIGTERM and SIGKILL when `stop()` is called. Default 10 000. */
  killGraceMs?: number;
  /** Called at once when scrubbing or writing fails (output has stopped, the command is being stopped). */
  onError?: (err: Error) => void;
}

export interface SpawnResult {
  /** Exit code, or null when it died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The reader of stdout went away; the rest of the output was dropped. */
  stdoutGone: boolean;
  /** The reader of stderr went away. */
  stderrGone: boolean;
  /** Scrubbing or writing failed: output stopped there. */
  error?: Error;
}

export interface ScrubbedProcess {
  readonly child: ChildProcess;
  /** Whether the command leads its own process group. */
  readonly ownGroup: boolean;
  readonly result: Promise<SpawnResult>;
  /** Sends a signal to the command's whole tree. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM to the whole tree, SIGKILL after `killGraceMs` if it is still there. */
  stop(): void;
}

/** The command could not be started. `code` is the system error (ENOENT, EACCES, ENOEXEC, …). */
export class SpawnError extends Error {
  readonly code: string;
  constructor(command: string, code: string) {
    super(`cannot run '${command}': ${describe(code)}`);
    this.name = 'SpawnError';
    this.code = code;
  }
}

function describe(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'command not found';
    case 'EACCES':
      return 'permission denied (not executable?)';
    case 'ENOEXEC':
      return 'not an executable format';
    case 'ENOTDIR':
      return 'not a directory (in path)';
    default:
      return code;
  }
}

const EPIPE_LIKE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

export function spawnScrubbed(scrubber: Scrubber, command: string, options: SpawnScrubbedOptions = {}): ScrubbedProcess {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const graceMs = options.killGraceMs ?? 10_000;
  const pg = options.processGroup ?? 'auto';
  const ownGroup = pg === 'auto' ? !hasTerminal() : pg;
  const child = spawn(command, [...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ?? 'inherit', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  let exited = false;
  let closed = false;
  let cancelKill: (() => void) | undefined;
  const kill = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (child.pid === undefined || closed) return;
    // Also after the first process exited: what it left in its group may still run.
    if (exited && !ownGroup) return;
    signalTree(child.pid, signal, ownGroup);
  };
  const stop = (): void => {
    if (child.pid === undefined || closed || cancelKill) return;
    if (exited && !ownGroup) return;
    cancelKill = stopTree(child.pid, ownGroup, graceMs, () => closed);
  };

  const result = new Promise<SpawnResult>((resolve, reject) => {
    const state: SpawnResult = { code: null, signal: null, stdoutGone: false, stderrGone: false };
    let started = false;
    const makeSession = (): ScrubSession => {
      if (!options.addMask) return scrubber.session();
      return addMaskSession(scrubber, options.addMask === true ? {} : options.addMask);
    };
    const pumps: Pump[] = [];
    const fail = (err: unknown): void => {
      if (state.error) return;
      state.error = err instanceof Error ? err : new Error(String(err));
      for (const p of pumps) p.stop();
      stop();
      options.onError?.(state.error);
    };
    const outputError = (which: 'stdout' | 'stderr', err: NodeJS.ErrnoException): void => {
      const gone = EPIPE_LIKE.has(err.code ?? '');
      if (!gone) return fail(new Error(`writing ${which}: ${err.code ?? err.message}`));
      if (which === 'stdout') {
        if (state.stdoutGone) return;
        state.stdoutGone = true;
        // Keep reading and dropping (see Pump.discard), and ask the command to stop.
        pumps[0]?.discard();
        stop();
      } else {
        if (state.stderrGone) return;
        state.stderrGone = true;
        pumps[1]?.discard();
      }
    };
    const onStdoutError = (err: NodeJS.ErrnoException): void => outputError('stdout', err);
    const onStderrError = (err: NodeJS.ErrnoException): void => outputError('stderr', err);
    stdout.on('error', onStdoutError);
    stderr.on('error', onStderrError);
    const detach = (): void => {
      stdout.off('error', onStdoutError);
      stderr.off('error', onStderrError);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (!started) {
        closed = true;
        detach();
        reject(new SpawnError(command, err.code ?? err.message));
        return;
      }
      fail(new Error(`COMMAND: ${err.message}`));
    });
    child.on('spawn', () => {
      started = true;
      const exitedP = new Promise<void>((res) => {
        child.on('exit', () => {
          exited = true;
        });
        child.on('close', (code, signal) => {
          exited = true;
          closed = true;
          cancelKill?.();
          state.code = code;
          state.signal = signal;
          res();
        });
      });
      const pump = (input: Readable, output: Writable, label: string, which: 'stdout' | 'stderr'): Pump =>
        new Pump({
          input,
          output,
          session: makeSession(),
          label,
          onError: fail,
          onWriteError: (err) => outputError(which, err),
        });
      pumps.push(pump(child.stdout!, stdout, "COMMAND's stdout", 'stdout'), pump(child.stderr!, stderr, "COMMAND's stderr", 'stderr'));
      void Promise.all([exitedP, pumps[0].done, pumps[1].done]).then(() => {
        detach();
        resolve(state);
      });
    });
  });
  return { child, ownGroup, result, kill, stop };
}
