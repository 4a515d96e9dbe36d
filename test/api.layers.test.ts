/**
 * The module map of DESIGN.md, enforced: each layer imports only the layers
 * below it. In particular the engine knows no streams, the adapters know
 * only the public session contract (not the engine), and nothing imports
 * the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/dist.js';

/** Layer → the layers it may import (besides itself). `index` is src/index.ts. */
const ALLOWED: Record<string, readonly string[]> = {
  bytes: [],
  api: [],
  matcher: ['bytes'],
  variants: ['bytes', 'api'],
  engine: ['matcher', 'bytes', 'api'],
  adapters: ['api', 'bytes'],
  'add-mask': ['bytes', 'api'],
  spawn: ['api', 'bytes', 'add-mask'],
  // Detectors are lanes: they code against the engine's Lane contract (types only); the face wires them in.
  detect: ['api', 'bytes', 'engine'],
  face: ['api', 'bytes', 'engine', 'variants', 'detect', 'adapters', 'add-mask', 'spawn'],
  index: ['face', 'api', 'add-mask', 'variants', 'spawn'],
  cli: ['index', 'api', 'bytes', 'add-mask', 'spawn'],
};
/** Node built-ins a layer must not use (streams belong to the adapters, the face and the CLI). */
const FORBIDDEN_NODE: Record<string, readonly string[]> = {
  engine: ['node:stream', 'stream'],
  matcher: ['node:stream', 'stream'],
  variants: ['node:stream', 'stream'],
  // (api may: the contract's `stream()` returns a Node Transform type.)
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerOf(file: string): string {
  const rel = relative(join(ROOT, 'src'), file).split('/');
  return rel.length === 1 ? 'index' : rel[0];
}

const SRC = join(ROOT, 'src');
const files = sources(SRC);
// Static imports, re-exports, side-effect imports and dynamic imports; type-only ones count too (they are a dependency of the contract).
const IMPORT = /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g;

describe('layers (DESIGN.md module map)', () => {
  it('knows every folder under src/', () => {
    for (const f of files) expect(Object.keys(ALLOWED), relative(ROOT, f)).toContain(layerOf(f));
  });

  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer} imports only ${ALLOWED[layer].join(', ') || 'nothing of the project'}`, () => {
      const bad: string[] = [];
      for (const f of files.filter((x) => layerOf(x) === layer)) {
        for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
          const spec = m[1] ?? m[2];
          if (spec.startsWith('.')) {
            const target = layerOf(join(f, '..', spec));
            if (target !== layer && !ALLOWED[layer].includes(target)) bad.push(`${relative(ROOT, f)} -> ${spec}`);
          } else if (FORBIDDEN_NODE[layer]?.includes(spec)) {
            bad.push(`${relative(ROOT, f)} -> ${spec}`);
          }
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
