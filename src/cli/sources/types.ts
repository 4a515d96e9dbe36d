/**
 * What every secret source shares: the result shape, warnings, the error
 * type, and how names are printed. A secret is only ever referred to by its
 * name (`env:GH_TOKEN`, `file:key.pem`, `env-file:.env:DB_PASS`); no message
 * built here contains a value.
 */

export interface SourcedSecret {
  /** How the secret is referred to everywhere (never the value). */
  name: string;
  /** The secret's bytes, surrounding whitespace removed. */
  value: Uint8Array;
}

export interface SourceWarning {
  /** The source's name, e.g. `env:AWS_*` or `env:GH_TOKEN`. */
  name: string;
  /** A short, value-free explanation, e.g. `empty`. */
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

/** Largest secret source (file, document, helper output). Bigger is almost certainly a mistake (wrong path, a log file, /dev/zero). */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** Default time one source (a helper command, a FIFO) may take, in milliseconds. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 30_000;

/**
 * Makes a name printable on one line: control characters are shown as escapes.
 * Names come from the command line (paths, command text) or from key names, so
 * they are not secret, but a newline in one must not break the one-line
 * error contract.
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

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
