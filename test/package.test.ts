/**
 * The package as a user gets it: `npm pack`, installed into a fresh project
 * (`--prefer-offline`: from the npm cache when it holds the dependencies,
 * else the registry), then used the four ways users do: ESM import,
 * CommonJS require (Node >= 20.19's require(esm) through the `default`
 * export condition), a TypeScript compile under `nodenext` (CommonJS and ESM
 * consumers) and under `bundler` resolution, and the command via npx.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, ROOT } from './helpers/dist.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const SECRET = 'fake-packaged-secret-0042';
let dir = '';
let app = '';
let files: string[] = [];

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONSUMER = `
import { createScrubber, AddMaskError, ALL_VARIANTS, MAX_MASK_BYTES } from 'scrub-filter';
import type { Scrubber, ScrubberOptions, ScrubSession, SecretSpec, VariantName, StreamOptions, ScrubWarning, AddResult } from 'scrub-filter';

const spec: SecretSpec = { value: 'x', name: 'env:X' };
const variants: readonly VariantName[] = ALL_VARIANTS;
const options: ScrubberOptions = { secrets: [spec], variants, mask: '*'.repeat(Math.min(3, MAX_MASK_BYTES)), onWarning: (w: ScrubWarning) => void w };
const scrubber: Scrubber = createScrubber(options);
const session: ScrubSession = scrubber.session({ addMask: true });
const streamOptions: StreamOptions = { highWaterMark: 1024, addMask: { name: 'job' } };
const added: AddResult = scrubber.add(new Uint8Array([1, 2, 3, 4]), { name: 'bytes' });
const text: string = scrubber.scrub('text');
const bytes: Uint8Array = scrubber.scrub(new Uint8Array(4));
scrubber.stream(streamOptions).destroy();
const err: unknown = new Error('x');
export const summary = [session.heldBytes, added.registered, text, bytes.length, err instanceof AddMaskError];
`;

describe('the packed package in a fresh project', () => {
  beforeAll(() => {
    assertFreshDist();
    dir = mkdtempSync(join(tmpdir(), 'scrub-filter-pack-'));
    // dist/ is already built (npm test builds first); packing without scripts keeps concurrent tests' dist/ intact.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0].files.map((f) => f.path);
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed[0].filename)], app);
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    // The consumer's own dev setup: Node's types (for the Transform in our declarations).
    mkdirSync(join(app, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules/@types/node'), join(app, 'node_modules/@types/node'));
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the build, the docs and the licence; no source maps, sources or tests', () => {
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^(src|test|bench|examples)\//.test(f))).toEqual([]);
  });

  it('ESM import', () => {
    writeFileSync(join(app, 'esm.mjs'), `import { createScrubber } from 'scrub-filter';\nconsole.log(createScrubber({ secrets: ['${SECRET}'] }).scrub('a ${SECRET} b'));\n`);
    const r = run('node', ['esm.mjs'], app);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('a *** b\n');
  });

  it('CommonJS require', () => {
    writeFileSync(
      join(app, 'cjs.cjs'),
      `const { createScrubber, AddMaskError } = require('scrub-filter');\nconsole.log(createScrubber({ secrets: ['${SECRET}'] }).scrub('a ${SECRET} b'), typeof AddMaskError);\n`,
    );
    const r = run('node', ['cjs.cjs'], app);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('a *** b function\n');
  });

  for (const [label, compilerOptions, file] of [
    ['module nodenext, a CommonJS consumer', { module: 'nodenext', moduleResolution: 'nodenext' }, 'consumer.cts'],
    ['module nodenext, an ESM consumer', { module: 'nodenext', moduleResolution: 'nodenext' }, 'consumer.mts'],
    ['moduleResolution bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'consumer.ts'],
  ] as const) {
    it(`tsc compiles a consumer: ${label}`, () => {
      writeFileSync(join(app, file), CONSUMER);
      const config = `tsconfig.${file}.json`;
      writeFileSync(
        join(app, config),
        JSON.stringify({ compilerOptions: { ...compilerOptions, target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: [file] }),
      );
      const r = run('node', [TSC, '-p', config], app);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('npx scrub-filter --version', () => {
    const r = run('npx', ['--no-install', 'scrub-filter', '--version'], app);
    expect(r.stdout).toMatch(/^scrub-filter \d+\.\d+\.\d+/);
    expect(r.status).toBe(0);
    expect(readdirSync(join(app, 'node_modules/.bin'))).toContain('scrub-filter');
  });
});
