/** Stream adapters: Node (through2) and Web (through2/web) around a ScrubSession. */
export { nodeScrubStream } from './node.js';
export { webScrubStream } from './web.js';
