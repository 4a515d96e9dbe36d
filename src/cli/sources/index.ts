/**
 * Secret sources for the command line, read in command-line order before
 * any input is read. One module per source:
 *
 * - env.ts       `--secret-env NAME|PATTERN`, `--exclude-env` (exact environment bytes)
 * - file.ts      `--secret-file`, `--secret-env-file` (dotenv), `--secret-json`
 * - cmd.ts       `--secret-cmd` with `--secret-cmd-format raw|lines|dotenv|json`
 * - bounded.ts   size- and time-bounded reads of any path (FIFOs, /dev/zero)
 * - text.ts      byte-order marks, strict UTF-8
 * - formats.ts   raw / lines / dotenv (env-file.ts) / JSON (json.ts) documents
 *
 * Each secret is handed to `onSecret` as soon as its source is read, so a
 * later source (a helper's stderr) is scrubbed with every secret known so far.
 * The first failure throws its SourceError and no later source is read.
 */
import { readEnvSecrets, readEnvironment, parseSelector, type EnvEntry, type EnvSelector } from './env.js';
import { readFileSecrets } from './file.js';
import { HelperError, runHelper, type HelperOutput } from './cmd.js';
import { parseSecrets, type SourceFormat } from './formats.js';
import { stripBom } from './text.js';
import { displayName, type SourcedSecret, type SourceWarning } from './types.js';

export { SourceError, displayName, MAX_SOURCE_BYTES, DEFAULT_SOURCE_TIMEOUT_MS } from './types.js';
export type { SourcedSecret, SourceWarning } from './types.js';
export { FORMATS, type SourceFormat } from './formats.js';
export { readEnvironment, parseEnviron, type EnvEntry } from './env.js';

/** One secret source as given on the command line, in order. */
export type SourceSpec =
  | { kind: 'env'; spec: string }
  | { kind: 'file'; path: string }
  | { kind: 'env-file'; path: string }
  | { kind: 'json'; path: string }
  | { kind: 'cmd'; command: string; format: SourceFormat };

export interface ReadSourcesOptions {
  /** Per source: a helper command's run time, a FIFO's wait. */
  timeoutMs: number;
  /** `--exclude-env` selectors (validated here too). */
  excludeEnv: readonly string[];
  allowMissing: boolean;
  warn: (w: SourceWarning) => void;
  /** Each secret as soon as its source is read. */
  onSecret: (s: SourcedSecret) => void;
  /**
   * A helper's stderr, to be scrubbed (with every secret given to onSecret so
   * far) and shown. `failed`: the helper failed, and its stdout so far (which
   * may be the secret) must be masked in its stderr too.
   */
  helperStderr: (name: string, output: HelperOutput, failed: boolean) => void;
  /** The environment (default: the exact bytes of ours). */
  env?: Map<string, EnvEntry>;
}

export async function readSources(specs: readonly SourceSpec[], options: ReadSourcesOptions): Promise<void> {
  const exclude: EnvSelector[] = options.excludeEnv.map((x) => parseSelector(x, '--exclude-env'));
  let env = options.env;
  const give = (list: SourcedSecret[]): void => list.forEach(options.onSecret);
  for (const s of specs) {
    switch (s.kind) {
      case 'env':
        env ??= readEnvironment();
        give(readEnvSecrets(s.spec, { env, exclude, allowMissing: options.allowMissing, warn: options.warn }));
        break;
      case 'file':
        give(await readFileSecrets(s.path, 'raw', options));
        break;
      case 'env-file':
        give(await readFileSecrets(s.path, 'dotenv', options));
        break;
      case 'json':
        give(await readFileSecrets(s.path, 'json', options));
        break;
      case 'cmd': {
        const name = `cmd:${displayName(s.command)}`;
        let output: HelperOutput;
        try {
          output = await runHelper(s.command, name, { timeoutMs: options.timeoutMs });
        } catch (err) {
          if (err instanceof HelperError) options.helperStderr(name, err.output, true);
          throw err;
        }
        let parsed: SourcedSecret[];
        try {
          parsed = parseSecrets(stripBom(output.stdout, name), s.format, name, options.warn);
        } catch (err) {
          options.helperStderr(name, output, true);
          throw err;
        }
        give(parsed);
        options.helperStderr(name, output, false);
        break;
      }
    }
  }
}
