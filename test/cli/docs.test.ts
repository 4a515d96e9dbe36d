/**
 * "The README documents every flag; --help stays one screen" (issue 10):
 * checked against the parser's own option table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_NAMES, USAGE } from '../../src/cli/args.js';
import { ROOT } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commandSection = readme.slice(readme.indexOf('## The command'), readme.indexOf('## The library'));

describe('documentation of the command', () => {
  it('--help fits one screen: at most 40 lines of at most 80 columns', () => {
    const lines = USAGE.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('every option is in --help (except the alias --secret-cmd-timeout) and in the README', () => {
    for (const name of OPTION_NAMES) {
      if (name !== 'secret-cmd-timeout') expect(USAGE, name).toContain(`--${name}`);
      expect(commandSection, name).toContain(`--${name}`);
    }
  });

  it('every option has a README example that uses it (a line starting with scrub-filter or piping into it)', () => {
    const examples = [...commandSection.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    const commandLines = examples.split('\n').filter((l) => /(^|\| )scrub-filter /.test(l));
    for (const name of OPTION_NAMES) {
      if (name === 'secret-cmd-timeout' || name === 'help') continue; // alias; --help is shown as `scrub-filter --help | head -1`
      expect(commandLines.some((l) => l.includes(`--${name}`)), name).toBe(true);
    }
  });
});
