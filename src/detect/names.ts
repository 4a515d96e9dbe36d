/**
 * The detector names (used in options, stats and the CLI's --list-detectors)
 * and how the public `detect` option resolves to a set of them.
 *
 * One home for the list: every detector module names itself with one of these,
 * and the id of a detector is its index here (stable within a build).
 */
import { DETECTOR_NAMES, DETECTORS, type DetectorName } from '../api/detectors.js';
import { resolveNameSet } from '../api/name-set.js';

export { DETECTOR_NAMES, DETECTORS, type DetectorName };

const ID = new Map<string, number>(DETECTOR_NAMES.map((n, i) => [n, i]));

export function detectorId(name: DetectorName): number {
  return ID.get(name)!;
}

/** The name a detected secret is registered under (stats, warnings): `detect:<format>`. */
export function detectedSecretName(name: DetectorName): string {
  return `detect:${name}`;
}

/** `undefined` / `true`: every detector; `false`: none; a list: exactly those (api/name-set.ts: unknown names throw). */
export function resolveDetectors(opt: boolean | readonly string[] | undefined): ReadonlySet<DetectorName> {
  return resolveNameSet(opt, DETECTOR_NAMES, { option: 'detect', item: 'detector', unknown: 'detector' });
}
