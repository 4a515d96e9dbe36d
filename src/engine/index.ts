/** The streaming engine: scrubber, sessions, registry. */
export { DEFAULT_HISTORY_BYTES, ScrubberEngine, toBytes, type EngineConfig, type SecretExpander } from './scrubber.js';
export { StreamSession } from './session.js';
