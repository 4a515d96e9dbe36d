/** Types of precompute-buckets.mjs (a plain script, so it also runs with node alone). */
export const MODULE_PATH: string;
export function precomputedModuleSource(windows: readonly string[], buckets: ArrayLike<number>): string;
