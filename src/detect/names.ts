/**
 * The detector names (used in options, stats and the CLI's --list-detectors)
 * and how the public `detect` option resolves to a set of them.
 *
 * One home for the list: every detector module names itself with one of these,
 * and the id of a detector is its index here (stable within a build).
 */
import { DETECTOR_NAMES, DETECTORS, type DetectorName } from '../api/detectors.js';

export { DETECTOR_NAMES, DETECTORS, type DetectorName };

const ID = new Map<string, number>(DETECTOR_NAMES.map((n, i) => [n, i]));

export function detectorId(name: DetectorName): number {
  return ID.get(name)!;
}

/** The name a detected secret is registered under (stats, warnings): `detect:<format>`. */
export function detectedSecretName(name: DetectorName): string {
  return `detect:${name}`;
}

/**
 * `undefined` / `true`: every detector; `false`: none; a list: exactly those.
 * Throws on an unknown name or a malformed option (like `variants`), so a typo
 * never silently turns detection off.
 */
export function resolveDetectors(opt: boolean | readonly string[] | undefined): ReadonlySet<DetectorName> {
  if (opt === undefined || opt === true) return new Set(DETECTOR_NAMES);
  if (opt === false) return new Set();
  if (!Array.isArray(opt)) {
    throw new TypeError(`detect must be true, false or a list of detector names (got ${describe(opt)})`);
  }
  const out = new Set<DetectorName>();
  for (const name of opt as readonly unknown[]) {
    if (typeof name !== 'string' || !ID.has(name)) {
      throw new Error(`unknown detector ${describe(name)}; known detectors: ${DETECTOR_NAMES.join(', ')}`);
    }
    out.add(name as DetectorName);
  }
  return out;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
