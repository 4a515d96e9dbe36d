/**
 * The `scrub-filter` command: pipe mode (stdin → stdout) and wrap mode
 * (`-- COMMAND`, built on src/spawn: its stdout → ours, its stderr → ours,
 * one shared scrubber).
 *
 * Order of events, which is what makes it fail closed:
 *   1. parse arguments (usage error → exit 2);
 *   2. read every secret source (error, an unset variable, or with --strict
 *      any warning → exit 2; nothing read, nothing run);
 *   3. only then read stdin / start COMMAND.
 * At run time any scrubbing or write error stops all output at once (exit
 * 70): bytes that were not scrubbed are never written. Our own messages
 * (warnings, stats, errors) only ever name secrets, and are themselves
 * passed through the scrubber as a last line of defence.
 */
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import { createScrubber, DETECTORS } from '../index.js';
import type { AddResult, Scrubber, ScrubSession, ScrubWarning } from '../api/types.js';
import { addMaskSession } from '../add-mask/index.js';
import { Pump } from '../spawn/pump.js';
import { spawnScrubbed, SpawnError, type SpawnResult } from '../spawn/index.js';
import { readEnvironment, readSources, SourceError, type SourceWarning } from './sources/index.js';
import type { HelperOutput } from './sources/cmd.js';
import { isUtf8 } from './sources/text.js';
import { parseCliArgs, UsageError, USAGE, type CliOptions } from './args.js';

const PROG = 'scrub-filter';

/** Exit statuses (also listed in --help). */
export const EXIT = {
  ok: 0,
  usage: 2,
  runtime: 70,
  notExecutable: 126,
  notFound: 127,
  pipe: 141, // 128 + SIGPIPE, what a classic filter reports when its reader goes away
} as const;

/** Grace period between SIGTERM and SIGKILL when we stop the child ourselves. */
const KILL_GRACE_MS = 10_000;

/** --stats lists every name up to this many; above, only names that masked something. */
const STATS_LIST_ALL = 20;

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const EPIPE_LIKE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

