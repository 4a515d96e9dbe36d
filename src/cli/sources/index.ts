/**
 * Secret sources for the command line: environment variables, files and
 * credential-helper commands. Each source yields `{ name, value }` pairs.
 *
 * Rules that every source follows:
 * - A secret is referred to by its `name` (`env:GH_TOKEN`, `file:./key.pem`,
 *   `cmd:vault kv get …`), never by its value. Errors and warnings only ever
 *   contain names.
 * - Surrounding ASCII whitespace of a value is not significant (a token file
 *   usually ends with a newline; a command's output always does). Masking the
 *   trimmed value masks every occurrence of the untrimmed one too.
 * - A source that cannot be read throws a {@link SourceError}; the CLI turns it
 *   into exit status 2 before it reads any input (fail closed).
 */
import { trimBytes } from '../../bytes/index.js';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface SourcedSecret {
  /** How the secret is referred to everywhere (never the value). */
  name: string;
  /** The secret's bytes, surrounding whitespace removed. */
  value: Uint8Array;
}

export interface SourceWarning {
  /** The source's name, e.g. `env:AWS_*` or `env:GH_TOKEN`. */
  name: string;
  /** A short, value-free explanation, e.g. `not set`. */
  message: string;
}

/** A secret source could not be read. `message` is `<name>: <reason>` and never contains a secret value. */
export class SourceError extends Error {
  readonly source: string;
  readonly reason: string;
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'SourceError';
    this.source = source;
    this.reason = reason;
  }
}

/** Largest secret a file or command may provide. Bigger ones are almost certainly a mistake (wrong path, a log file). */
export const MAX_SECRET_BYTES = 1024 * 1024;

/** Default time a `--secret-cmd` may take, in milliseconds. */
export const DEFAULT_CMD_TIMEOUT_MS = 30_000;


/**
 * Makes a name printable on one line: control characters are shown as escapes.
 * Names come from the command line (paths, command text), so they are not secret,
 * but a newline in one must not break the one-line error contract.
 */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}

/** Any name the environment can hold: non-empty, no `=`, no NUL; `*` only as the final prefix marker. */
function validEnvName(name: string): boolean {
  return name !== '' && !/[=\u0000*]/.test(name);
}

/**
 * `--secret-env NAME` or `--secret-env 'PREFIX*'`.
 *
 * - `NAME`: the variable's value; unset or empty (after trimming) is a warning, not an error.
 * - `PREFIX*`: every variable whose name starts with PREFIX, in sorted order; none is a warning.
 *   Empty variables among them are warned about by name.
 *
 * Throws a SourceError for a malformed spec (empty, `*` alone, `*` not at the end, `=`).
 */
export function readEnvSecrets(
  spec: string,
  env: NodeJS.ProcessEnv = process.env,
  warn: (w: SourceWarning) => void = () => {},
): SourcedSecret[] {
  const name = `env:${displayName(spec)}`;
  if (spec.endsWith('*')) {
    const prefix = spec.slice(0, -1);
    if (prefix === '') throw new SourceError(name, 'a prefix is needed before * (taking every variable would mask PATH, HOME, ...)');
    if (!validEnvName(prefix)) throw new SourceError(name, 'not a valid variable name prefix');
    const names = Object.keys(env)
      .filter((k) => k.startsWith(prefix))
      .sort();
    if (names.length === 0) {
      warn({ name, message: 'no variable matches' });
      return [];
    }
    const out: SourcedSecret[] = [];
    for (const k of names) {
      const s = envSecret(k, env, warn);
      if (s) out.push(s);
    }
    return out;
  }
  if (!validEnvName(spec)) throw new SourceError(name, 'not a valid variable name');
  const s = envSecret(spec, env, warn);
  return s ? [s] : [];
}

function envSecret(key: string, env: NodeJS.ProcessEnv, warn: (w: SourceWarning) => void): SourcedSecret | null {
  const name = `env:${displayName(key)}`;
  const raw = env[key];
  if (raw === undefined) {
    warn({ name, message: 'not set' });
    return null;
  }
  const value = trimBytes(Buffer.from(raw, 'utf8'));
  if (value.length === 0) {
    warn({ name, message: raw.length === 0 ? 'empty' : 'only whitespace' });
    return null;
  }
  return { name, value };
}

/**
 * `--secret-file PATH`: the whole file is one secret, surrounding whitespace removed.
 * Missing, unreadable, a directory or larger than {@link MAX_SECRET_BYTES}: SourceError.
 * An empty file yields an empty value (the scrubber then warns and skips it).
 */
