/**
 * scrub-filter: remove known secrets from streaming output.
 *
 *   const scrubber = createScrubber({ secrets: [{ value: token, name: 'env:GH_TOKEN' }] });
 *   child.stdout.pipe(scrubber.stream()).pipe(process.stdout);
 *   scrubber.add(fetchedLater, { name: 'vault:db' }); // applies to every live stream
 */
import type { ScrubberOptions, Scrubber } from './api/types.js';
import { trimBytes } from './bytes/index.js';
import { DEFAULT_HISTORY_BYTES, ScrubberEngine, toBytes } from './engine/index.js';
import { expandSecret, laneVariantsOf, resolveVariants } from './variants/index.js';
import { resolveDetectors } from './detect/index.js';

export type * from './api/types.js';
export { ALL_VARIANTS, expandSecret, resolveVariants } from './variants/index.js';
export { DETECTORS, DETECTOR_NAMES, resolveDetectors } from './detect/index.js';
export { buildAutomaton, Automaton, MatchSink } from './matcher/index.js';
export { AddMaskFilter, unescapeWorkflowValue } from './add-mask/index.js';

const DEFAULT_MASK = '***';
const DEFAULT_MIN_LENGTH = 4;
/** Per stream: 64 MiB of history is far beyond any log line; more is a configuration mistake. */
const MAX_HISTORY_BYTES = 64 * 1024 * 1024;

export function createScrubber(options: ScrubberOptions = {}): Scrubber {
  const mask = toBytes(options.mask ?? DEFAULT_MASK);
  const minLength = options.minLength ?? DEFAULT_MIN_LENGTH;
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new RangeError(`scrub-filter: minLength must be a positive integer (got ${String(options.minLength)})`);
  }
  const historyBytes = options.historyBytes ?? DEFAULT_HISTORY_BYTES;
  if (!Number.isInteger(historyBytes) || historyBytes < 1 || historyBytes > MAX_HISTORY_BYTES) {
    throw new RangeError(`scrub-filter: historyBytes must be an integer from 1 to ${MAX_HISTORY_BYTES} (got ${String(options.historyBytes)})`);
  }
  const variants = resolveVariants(options.variants);
  const expand =
    variants.size === 0
      ? (secret: Uint8Array) => [trimBytes(secret)]
      : (secret: Uint8Array) => expandSecret(secret, { variants });
  const engine = new ScrubberEngine({
    mask,
    minLength,
    expand,
    onWarning: options.onWarning,
    lanes: laneVariantsOf(variants),
    detect: resolveDetectors(options.detect),
    historyBytes,
  });
  if (options.secrets) engine.addAll(options.secrets);
  return engine;
}
