/**
 * Detection of secrets nobody registered (issue 11): structural detectors as
 * one Lane of the session. `createDetectLane(names)` gives a fresh lane per
 * stream; the trigger table is shared by every lane with the same detectors.
 */
import { checksummedTriggers } from './checksummed.js';
import { contextTriggers, URL_MAX } from './context.js';
import { JWT_MAX_HEADER, jwtTriggers } from './jwt.js';
import type { StreamReader } from './candidate.js';
import { DetectLane } from './lane.js';
import { type DetectorName, DETECTOR_NAMES } from './names.js';
import { EVIDENCE_WITHIN, PREFIX_MAX, privateKeyTriggers } from './private-key.js';
import { legacyOpenAiTail, PYPI_MAX, providerTriggers } from './providers.js';
import { TriggerTable, type Trigger } from './trigger.js';

export { DETECTORS, DETECTOR_NAMES, type DetectorName, detectedSecretName, resolveDetectors } from './names.js';
export { DetectLane, detectorLabel, labelDetector } from './lane.js';

/**
 * The most bytes each detector holds back (documented in the README): a
 * bounded run is held from its first masked byte until it ends; committed
 * values (header and parameter values, JWT payloads, key bodies) are covered
 * as they arrive.
 */
export const HOLD_BOUND: Readonly<Record<DetectorName, number>> = Object.freeze({
  'private-key': Math.max(EVIDENCE_WITHIN, PREFIX_MAX + 8 + 8),
  github: 251,
  npm: 251,
  gitlab: 250,
  slack: 250,
  stripe: 247,
  aws: 40,
  google: 35,
  pypi: PYPI_MAX,
  openai: 247,
  anthropic: 242,
  jwt: JWT_MAX_HEADER + 4,
  'url-password': URL_MAX,
  'auth-header': 0,
  'query-param': 0,
});

function triggersFor(names: ReadonlySet<DetectorName>): Trigger[] {
  const on = (n: DetectorName) => names.has(n);
  const out: Trigger[] = [];
  if (on('private-key')) out.push(...privateKeyTriggers());
  out.push(...checksummedTriggers(on));
  out.push(...providerTriggers(on));
  if (on('jwt')) out.push(...jwtTriggers());
  out.push(...contextTriggers(on));
  return out;
}

/** Every trigger window of every detector, distinct, in a fixed order (the first pass's precomputed buckets cover these). */
export function everyTriggerWindow(): string[] {
  return [...new Set(triggersFor(new Set(DETECTOR_NAMES)).map((t) => t.window))];
}

const tables = new Map<string, { table: TriggerTable; bound: number; tails: Array<(r: StreamReader) => number> }>();

/** A new detection lane for one stream, or null when no detector is enabled. */
export function createDetectLane(names: ReadonlySet<DetectorName>): DetectLane | null {
  if (names.size === 0) return null;
  const key = DETECTOR_NAMES.filter((n) => names.has(n)).join(',');
  let t = tables.get(key);
  if (t === undefined) {
    let bound = 0;
    for (const n of names) bound = Math.max(bound, HOLD_BOUND[n]);
    t = { table: new TriggerTable(triggersFor(names)), bound, tails: names.has('openai') ? [legacyOpenAiTail] : [] };
    tables.set(key, t);
  }
  return new DetectLane(t.table, t.bound, t.tails);
}
