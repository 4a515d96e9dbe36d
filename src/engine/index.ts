/** The streaming engine: scrubber, sessions, registry. */
export { ScrubberEngine, toBytes, type EngineConfig, type SecretExpander } from './scrubber.js';
export { StreamSession } from './session.js';