export function readFileSecret(path: string): SourcedSecret[] {
  const name = `file:${displayName(path)}`;
  if (path === '') throw new SourceError(name, 'empty path');
  let data: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new SourceError(name, 'is a directory');
    if (st.isFile() && st.size > MAX_SECRET_BYTES) throw new SourceError(name, `larger than ${MAX_SECRET_BYTES} bytes`);
    data = readFileSync(path);
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(name, describeFsError(err));
  }
  if (data.length > MAX_SECRET_BYTES) throw new SourceError(name, `larger than ${MAX_SECRET_BYTES} bytes`);
  return [{ name, value: trimBytes(data) }];
}

function describeFsError(err: unknown): string {
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
    default:
      return code ? `cannot read (${code})` : 'cannot read';
  }
}

export interface CmdSecretOptions {
  /** Milliseconds before the command is killed and the source fails. Default {@link DEFAULT_CMD_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Shell to run the command with. Default `sh`. */
  shell?: string;
  /** Environment for the command. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * `--secret-cmd 'COMMAND'`: runs `sh -c COMMAND` with stdin from /dev/null, its
 * stderr on ours, and takes its stdout (surrounding whitespace removed) as one
 * secret. Non-zero exit, death by a signal, a timeout or more than
 * {@link MAX_SECRET_BYTES} of output: SourceError. The output is never printed.
 */
export function readCmdSecret(command: string, options: CmdSecretOptions = {}): Promise<SourcedSecret[]> {
  const name = `cmd:${displayName(command)}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CMD_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (command.trim() === '') {
      reject(new SourceError(name, 'empty command'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const child = spawn(options.shell ?? 'sh', ['-c', command], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: options.env ?? process.env,
    });
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks.length = 0;
      child.stdout?.destroy();
      const error = new SourceError(name, reason);
      // `sh -c` does not always exec the command: stop the whole tree, or a
      // hung helper would keep running and keep our stderr open.
      const running = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
      if (!running) {
        reject(error);
        return;
      }
      void stopTree(child.pid!).then(() => reject(error));
    };
    const timer = setTimeout(() => fail(`timed out after ${formatSeconds(timeoutMs)}`), timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => fail(`cannot run sh (${err.code ?? err.message})`));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_SECRET_BYTES) {
        fail(`output larger than ${MAX_SECRET_BYTES} bytes`);
        return;
      }
      chunks.push(chunk);
    });
    child.stdout!.on('error', () => {
      /* reported through 'close' / 'error' of the child */
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (signal) {
        fail(`killed by ${signal}`);
        return;
      }
      if (code !== 0) {
        fail(`exited with status ${code}`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      const value = trimBytes(Buffer.concat(chunks, size));
      resolve([{ name, value }]);
    });
  });
}

/**
 * SIGTERM to a process and all its descendants, then SIGKILL to those still
 * there after a short grace. Descendants are found through /proc (Linux) or
 * `ps` (elsewhere); without either, only the process itself is signalled.
 */
async function stopTree(root: number, graceMs = 500): Promise<void> {
  const pids = [root, ...descendantsOf(root)];
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) signal(pid, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function descendantsOf(root: number): number[] {
  const parentOf = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (out.includes(c)) continue;
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** pid → ppid for every process we can see. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        table.set(Number(entry), Number(fields[1]));
      } catch {
        /* exited meanwhile */
      }
    }
    if (table.size > 0) return table;
  } catch {
    /* no /proc: try ps */
  }
  try {
    const ps = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of ps.split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)/.exec(line);
      if (m) table.set(Number(m[1]), Number(m[2]));
    }
  } catch {
    /* neither: only the root is signalled */
  }
  return table;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** One secret source as given on the command line, in order. */
export type SourceSpec =
  | { kind: 'env'; spec: string }
  | { kind: 'file'; path: string }
  | { kind: 'cmd'; command: string };

export interface ReadSourcesOptions extends CmdSecretOptions {
  warn?: (w: SourceWarning) => void;
}

/**
 * Reads every source in order (commands one after another, so prompts of
 * credential helpers do not interleave). The first failure rejects with its
 * SourceError and no later command is run.
 */
export async function readSources(specs: readonly SourceSpec[], options: ReadSourcesOptions = {}): Promise<SourcedSecret[]> {
  const out: SourcedSecret[] = [];
  for (const s of specs) {
    switch (s.kind) {
      case 'env':
        out.push(...readEnvSecrets(s.spec, options.env ?? process.env, options.warn));
        break;
      case 'file':
        out.push(...readFileSecret(s.path));
        break;
      case 'cmd':
        out.push(...(await readCmdSecret(s.command, options)));
        break;
    }
  }
  return out;
}