class Cli {
  private scrubber: Scrubber | undefined;
  private maskBytes: Uint8Array = Buffer.from('***');
  private readonly warned = new Set<string>();
  /** Names of registered secrets, in registration order. */
  private readonly names = new Set<string>();
  private strict = false;
  /** Warnings off (registering a failed helper's output only to scrub its stderr). */
  private quiet = false;
  /** A warning was printed while --strict: exit 2 once the sources are read. */
  private strictViolated = false;
  private running = false;
  private exiting = false;
  /** The reader of stdout / stderr went away (EPIPE). */
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
    let line = `${PROG}: ${message.replace(/\r?\n/g, ' ')}`;
    try {
      if (this.scrubber) line = this.scrubber.scrub(line);
    } catch {
      line = `${PROG}: (message withheld: scrubbing it failed)`;
    }
    this.writeErr(`${line}\n`);
  }

  private writeErr(text: string | Uint8Array): void {
    if (this.stderrGone || process.stderr.destroyed) return;
    process.stderr.write(text);
  }

  warn(w: SourceWarning | ScrubWarning): void {
    if (this.quiet) return;
    const text = 'code' in w ? w.message : `${w.name}: ${w.message}`;
    if (this.warned.has(text)) return;
    this.warned.add(text);
    if (this.strict) {
      this.say(`error: ${text} (--strict)`);
      if (this.running) this.fail(new Error(`${text} (--strict)`));
      else this.strictViolated = true;
      return;
    }
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
    if (parsed.action === 'help') return this.print(USAGE);
    if (parsed.action === 'version') return this.print(`${PROG} ${readVersion()}\n`);
    if (parsed.action === 'list-detectors') return this.print(DETECTORS.map((d) => `${d.name.padEnd(14)} ${d.description}\n`).join(''));
    const options = parsed.options;
    this.strict = options.strict;

    if (options.mask === '') {
      // abc + [abcdef] + def with an empty mask prints abcdef: the secret, re-formed.
      this.say(`--mask: an empty mask joins the text around a secret and can re-form it (see ${PROG} --help)`);
      return this.exit(EXIT.usage);
    }
    let scrubber: Scrubber;
    try {
      scrubber = createScrubber({
        mask: options.mask,
        minLength: options.minLength,
        variants: options.variants,
        detect: options.detect,
        onWarning: (w) => this.warn(w),
      });
    } catch (err) {
      this.say(`invalid options: ${(err as Error).message}`);
      return this.exit(EXIT.usage);
    }
    this.scrubber = scrubber;
    if (options.mask !== undefined) this.maskBytes = Buffer.from(options.mask, 'utf8');

    try {
      await readSources(options.sources, {
        timeoutMs: options.timeoutMs,
        excludeEnv: options.excludeEnv,
        allowMissing: options.allowMissing,
        warn: (w) => this.warn(w),
        onSecret: (s) => {
          const r = scrubber.add(s.value, { name: s.name });
          this.registered(r, s.value);
        },
        helperStderr: (name, output, failed) => this.helperStderr(name, output, failed),
      });
    } catch (err) {
      if (err instanceof SourceError) this.say(err.message);
      else this.say(`reading secrets failed: ${(err as Error).message}`);
      return this.exit(EXIT.usage);
    }
    if (options.sources.length === 0 && !options.addMask) {
      const what = options.detect === false ? 'nothing will be masked' : 'only detected secrets (keys, tokens, URL passwords) will be masked';
      this.warn({ name: 'no secrets given', message: `${what} (use --secret-env, --secret-file, --secret-cmd, ... or --add-mask)` });
    }
    if (this.strictViolated) return this.exit(EXIT.usage);
    this.running = true;

    if (options.command) return this.wrap(options, options.command, scrubber);
    return this.pipe(options, scrubber);
  }

  /**
   * A secret was registered: the mask must not be able to show it. A mask
   * that contains the secret prints it with every mask (refused: exit 2, or
   * output stops at run time); a secret that contains the mask can re-form
   * from masked output (`x***y` from `xx***yy`): a warning.
   */
  private registered(r: AddResult, value: Uint8Array): void {
    if (!r.registered) return;
    this.names.add(r.name);
    const mask = Buffer.from(this.maskBytes);
    const v = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (v.length > 0 && mask.includes(v)) {
      const reason = `${r.name}: the mask text contains this secret, so every mask would show it (choose another --mask)`;
      if (this.running) this.fail(new Error(reason));
      else throw new SourceError(r.name, 'the mask text contains this secret, so every mask would show it (choose another --mask)');
      return;
    }
    if (mask.length > 0 && v.includes(mask)) {
      this.warn({ name: r.name, message: 'contains the mask text: masked output around it can re-form the secret (choose another --mask)' });
    }
  }

  /** A helper's stderr, scrubbed with every secret known now (its own output included), then shown. */
  private helperStderr(name: string, output: HelperOutput, failed: boolean): void {
    const scrubber = this.scrubber;
    if (output.stderr.length > 0 && scrubber) {
      if (failed) {
        // Its output was not registered (it failed), yet it may be the secret. We exit 2
        // right after this, so adding it (without warnings about it) costs nothing.
        this.quiet = true;
        try {
          scrubber.add(output.stdout, { name });
        } finally {
          this.quiet = false;
        }
      }
      let text: Uint8Array;
      try {
        text = scrubber.scrub(output.stderr);
      } catch {
        this.say(`${name}: its stderr was withheld (scrubbing it failed)`);
        return;
      }
      this.writeErr(text);
      if (text[text.length - 1] !== 0x0a) this.writeErr('\n');
    }
    if (output.stderrDropped > 0) this.say(`${name}: ${output.stderrDropped} more bytes of its stderr were dropped`);
  }

  private session(options: CliOptions, scrubber: Scrubber): ScrubSession {
    if (!options.addMask) return scrubber.session();
    return addMaskSession(scrubber, { onAdd: (r, v) => this.registered(r, v) });
  }

  private pipe(options: CliOptions, scrubber: Scrubber): void {
    if (isatty(0)) {
      this.say(`reading stdin from the terminal (end with Ctrl-D); to run a command: ${PROG} [options] -- COMMAND`);
    }
    const pump = new Pump({
      input: process.stdin,
      output: process.stdout,
      session: this.session(options, scrubber),
      label: 'stdin',
      onError: (err) => this.fail(err),
      onWriteError: (err) => this.outputError('stdout', err),
    });
    this.onStdoutGone = () => {
      pump.stop();
      void this.exit(EXIT.pipe);
    };
    this.onRuntimeFailure = () => pump.stop();
    void pump.done.then(() => {
      if (this.stdoutGone) return;
      void this.exit(EXIT.ok, options);
    });
  }

  private wrap(options: CliOptions, command: string[], scrubber: Scrubber): void {
    this.warnNonUtf8(command);
    let proc;
    try {
      proc = spawnScrubbed(scrubber, command[0], {
        args: command.slice(1),
        addMask: options.addMask ? { onAdd: (r, v) => this.registered(r, v) } : false,
        killGraceMs: KILL_GRACE_MS,
        onError: (err) => this.fail(err),
      });
    } catch (err) {
      this.say(`cannot run '${command[0]}': ${(err as Error).message}`);
      return void this.exit(EXIT.notFound);
    }
    const p = proc;
    // With a terminal, Ctrl-C and hangup already reach COMMAND's whole group
    // (it is ours): forwarding them too would deliver them twice (a second
    // Ctrl-C means "force quit" to many tools). Without one COMMAND leads its
    // own group and gets all three, group-wide.
    const forward = (signal: NodeJS.Signals): void => {
      if (!p.ownGroup && signal !== 'SIGTERM') return;
      p.kill(signal);
    };
    for (const sig of FORWARDED_SIGNALS) process.on(sig, forward);
    this.onRuntimeFailure = () => p.stop();
    p.result.then(
      (r: SpawnResult) => {
        // The forwarding handlers stay until exit: a signal during the final flush must not kill us.
        if (r.error) return; // onError has failed already
        if (r.stdoutGone) return void this.exit(EXIT.pipe);
        if (r.signal) return void this.exit(128 + (osConstants.signals[r.signal] ?? 0), options, r.signal);
        void this.exit(r.code ?? EXIT.runtime, options);
      },
      (err: unknown) => {
        if (err instanceof SpawnError) {
          this.say(err.message);
          return void this.exit(err.code === 'ENOENT' ? EXIT.notFound : EXIT.notExecutable);
        }
        this.fail(err);
      },
    );
  }

  /** Node hands COMMAND strings: bytes that are not UTF-8 in our argv or environment reach it as U+FFFD. Say so once. */
  private warnNonUtf8(command: string[]): void {
    let raw: Buffer;
    try {
      raw = readFileSync('/proc/self/cmdline');
    } catch {
      return;
    }
    const args = raw.toString('latin1').split('\0').slice(0, -1).map((a) => Buffer.from(a, 'latin1'));
    const cmdArgs = args.slice(args.length - command.length);
    const changed: string[] = [];
    if (cmdArgs.some((a) => !isUtf8(a))) changed.push("COMMAND's arguments");
    const env = [...readEnvironment().values()].filter((e) => !e.utf8).map((e) => e.name);
    if (env.length > 0) changed.push(`environment variable${env.length === 1 ? '' : 's'} ${env.slice(0, 5).join(', ')}${env.length > 5 ? ', ...' : ''}`);
    if (changed.length > 0) {
      this.warn({ name: 'not UTF-8', message: `${changed.join(' and ')} contain bytes that are not valid UTF-8: COMMAND receives them changed (as U+FFFD)` });
    }
  }

  private outputError(which: 'stdout' | 'stderr', err: NodeJS.ErrnoException): void {
    const gone = EPIPE_LIKE.has(err.code ?? '');
    if (which === 'stderr') {
      if (this.stderrGone) return;
      this.stderrGone = true;
      // A stderr that cannot be written is not a success either: say so (it may not arrive) and stop.
      if (!gone) this.fail(new Error(`writing stderr: ${err.code ?? err.message}`));
      return;
    }
    if (this.stdoutGone) return;
    this.stdoutGone = true;
    if (gone) {
      if (this.onStdoutGone) this.onStdoutGone();
      else if (!this.running) void this.exit(EXIT.pipe);
      return;
    }
    this.fail(new Error(`writing stdout: ${err.code ?? err.message}`));
  }

  /** --help / --version: exit 0 only once the text is written (into /dev/full it is not). */
  private print(text: string): void {
    process.stdout.write(text, (err) => {
      if (err) {
        this.stdoutGone = true;
        this.say(`writing stdout: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
        void this.exit(EPIPE_LIKE.has((err as NodeJS.ErrnoException).code ?? '') ? EXIT.pipe : EXIT.runtime);
        return;
      }
      void this.exit(EXIT.ok);
    });
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

  private printStats(format: 'text' | 'json'): void {
    const scrubber = this.scrubber;
    if (!scrubber) return;
    const masked = scrubber.stats().masked;
    const names = [...new Set([...this.names, ...Object.keys(masked)])];
    let total = 0;
    for (const n of names) total += masked[n] ?? 0;
    if (format === 'json') {
      const perName: Record<string, number> = {};
      for (const n of names) perName[n] = masked[n] ?? 0;
      // detected: detections per detector (counts only, never values), as in the text format.
      let line = JSON.stringify({ secrets: names.length, masked: total, names: perName, detected: scrubber.stats().detected });
      try {
        line = scrubber.scrub(line);
      } catch {
        return;
      }
      this.writeErr(`${line}\n`);
      return;
    }
    this.say(`stats: ${names.length} secret name${names.length === 1 ? '' : 's'}, ${total} masked`);
    for (const [d, n] of Object.entries(scrubber.stats().detected)) this.say(`stats: detected ${d}: ${n}`);
    // Every name when there are few; with many, only those that masked something.
    const zero = names.filter((n) => !masked[n]);
    const listAll = names.length <= STATS_LIST_ALL;
    for (const n of names) if (listAll || masked[n]) this.say(`stats: ${n}: ${masked[n] ?? 0} masked`);
    if (!listAll && zero.length > 0) this.say(`stats: ${zero.length} other names: 0 masked`);
  }

  /**
   * Flushes stdout and stderr, then exits with `code`, or dies of `signal`
   * (COMMAND died of it: a shell loop around us must see the same). Only the
   * first call counts.
   */
  async exit(code: number, options?: CliOptions, signal?: NodeJS.Signals): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    if (options && options.stats !== 'off') this.printStats(options.stats);
    await Promise.all([flushed(process.stdout, this.stdoutGone), flushed(process.stderr, this.stderrGone)]);
    // An EPIPE reported only during the final flush still means the reader left early.
    if (code === EXIT.ok && (this.stdoutGone || this.stderrGone)) code = EXIT.pipe;
    if (signal) {
      reraise(signal);
      await new Promise((r) => setTimeout(r, 500)); // delivery is immediate; this is only the fallback
    }
    process.exit(code);
  }
}

/**
 * Restores the default action of `signal` and sends it to ourselves. Node
 * starts with SIGPIPE ignored; adding and removing a listener resets it to
 * the default. If we are still alive a moment later (a signal whose default
 * is not to terminate), the caller exits with 128+N.
 */
function reraise(signal: NodeJS.Signals): void {
  try {
    process.removeAllListeners(signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGSTOP') {
      const noop = (): void => {};
      process.on(signal, noop);
      process.off(signal, noop);
    }
    process.kill(process.pid, signal);
  } catch {
    /* fall back to 128+N */
  }
}

function flushed(stream: Writable, gone: boolean): Promise<void> {
  if (gone || stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write(new Uint8Array(0), () => resolve());
  });
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
