/**
 * Command-line parsing for `scrub-filter`.
 *
 * `node:util` parseArgs does the tokenising; validation is ours so that every
 * usage error is one short line (parseArgs' own messages are long and talk
 * about positionals the user never wrote).
 */
import { parseArgs } from 'node:util';
import type { SourceSpec } from './sources/index.js';
import { DEFAULT_CMD_TIMEOUT_MS } from './sources/index.js';

export interface CliOptions {
  /** Secret sources in command-line order. */
  sources: SourceSpec[];
  addMask: boolean;
  mask: string | undefined;
  minLength: number | undefined;
  variants: boolean;
  /** Structural detectors: true (default), false (--no-detect) or the names of --detect LIST. */
  detect: boolean | string[];
  stats: boolean;
  cmdTimeoutMs: number;
  /** Wrap mode: COMMAND and its arguments (after `--`). Undefined in pipe mode. */
  command: string[] | undefined;
}

export type ParsedArgs =
  | { action: 'help' }
  | { action: 'version' }
  | { action: 'list-detectors' }
  | { action: 'run'; options: CliOptions };

/** A usage error: exit status 2, one line on stderr, then a hint to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const OPTIONS = {
  'secret-env': { type: 'string', multiple: true },
  'secret-file': { type: 'string', multiple: true },
  'secret-cmd': { type: 'string', multiple: true },
  'secret-cmd-timeout': { type: 'string' },
  'add-mask': { type: 'boolean' },
  mask: { type: 'string' },
  'min-length': { type: 'string' },
  'no-variants': { type: 'boolean' },
  'no-detect': { type: 'boolean' },
  detect: { type: 'string' },
  'list-detectors': { type: 'boolean' },
  stats: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

type OptionName = keyof typeof OPTIONS;

function isKnown(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

export const USAGE = `Usage: scrub-filter [options]                       scrub stdin to stdout
       scrub-filter [options] -- COMMAND [ARGS...]  run COMMAND, scrub its stdout and stderr

Replaces every occurrence of the given secrets with *** (also when encoded:
base64, JSON, URL, shell quoting, split lines), on bytes, as the data streams.

Secret sources (repeatable, combinable; values never go on the command line):
  --secret-env NAME        the value of environment variable NAME;
                           'PREFIX*' takes every variable starting with PREFIX
  --secret-file PATH       the whole file is one secret (surrounding whitespace ignored)
  --secret-cmd 'COMMAND'   run COMMAND with sh -c before reading any input;
                           its stdout is one secret (a credential helper)
  --secret-cmd-timeout S   seconds a --secret-cmd may take (default ${DEFAULT_CMD_TIMEOUT_MS / 1000})
  --add-mask               a line '::add-mask::VALUE' in the stream adds VALUE as a
                           secret (before any later byte is written); the line is dropped

Options:
  --mask TEXT              replacement text (default ***)
  --min-length N           skip secrets shorter than N bytes, with a warning (default 4)
  --no-variants            mask the exact bytes only, not encoded forms
  --no-detect              do not detect unregistered secrets (private keys, tokens, URL passwords)
  --detect LIST            only these detectors (comma-separated; see --list-detectors)
  --list-detectors         list the detectors with a one-line description each
  --stats                  at exit, print to stderr how many occurrences of each
                           secret (by name) were masked
  -h, --help               show this help
  -V, --version            show the version

Wrap mode passes our stdin to COMMAND and forwards SIGTERM, SIGINT and SIGHUP
to it (on a terminal, Ctrl-C and hangup already reach COMMAND: not sent twice).

Exit status: 0 success; 2 usage, configuration or secret-source error (nothing
read, nothing run); 127 COMMAND could not be started; COMMAND's own status, or
128+N if it died of signal N; 141 the reader of our output went away;
70 scrubbing failed at run time (output stopped, nothing unscrubbed written).

Examples:
  ./deploy.sh 2>&1 | scrub-filter --secret-env GH_TOKEN
  scrub-filter --secret-env 'AWS_*' --secret-file ./key.pem -- make release
  scrub-filter --secret-cmd 'vault kv get -field=token secret/ci' -- ./test.sh
`;

function fail(message: string): never {
  throw new UsageError(message);
}

function parseNumber(option: string, text: string, { integer, min }: { integer: boolean; min: number }): number {
  const t = text.trim();
  const ok = integer ? /^\d+$/.test(t) : /^(\d+(\.\d*)?|\.\d+)$/.test(t);
  const n = Number(t);
  if (!ok || !Number.isFinite(n) || n < min || (integer && !Number.isSafeInteger(n))) {
    fail(`--${option}: '${text}' is not ${integer ? 'a whole number' : 'a number'}${min > 0 ? ` >= ${min}` : ''}`);
  }
  return n;
}

/** Parses `argv` (without `node` and the script). Throws UsageError. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (err) {
    fail((err as Error).message.split('\n')[0]);
  }

  const options: CliOptions = {
    sources: [],
    addMask: false,
    mask: undefined,
    minLength: undefined,
    variants: true,
    detect: true,
    stats: false,
    cmdTimeoutMs: DEFAULT_CMD_TIMEOUT_MS,
    command: undefined,
  };
  let help = false;
  let version = false;
  let listDetectors = false;
  let terminatorIndex = -1;

  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      terminatorIndex = token.index;
      break;
    }
    if (token.kind === 'positional') {
      fail(`unexpected argument '${token.value}' (to run a command, put it after --: scrub-filter [options] -- COMMAND)`);
    }
    const { name, rawName } = token;
    if (!isKnown(name)) fail(`unknown option '${rawName}'`);
    const def = OPTIONS[name];
    let value: string | undefined;
    if (def.type === 'string') {
      if (token.value === undefined) fail(`option '${rawName}' needs a value`);
      // parseArgs (non-strict) takes the next argument whatever it is; `--mask --` or
      // `--secret-env --stats` are almost certainly a forgotten value.
      if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
        fail(`option '${rawName}' needs a value (write ${rawName}=${token.value} if '${token.value}' is meant)`);
      }
      value = token.value;
    } else if (token.value !== undefined) {
      fail(`option '${rawName}' does not take a value`);
    }

    switch (name) {
      case 'secret-env':
        options.sources.push({ kind: 'env', spec: value! });
        break;
      case 'secret-file':
        options.sources.push({ kind: 'file', path: value! });
        break;
      case 'secret-cmd':
        options.sources.push({ kind: 'cmd', command: value! });
        break;
      case 'secret-cmd-timeout': {
        const s = parseNumber(name, value!, { integer: false, min: 0 });
        if (s <= 0) fail(`--${name}: must be more than 0 seconds`);
        options.cmdTimeoutMs = Math.min(Math.round(s * 1000), 2_147_483_647);
        break;
      }
      case 'add-mask':
        options.addMask = true;
        break;
      case 'mask':
        options.mask = value!;
        break;
      case 'min-length':
        options.minLength = parseNumber(name, value!, { integer: true, min: 1 });
        break;
      case 'no-variants':
        options.variants = false;
        break;
      case 'no-detect':
        options.detect = false;
        break;
      case 'detect':
        options.detect = value!.split(',').map((n) => n.trim()).filter((n) => n !== ''); // names checked by createScrubber
        break;
      case 'list-detectors':
        listDetectors = true;
        break;
      case 'stats':
        options.stats = true;
        break;
      case 'help':
        help = true;
        break;
      case 'version':
        version = true;
        break;
    }
  }

  if (help) return { action: 'help' };
  if (version) return { action: 'version' };
  if (listDetectors) return { action: 'list-detectors' };

  if (terminatorIndex >= 0) {
    const command = argv.slice(terminatorIndex + 1);
    if (command.length === 0) fail('missing COMMAND after --');
    if (command[0] === '') fail('empty COMMAND after --');
    options.command = command;
  }
  return { action: 'run', options };
}
