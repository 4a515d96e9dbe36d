/**
 * The `scrub-filter` command: pipe mode (stdin → stdout) and wrap mode
 * (`-- COMMAND`: its stdout → ours, its stderr → ours, one shared scrubber).
 *
 * Order of events, which is what makes it fail closed:
 *   1. parse arguments (usage error → exit 2);
 *   2. read every secret source (error → exit 2; nothing read, nothing run);
 *   3. only then read stdin / start COMMAND.
 * At run time any scrubbing error stops all output at once (exit 70): bytes
 * that were not scrubbed are never written. Our own messages (warnings, stats,
 * errors) only ever name secrets, and are themselves passed through the
 * scrubber as a last line of defence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import { createScrubber, DETECTORS, type DetectorName } from '../index.js';
import type { Scrubber, ScrubWarning } from '../api/types.js';
import { readSources, SourceError, type SourceWarning } from './sources/index.js';
import { AddMaskFilter } from '../add-mask/index.js';
import { parseCliArgs, UsageError, USAGE, type CliOptions } from './args.js';
import { Pump } from './pump.js';

const PROG = 'scrub-filter';

/** Exit statuses (also listed in --help). */
export const EXIT = {
  ok: 0,
  usage: 2,
  runtime: 70,
  cannotRun: 127,
  pipe: 141, // 128 + SIGPIPE, what a classic filter reports when its reader goes away
} as const;

/** Grace period between SIGTERM and SIGKILL when we stop the child ourselves. */
const KILL_GRACE_MS = 10_000;

/** --stats lists every name up to this many; above, only names that masked something. */
const STATS_LIST_ALL = 20;

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

class Cli {
  private scrubber: Scrubber | undefined;
  private readonly warned = new Set<string>();
  /** Names of registered secrets, in registration order. */
  private readonly names = new Set<string>();
  private exiting = false;
  private stdoutGone = false;
  private stderrGone = false;
  private onStdoutGone: (() => void) | undefined;
  private onRuntimeFailure: (() => void) | undefined;

  constructor() {
    // Without listeners an EPIPE would be thrown as an uncaught exception (a stack trace).
    process.stdout.on('error', (err: NodeJS.ErrnoException) => this.outputError('stdout', err));
    process.stderr.on('error', (err: NodeJS.ErrnoException) => this.outputError('stderr', err));
    process.on('uncaughtException', (err) => this.fail(err));
    process.on('unhandledRejection', (err) => this.fail(err));
  }

  /** One line on stderr, prefixed, scrubbed with every secret known so far. */
  say(message: string): void {
    if (this.stderrGone) return;
    let line = `${PROG}: ${message.replace(/\r?\n/g, ' ')}`;
    try {
      if (this.scrubber) line = this.scrubber.scrub(line);
    } catch {
      line = `${PROG}: (message withheld: scrubbing it failed)`;
    }
    process.stderr.write(`${line}\n`);
  }

  warn(w: SourceWarning | ScrubWarning): void {
    const text = 'code' in w ? w.message : `${w.name}: ${w.message}`;
    if (this.warned.has(text)) return;
    this.warned.add(text);
    this.say(`warning: ${text}`);
  }

