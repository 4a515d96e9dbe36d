/** The streaming engine: scrubber, sessions, registry. */
export { ScrubberEngine, toBytes, trimBytes, type EngineConfig, type SecretExpander } from './scrubber.js';
export { StreamSession } from './session.js';
