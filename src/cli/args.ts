/**
 * Command-line parsing for `scrub-filter`.
 *
 * `node:util` parseArgs does the tokenising; validation is ours so that every
 * usage error is one short line (parseArgs' own messages are long and talk
 * about positionals the user never wrote).
 */
import { parseArgs } from 'node:util';
import type { SourceSpec } from './sources/index.js';
import { DEFAULT_SOURCE_TIMEOUT_MS, FORMATS, type SourceFormat } from './sources/index.js';
import { ALL_VARIANTS, DETECTOR_NAMES, type DetectorName, type VariantName } from '../index.js';

export interface CliOptions {
  /** Secret sources in command-line order. */
  sources: SourceSpec[];
  /** `--exclude-env` selectors. */
  excludeEnv: string[];
  allowMissing: boolean;
  strict: boolean;
  addMask: boolean;
  mask: string | undefined;
  minLength: number | undefined;
  /** `true` all, `false` none, or the chosen list. */
  variants: boolean | VariantName[];
  /** Structural detectors: `true` all (default), `false` none (--no-detect), or --detect LIST. */
  detect: boolean | DetectorName[];
  stats: 'off' | 'text' | 'json';
  timeoutMs: number;
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
  'exclude-env': { type: 'string', multiple: true },
  'allow-missing': { type: 'boolean' },
  'secret-file': { type: 'string', multiple: true },
  'secret-env-file': { type: 'string', multiple: true },
  'secret-json': { type: 'string', multiple: true },
  'secret-cmd': { type: 'string', multiple: true },
  'secret-cmd-format': { type: 'string', multiple: true },
  'source-timeout': { type: 'string' },
  'secret-cmd-timeout': { type: 'string' }, // the older name of --source-timeout
  'add-mask': { type: 'boolean' },
  mask: { type: 'string' },
  'min-length': { type: 'string' },
  variants: { type: 'string' },
  'no-variants': { type: 'boolean' },
  strict: { type: 'boolean' },
  detect: { type: 'string' },
  'no-detect': { type: 'boolean' },
  'list-detectors': { type: 'boolean' },
  stats: { type: 'boolean' }, // also --stats=json / --stats=text (see below)
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Every option name (for the documentation check in the tests). */
export const OPTION_NAMES: readonly string[] = Object.keys(OPTIONS);

type OptionName = keyof typeof OPTIONS;

function isKnown(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

export const USAGE = `Usage: scrub-filter [options]                    scrub stdin to stdout
       scrub-filter [options] -- COMMAND [ARGS]  scrub COMMAND's stdout, stderr
Replaces every occurrence of the secrets with *** (also encoded: base64, JSON,
URL, shell quoting, split lines), on bytes, as the data streams.

Secret sources (repeatable; values never go on the command line):
  --secret-env NAME|PAT   variable NAME; a PAT with * takes every match
                          (AWS_*, *_TOKEN); unset or no match: exit 2
  --exclude-env NAME|PAT  leave these out of --secret-env patterns
  --allow-missing         unset / no match is a warning instead
  --secret-file PATH      the whole file, one secret (UTF-8/16 BOM handled)
  --secret-env-file PATH  dotenv: each value (named env-file:PATH:KEY)
  --secret-json PATH      JSON: each string value (named json:PATH:$.a.b)
  --secret-cmd 'COMMAND'  run sh -c COMMAND first; its stdout is the secret
  --secret-cmd-format F   for the --secret-cmd after it: raw|lines|dotenv|json
  --source-timeout S      seconds for a command or FIFO source (default ${DEFAULT_SOURCE_TIMEOUT_MS / 1000})
  --add-mask              '::add-mask::VALUE' lines add VALUE, are dropped
                          (not between ::stop-commands::TOKEN and ::TOKEN::)
Options:
  --mask TEXT             replacement (default ***)
  --min-length N          skip shorter secrets, with a warning (default 4)
  --variants LIST         encodings to mask, default all: ${ALL_VARIANTS.slice(0, 3).join(',')},
                          ${ALL_VARIANTS.slice(3).join(',')}
  --no-variants           the exact bytes only
  --strict                every warning (empty, too short, ...) is exit 2
  --no-detect             no detection of unregistered keys, tokens, passwords
  --detect LIST           only these detectors (names: --list-detectors)
  --stats[=json]          at exit, masks per secret name on stderr
  -h, --help, -V, --version

Wrap mode passes stdin to COMMAND, SIGTERM/SIGINT/SIGHUP to its process tree.
Exit status: 0; 2 usage or source error (nothing read, nothing run); COMMAND's
status, or death by its signal; 126 not executable; 127 not found; 141 the
reader went away; 70 scrubbing or writing failed (output stopped).

Examples:
  ./deploy.sh 2>&1 | scrub-filter --secret-env GH_TOKEN
  scrub-filter --secret-env 'AWS_*' --exclude-env AWS_REGION -- make release
  scrub-filter --secret-cmd-format json \\
    --secret-cmd 'vault kv get -format=json secret/ci' -- ./test.sh
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
    excludeEnv: [],
    allowMissing: false,
    strict: false,
    addMask: false,
    mask: undefined,
    minLength: undefined,
    variants: true,
    detect: true,
    stats: 'off',
    timeoutMs: DEFAULT_SOURCE_TIMEOUT_MS,
    command: undefined,
  };
  let help = false;
  let version = false;
  let listDetectors = false;
  let terminatorIndex = -1;
  let cmdFormat: SourceFormat = 'raw';
  let formatUsed = true;
  let variantsBy: string | undefined;

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
    } else if (token.value !== undefined && name !== 'stats') {
      fail(`option '${rawName}' does not take a value`);
    }

    switch (name) {
      case 'secret-env':
        options.sources.push({ kind: 'env', spec: value! });
        break;
      case 'exclude-env':
        options.excludeEnv.push(value!);
        break;
      case 'allow-missing':
        options.allowMissing = true;
        break;
      case 'secret-file':
        options.sources.push({ kind: 'file', path: value! });
        break;
      case 'secret-env-file':
        options.sources.push({ kind: 'env-file', path: value! });
        break;
      case 'secret-json':
        options.sources.push({ kind: 'json', path: value! });
        break;
      case 'secret-cmd':
        options.sources.push({ kind: 'cmd', command: value!, format: cmdFormat });
        formatUsed = true;
        break;
      case 'secret-cmd-format':
        if (!(FORMATS as readonly string[]).includes(value!)) fail(`--secret-cmd-format: '${value}' is not one of ${FORMATS.join(', ')}`);
        cmdFormat = value as SourceFormat;
        formatUsed = false;
        break;
      case 'source-timeout':
      case 'secret-cmd-timeout': {
        const s = parseNumber(name, value!, { integer: false, min: 0 });
        if (s <= 0) fail(`--${name}: must be more than 0 seconds`);
        options.timeoutMs = Math.min(Math.round(s * 1000), 2_147_483_647);
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
      case 'variants': {
        if (variantsBy === 'no-variants') fail('--variants and --no-variants contradict each other');
        const list = value!.split(',').map((v) => v.trim());
        const bad = list.filter((v) => !(ALL_VARIANTS as readonly string[]).includes(v));
        if (list.length === 0 || bad.length > 0) {
          fail(`--variants: unknown name${bad.length === 1 ? '' : 's'} ${bad.map((b) => `'${b}'`).join(', ')} (valid: ${ALL_VARIANTS.join(', ')}; none: --no-variants)`);
        }
        options.variants = [...new Set(list)] as VariantName[];
        variantsBy = 'variants';
        break;
      }
      case 'no-variants':
        if (variantsBy === 'variants') fail('--variants and --no-variants contradict each other');
        options.variants = false;
        variantsBy = 'no-variants';
        break;
      case 'strict':
        options.strict = true;
        break;
      case 'detect': {
        const list = value!.split(',').map((v) => v.trim());
        const bad = list.filter((v) => !(DETECTOR_NAMES as readonly string[]).includes(v));
        if (bad.length > 0) fail(`--detect: unknown detector${bad.length === 1 ? '' : 's'} ${bad.map((b) => `'${b}'`).join(', ')} (see --list-detectors; none: --no-detect)`);
        options.detect = [...new Set(list)] as DetectorName[];
        break;
      }
      case 'no-detect':
        options.detect = false;
        break;
      case 'list-detectors':
        listDetectors = true;
        break;
      case 'stats': {
        const v = token.value ?? 'text';
        if (v !== 'text' && v !== 'json') fail(`--stats: '${v}' is not text or json (write --stats or --stats=json)`);
        options.stats = v;
        break;
      }
      case 'help':
        help = true;
        break;
      case 'version':
        version = true;
        break;
    }
  }
  if (!formatUsed && !help && !version && !listDetectors) fail('--secret-cmd-format applies to the --secret-cmd options after it: put it before them');

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