  async run(argv: readonly string[]): Promise<void> {
    let parsed;
    try {
      parsed = parseCliArgs(argv);
    } catch (err) {
      if (err instanceof UsageError) {
        this.say(`${err.message} (see ${PROG} --help)`);
        return this.exit(EXIT.usage);
      }
      throw err;
    }
    if (parsed.action === 'help') {
      process.stdout.write(USAGE);
      return this.exit(EXIT.ok);
    }
    if (parsed.action === 'version') {
      process.stdout.write(`${PROG} ${readVersion()}\n`);
      return this.exit(EXIT.ok);
    }
    if (parsed.action === 'list-detectors') {
      process.stdout.write(DETECTORS.map((d) => `${d.name.padEnd(14)} ${d.description}\n`).join(''));
      return this.exit(EXIT.ok);
    }
    const options = parsed.options;

    let scrubber: Scrubber;
    try {
      scrubber = createScrubber({
        mask: options.mask,
        minLength: options.minLength,
        variants: options.variants,
        detect: options.detect as boolean | DetectorName[],
        onWarning: (w) => this.warn(w),
      });
    } catch (err) {
      this.say(`invalid options: ${(err as Error).message}`);
      return this.exit(EXIT.usage);
    }
    this.scrubber = scrubber;

    try {
      const secrets = await readSources(options.sources, {
        timeoutMs: options.cmdTimeoutMs,
        warn: (w) => this.warn(w),
      });
      for (const s of secrets) {
        const r = scrubber.add(s.value, { name: s.name });
        if (r.registered) this.names.add(s.name);
      }
    } catch (err) {
      if (err instanceof SourceError) {
        this.say(err.message);
      } else {
        this.say(`reading secrets failed: ${(err as Error).message}`);
      }
      return this.exit(EXIT.usage);
    }
    if (options.sources.length === 0 && !options.addMask) {
      this.say('warning: no secrets given (--secret-env, --secret-file, --secret-cmd or --add-mask): nothing will be masked');
    }

    if (options.command) return this.wrap(options, options.command, scrubber);
    return this.pipe(options, scrubber);
  }

  private makeFilter(options: CliOptions, scrubber: Scrubber): AddMaskFilter | undefined {
    if (!options.addMask) return undefined;
    return new AddMaskFilter({
      onMask: (value) => {
        const r = scrubber.add(value, { name: 'add-mask' });
        if (r.registered) this.names.add('add-mask');
      },
    });
  }

  private pipe(options: CliOptions, scrubber: Scrubber): void {
    const pump = new Pump({
      input: process.stdin,
      output: process.stdout,
      session: scrubber.session(),
      filter: this.makeFilter(options, scrubber),
      label: 'stdin',
      onError: (err) => this.fail(err),
    });
    this.onStdoutGone = () => {
      pump.stop();
      void this.exit(EXIT.pipe);
    };
    this.onRuntimeFailure = () => pump.stop();
    void pump.done.then(() => {
      if (this.stdoutGone) return;
      void this.exit(EXIT.ok, options.stats);
    });
  }

  private wrap(options: CliOptions, command: string[], scrubber: Scrubber): void {
    let child: ChildProcess | undefined;
    let childExited = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stopChild = (): void => {
      if (!child || childExited) return;
      child.kill('SIGTERM');
      if (!killTimer) {
        killTimer = setTimeout(() => {
          if (child && !childExited) child.kill('SIGKILL');
        }, KILL_GRACE_MS);
      }
    };

    // A terminal sends Ctrl-C (SIGINT) and hangup (SIGHUP) to the whole
    // foreground process group, and COMMAND is in ours: forwarding those too
    // would deliver them twice (a second Ctrl-C means "force quit" to many
    // tools). So when we run under a terminal, only SIGTERM is forwarded;
    // without one (CI, a supervisor, a container without -t), all three are.
    const onTerminal = hasTerminal();
    const forward = (signal: NodeJS.Signals): void => {
      if (onTerminal && signal !== 'SIGTERM') return;
      if (child && !childExited) child.kill(signal);
    };
    for (const sig of FORWARDED_SIGNALS) process.on(sig, forward);

    try {
      child = spawn(command[0], command.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    } catch (err) {
      this.say(`cannot run '${command[0]}': ${describeSpawnError(err)}`);
      void this.exit(EXIT.cannotRun);
      return;
    }
    const c = child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      c.on('exit', () => {
        childExited = true;
      });
      c.on('close', (code, signal) => {
        childExited = true;
        if (killTimer) clearTimeout(killTimer);
        resolve({ code, signal });
      });
    });

    c.on('error', (err) => {
      if (c.pid === undefined) {
        // It never started: nothing was read or written.
        childExited = true;
        this.say(`cannot run '${command[0]}': ${describeSpawnError(err)}`);
        void this.exit(EXIT.cannotRun);
      } else {
        this.fail(new Error(`COMMAND: ${(err as Error).message}`));
      }
    });

