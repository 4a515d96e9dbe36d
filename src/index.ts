/**
 * scrub-filter: remove known secrets from streaming output.
 *
 *   const scrubber = createScrubber({ secrets: [{ value: token, name: 'env:GH_TOKEN' }] });
 *   await pipeline(child.stdout, scrubber.stream(), process.stdout, { end: false });
 *   scrubber.add(fetchedLater, { name: 'vault:db' }); // applies to every live stream
 *
 * This file is the package's whole public surface; each export is a choice
 * documented in the README ("The library", API). Nothing else is reachable
 * (no subpath exports): the matcher, the variant expander, the engine, the
 * add-mask filter class and the adapters are internals whose shapes change;
 * what users need of them comes through `createScrubber()`:
 * `session({ addMask })` instead of AddMaskFilter, `stream()`/`webStream()`
 * instead of the adapters, `add()`'s `patterns` count instead of
 * expandSecret().
 */
export { createScrubber } from './face/scrubber.js';
export { spawnScrubbed } from './face/spawn.js';
export { SpawnError, type ScrubbedProcess, type SpawnResult, type SpawnScrubbedOptions } from './spawn/index.js';
export type { AddMaskSessionOptions } from './add-mask/index.js';
export { AddMaskError } from './add-mask/index.js';
export { ALL_VARIANTS } from './variants/index.js';
export { DETECTORS, DETECTOR_NAMES } from './api/detectors.js';
export { MAX_MASK_BYTES, MAX_SECRET_BYTES } from './api/validate.js';
export type * from './api/types.js';
