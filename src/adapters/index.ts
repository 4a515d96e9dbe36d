/** Stream adapters: Node (`node:stream` Transform) and Web (through2/web) around any ScrubSession. */
export { nodeScrubStream, type NodeAdapterOptions } from './node.js';
export { webScrubStream } from './web.js';
