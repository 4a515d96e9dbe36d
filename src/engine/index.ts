/** The streaming engine: scrubber, sessions, registry. */
export { DEFAULT_HISTORY_BYTES, MAX_DETECTED_SECRETS, ScrubberEngine, toBytes, type DetectionHooks, type EngineConfig, type SecretExpander } from './scrubber.js';
export { StreamSession } from './session.js';