    c.on('spawn', () => {
      const filter = () => this.makeFilter(options, scrubber);
      const out = new Pump({
        input: c.stdout!,
        output: process.stdout,
        session: scrubber.session(),
        filter: filter(),
        label: "COMMAND's stdout",
        onError: (err) => this.fail(err),
      });
      const errPump = new Pump({
        input: c.stderr!,
        output: process.stderr,
        session: scrubber.session(),
        filter: filter(),
        label: "COMMAND's stderr",
        onError: (err) => this.fail(err),
      });
      this.onStdoutGone = () => {
        // The reader went away: stop writing, drop the rest and ask the child to stop.
        out.discard();
        stopChild();
      };
      this.onStderrGone = () => errPump.discard();
      this.onRuntimeFailure = () => {
        out.stop();
        errPump.stop();
        stopChild();
      };
      void Promise.all([exited, out.done, errPump.done]).then(([{ code, signal }]) => {
        // The forwarding handlers stay: a signal during the final flush must not kill us.
        let status: number;
        if (this.stdoutGone) status = EXIT.pipe;
        else if (signal) status = 128 + (osConstants.signals[signal] ?? 0);
        else status = code ?? EXIT.runtime;
        void this.exit(status, options.stats);
      });
    });
  }

  private onStderrGone: (() => void) | undefined;

  private outputError(which: 'stdout' | 'stderr', err: NodeJS.ErrnoException): void {
    if (which === 'stderr') {
      if (this.stderrGone) return;
      this.stderrGone = true;
      this.onStderrGone?.();
      return;
    }
    if (this.stdoutGone) return;
    this.stdoutGone = true;
    if (err.code === 'EPIPE' || err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_DESTROYED') {
      if (this.onStdoutGone) this.onStdoutGone();
      else void this.exit(EXIT.pipe);
      return;
    }
    this.fail(new Error(`writing stdout: ${err.code ?? err.message}`));
  }

  /** Runtime failure: stop all output now, say why (by name only), exit 70. */
  fail(err: unknown): void {
    if (this.exiting) return;
    try {
      this.onRuntimeFailure?.();
    } catch {
      /* stopping is best effort; we exit below either way */
    }
    const message = err instanceof Error ? err.message : String(err);
    this.say(`${message.replace(/^scrub-filter: /, '')} (output stopped)`);
    void this.exit(EXIT.runtime);
  }

  private printStats(): void {
    const scrubber = this.scrubber;
    if (!scrubber) return;
    const masked = scrubber.stats().masked;
    const names = [...new Set([...this.names, ...Object.keys(masked)])];
    let total = 0;
    for (const n of names) total += masked[n] ?? 0;
    this.say(`stats: ${names.length} secret name${names.length === 1 ? '' : 's'}, ${total} masked`);
    // Every name when there are few; with many, only those that masked something.
    const zero = names.filter((n) => !masked[n]);
    const listAll = names.length <= STATS_LIST_ALL;
    for (const n of names) if (listAll || masked[n]) this.say(`stats: ${n}: ${masked[n] ?? 0} masked`);
    if (!listAll && zero.length > 0) this.say(`stats: ${zero.length} other names: 0 masked`);
    for (const [d, n] of Object.entries(scrubber.stats().detected)) this.say(`stats: detected ${d}: ${n}`);
  }

  /** Flushes stdout and stderr, then exits. Only the first call counts. */
  async exit(code: number, stats = false): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    if (stats) this.printStats();
    await Promise.all([flushed(process.stdout, this.stdoutGone), flushed(process.stderr, this.stderrGone)]);
    process.exit(code);
  }
}

/** Whether we run under a terminal (a controlling one, or a terminal on stdin/stdout/stderr). */
function hasTerminal(): boolean {
  if (isatty(0) || isatty(1) || isatty(2)) return true;
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

function flushed(stream: Writable, gone: boolean): Promise<void> {
  if (gone || stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write(new Uint8Array(0), () => resolve());
  });
}

function describeSpawnError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'command not found';
    case 'EACCES':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory (in path)';
    default:
      return code ?? (err as Error)?.message ?? 'unknown error';
  }
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs the command with `argv` (without `node` and the script); exits the process when done. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const cli = new Cli();
  cli.run(argv).catch((err) => cli.fail(err));
}
