/**
 * Helpers for the CLI integration tests: they run the BUILT command
 * (`node dist/cli/main.js`), as a user of the installed package would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const NODE = process.execPath;

export function requireBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
}

export interface RunOptions {
  /** Bytes for stdin; stdin is closed after. Omit for an empty stdin. */
  input?: string | Uint8Array;
  /** Extra environment (merged over process.env). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the command after this many ms (test failure). Default 15 s. */
  timeoutMs?: number;
  /** Extra node flags before the script (e.g. --import). */
  nodeArgs?: string[];
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

export function startCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  requireBuilt();
  return spawn(NODE, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects everything a started command prints, until it exits. */
export function collect(child: ChildProcess, timeoutMs = 15_000): Promise<RunResult> {
  const t0 = Date.now();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`command did not finish in ${timeoutMs} ms; stderr so far: ${Buffer.concat(err).toString()}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
    });
  });
}

export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const child = startCli(args, options);
  const done = collect(child, options.timeoutMs);
  child.stdin!.on('error', () => {}); // the command may exit without reading (fail closed)
  child.stdin!.end(options.input ?? '');
  return done;
}

/** Runs a shell command line (for pipelines such as `... | head -1`). `$BIN` and `$NODE` are set. */
export function runShell(script: string, options: RunOptions = {}): Promise<RunResult> {
  requireBuilt();
  const child = spawn('bash', ['-c', script], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, BIN, NODE, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = collect(child, options.timeoutMs);
  child.stdin!.on('error', () => {});
  child.stdin!.end(options.input ?? '');
  return done;
}

/** Asserts that none of the secret values appears in `text` (stderr, messages, stats). */
export function expectNoSecrets(text: string | Uint8Array, secrets: readonly string[]): void {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  for (const secret of secrets) {
    expect(s.includes(secret), `a secret value leaked into: ${JSON.stringify(s.slice(0, 400))}`).toBe(false);
  }
}

/** Lines of stderr that are ours (start with `scrub-filter:`). */
export function ourLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('scrub-filter:'));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves when `text` has appeared on the stream (accumulated), with the time it took. */
export function waitFor(stream: NodeJS.ReadableStream, text: string, timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`'${text}' did not appear in ${timeoutMs} ms (saw ${JSON.stringify(seen.slice(-200))})`));
    }, timeoutMs);
    const onData = (c: Buffer): void => {
      seen += c.toString('latin1');
      if (seen.includes(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(Date.now() - t0);
      }
    };
    stream.on('data', onData);
  });
}

/** Obviously fake secrets, unique per call. */
let counter = 0;
export function fakeSecret(label = 'tok'): string {
  counter++;
  return `FAKE-${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Pids of live (non-zombie) processes whose command line contains `needle` (Linux /proc). */
export function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      if (cmd.includes(needle) && Number(entry) !== process.pid) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Waits until no process has `needle` in its command line; returns the pids still there after `timeoutMs`. */
export async function gone(needle: string, timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesWith(needle);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50);
    left = processesWith(needle);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL'); // do not leave them behind for the next test
    } catch {
      /* gone */
    }
  }
  return left;
}
