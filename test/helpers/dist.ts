/**
 * Tests that run the built package (examples, the packed tarball, the
 * hang-proof property test) need dist/ to be the build of the current src/.
 * `npm test` builds first; a stale dist/ is a clear failure, not a silent
 * test of old code.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST_ENTRY = join(ROOT, 'dist/index.js');
export const DIST_ENTRY_URL = pathToFileURL(DIST_ENTRY).href;

function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Throws unless dist/ exists and no src/ file is newer than the newest build output. */
export function assertFreshDist(): void {
  let built: number;
  try {
    built = newest(join(ROOT, 'dist'), '.js');
  } catch {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
  const source = newest(join(ROOT, 'src'), '.ts');
  if (built === 0 || source > built) throw new Error('dist/ is older than src/: run `npm run build` first (npm test does)');
}
