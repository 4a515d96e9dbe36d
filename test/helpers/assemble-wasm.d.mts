/** Types of assemble-wasm.mjs (a plain script, so it also runs with node alone). */
export const BYTES_MODULE: string;
export function assembledModuleSource(): Promise<string>;
