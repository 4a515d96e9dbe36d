import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError, type CliOptions } from '../../src/cli/args.js';

function run(argv: string[]): CliOptions {
  const r = parseCliArgs(argv);
  if (r.action !== 'run') throw new Error(`expected run, got ${r.action}`);
  return r.options;
}

function usage(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

describe('parseCliArgs', () => {
  it('defaults to pipe mode with variants', () => {
    expect(run([])).toEqual({
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
      timeoutMs: 30_000,
      command: undefined,
    });
  });

  it('keeps sources in command-line order, repeatable and mixed', () => {
    const o = run([
      '--secret-env', 'A', '--secret-file=./k', '--secret-cmd', 'echo x', '--secret-env', 'B_*',
      '--secret-env-file', '.env', '--secret-json', 's.json', '--secret-cmd-format', 'json', '--secret-cmd', 'op item get x',
      '--exclude-env', 'B_REGION',
    ]);
    expect(o.sources).toEqual([
      { kind: 'env', spec: 'A' },
      { kind: 'file', path: './k' },
      { kind: 'cmd', command: 'echo x', format: 'raw' },
      { kind: 'env', spec: 'B_*' },
      { kind: 'env-file', path: '.env' },
      { kind: 'json', path: 's.json' },
      { kind: 'cmd', command: 'op item get x', format: 'json' },
    ]);
    expect(o.excludeEnv).toEqual(['B_REGION']);
  });

  it('parses the other options', () => {
    const o = run(['--add-mask', '--mask', '[masked]', '--min-length', '8', '--no-variants', '--stats', '--secret-cmd-timeout', '1.5', '--strict', '--allow-missing']);
    expect(o).toMatchObject({ addMask: true, mask: '[masked]', minLength: 8, variants: false, stats: 'text', timeoutMs: 1500, strict: true, allowMissing: true });
    expect(run(['--stats=json', '--source-timeout', '2', '--variants', 'base64,json']))
      .toMatchObject({ stats: 'json', timeoutMs: 2000, variants: ['base64', 'json'] });
  });

  it('takes everything after -- as COMMAND, options included', () => {
    const o = run(['--secret-env', 'T', '--', 'make', '--stats', '-j', '--', 'x']);
    expect(o.command).toEqual(['make', '--stats', '-j', '--', 'x']);
    expect(o.stats).toBe('off');
  });

  it('accepts a value starting with - only in --opt=value form', () => {
    expect(run(['--mask=-x-']).mask).toBe('-x-');
    expect(usage(['--mask', '--', 'cmd'])).toMatch(/option '--mask' needs a value/);
    expect(usage(['--secret-env', '--stats'])).toMatch(/needs a value/);
  });

  it('help and version win over everything else that parses', () => {
    expect(parseCliArgs(['--secret-env', 'X', '--help'])).toEqual({ action: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ action: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ action: 'version' });
    expect(parseCliArgs(['-V'])).toEqual({ action: 'version' });
  });

  it('reports usage errors in one line', () => {
    expect(usage(['--secret', 'x'])).toBe("unknown option '--secret'");
    expect(usage(['-x'])).toBe("unknown option '-x'");
    expect(usage(['--mask'])).toBe("option '--mask' needs a value");
    expect(usage(['--stats=yes'])).toMatch(/--stats: 'yes' is not text or json/);
    expect(usage(['--strict=1'])).toBe("option '--strict' does not take a value");
    expect(usage(['--variants', 'base64,bogus'])).toMatch(/--variants: unknown name 'bogus' \(valid: lines, json, base64/);
    expect(usage(['--variants', ''])).toMatch(/--variants: unknown name ''/);
    expect(usage(['--variants', 'json', '--no-variants'])).toMatch(/contradict/);
    expect(usage(['--secret-cmd-format', 'yaml'])).toMatch(/not one of raw, lines, dotenv, json/);
    expect(usage(['--secret-cmd', 'x', '--secret-cmd-format', 'json'])).toMatch(/put it before them/);
    expect(usage(['--min-length', 'abc'])).toMatch(/--min-length: 'abc' is not a whole number/);
    expect(usage(['--min-length', '0'])).toMatch(/>= 1/);
    expect(usage(['--min-length', '2.5'])).toMatch(/whole number/);
    expect(usage(['--secret-cmd-timeout', '0'])).toMatch(/more than 0/);
    expect(usage(['--secret-cmd-timeout', 'soon'])).toMatch(/not a number/);
    expect(usage(['make'])).toMatch(/unexpected argument 'make'.*after --/);
    expect(usage(['--'])).toBe('missing COMMAND after --');
  });
});
