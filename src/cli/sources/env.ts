/**
 * `--secret-env NAME|PATTERN` and `--exclude-env NAME|PATTERN`.
 *
 * Values are the exact bytes of the environment. Node's `process.env` has
 * already decoded every value as UTF-8 and replaced invalid bytes with
 * U+FFFD, so a secret with such bytes would be registered as the wrong bytes
 * and silently never match. On Linux `/proc/self/environ` holds the bytes
 * the process was started with (we never change our own environment before
 * reading it); elsewhere `process.env` is used and a value containing U+FFFD
 * is refused, since it may have been altered.
 *
 * Selection fails closed: a named variable that is unset, or a pattern that
 * matches nothing, is an error (the typical mistake is
 * `GH_TOKEN=x make | scrub-filter --secret-env GH_TOKEN`, where the variable
 * is set for `make` only). `allowMissing` turns that into a warning.
 */
import { readFileSync } from 'node:fs';
import { trimBytes } from '../../bytes/index.js';
import { isUtf8 } from './text.js';
import { displayName, SourceError, type SourcedSecret, type SourceWarning } from './types.js';

/** One environment variable: its name (decoded for matching) and exact value bytes. */
export interface EnvEntry {
  name: string;
  value: Uint8Array;
  /** False when the name or value bytes are not valid UTF-8 (a wrapped COMMAND then receives them changed). */
  utf8: boolean;
  /** Only process.env was available and it had already replaced invalid bytes (U+FFFD): the value is not exact. */
  altered?: boolean;
}

/** The environment as exact bytes: from /proc/self/environ when it exists, else from process.env. */
export function readEnvironment(): Map<string, EnvEntry> {
  try {
    return parseEnviron(readFileSync('/proc/self/environ'));
  } catch {
    const env = new Map<string, EnvEntry>();
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined) {
        const altered = value.includes('\ufffd');
        env.set(name, { name, value: Buffer.from(value, 'utf8'), utf8: !altered, altered });
      }
    }
    return env;
  }
}

/** `NAME=value\0NAME=value\0…` (the kernel's format) into entries. The first of duplicate names wins, like getenv(). */
export function parseEnviron(raw: Uint8Array): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let at = 0;
  while (at < buf.length) {
    let end = buf.indexOf(0, at);
    if (end < 0) end = buf.length;
    const eq = buf.indexOf(0x3d, at);
    if (eq > at && eq < end) {
      const nameBytes = buf.subarray(at, eq);
      const value = buf.subarray(eq + 1, end);
      const name = nameBytes.toString('utf8');
      if (!env.has(name)) env.set(name, { name, value, utf8: isUtf8(nameBytes) && isUtf8(value) });
    }
    at = end + 1;
  }
  return env;
}

/** A selector: `NAME` (exact) or a pattern where `*` stands for any run of characters (`AWS_*`, `*_TOKEN`). */
export interface EnvSelector {
  spec: string;
  test(name: string): boolean;
  isPattern: boolean;
}

export function parseSelector(spec: string, option: string): EnvSelector {
  const name = `env:${displayName(spec)}`;
  if (spec === '' || /[=\u0000]/.test(spec)) throw new SourceError(name, `not a valid variable name or pattern (${option})`);
  if (!spec.includes('*')) return { spec, isPattern: false, test: (n) => n === spec };
  if (spec.replace(/\*/g, '') === '') {
    throw new SourceError(name, `a pattern needs some fixed text (${option} '*' would take PATH, HOME, ...)`);
  }
  const re = new RegExp(`^${spec.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return { spec, isPattern: true, test: (n) => re.test(n) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface EnvSourceOptions {
  env: Map<string, EnvEntry>;
  exclude: readonly EnvSelector[];
  allowMissing: boolean;
  warn: (w: SourceWarning) => void;
}

/**
 * The secrets one `--secret-env` selects, sorted by name for patterns.
 * Unset / nothing matching: SourceError (or a warning with allowMissing).
 * An empty value is a warning (there is nothing to mask).
 */
export function readEnvSecrets(spec: string, options: EnvSourceOptions): SourcedSecret[] {
  const sel = parseSelector(spec, '--secret-env');
  const label = `env:${displayName(spec)}`;
  const excluded = (n: string): boolean => options.exclude.some((x) => x.test(n));
  const missing = (message: string): SourcedSecret[] => {
    if (!options.allowMissing) throw new SourceError(label, `${message} (--allow-missing makes this a warning)`);
    options.warn({ name: label, message });
    return [];
  };
  if (!sel.isPattern) {
    if (excluded(spec)) throw new SourceError(label, 'both selected (--secret-env) and excluded (--exclude-env)');
    const entry = options.env.get(spec);
    if (!entry) return missing('not set');
    const s = envSecret(entry, options.warn);
    return s ? [s] : [];
  }
  const names = [...options.env.keys()].filter((n) => sel.test(n)).sort();
  const kept = names.filter((n) => !excluded(n));
  if (kept.length === 0) {
    return missing(names.length === 0 ? 'no variable matches' : `every matching variable is excluded (${names.length})`);
  }
  const out: SourcedSecret[] = [];
  for (const n of kept) {
    const s = envSecret(options.env.get(n)!, options.warn);
    if (s) out.push(s);
  }
  return out;
}

function envSecret(entry: EnvEntry, warn: (w: SourceWarning) => void): SourcedSecret | null {
  const name = `env:${displayName(entry.name)}`;
  const value = trimBytes(entry.value);
  if (value.length === 0) {
    warn({ name, message: entry.value.length === 0 ? 'empty' : 'only whitespace' });
    return null;
  }
  if (entry.altered) {
    // Fail closed: the bytes we have are not the bytes COMMAND prints.
    throw new SourceError(name, 'not valid UTF-8, and this platform gives no access to the exact bytes (no /proc/self/environ)');
  }
  return { name, value };
}
