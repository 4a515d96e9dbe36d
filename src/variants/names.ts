/**
 * The variant names and how the public `variants` option resolves to a set.
 */
import type { VariantName } from '../api/types.js';

/** Every variant, in the order their patterns are generated. */
export const ALL_VARIANTS: readonly VariantName[] = Object.freeze([
  'lines',
  'json',
  'base64',
  'base64-wrapped',
  'percent',
  'entities',
  'shell',
] as const);

/** The variants that are decoded views of the stream (lanes), not patterns. */
const LANE_VARIANTS = ['base64-wrapped', 'percent', 'entities'] as const;
export type LaneVariantName = (typeof LANE_VARIANTS)[number];

/** The lane variants in a resolved set. */
export function laneVariantsOf(variants: ReadonlySet<VariantName>): Set<LaneVariantName> {
  return new Set(LANE_VARIANTS.filter((v) => variants.has(v)));
}

const KNOWN = new Set<string>(ALL_VARIANTS);

/**
 * `undefined` / `true`: every variant; `false`: none (exact bytes only); a
 * list: exactly those. `'base64-wrapped'` implies `'base64'`: matching wrapped
 * base64 means matching the base64 patterns across the joined lines, so it
 * cannot work without them.
 *
 * Throws on an unknown name (the message names it) or a malformed option, so a
 * typo in a config never silently turns masking of a whole class off.
 */
export function resolveVariants(opt: boolean | readonly VariantName[] | undefined): ReadonlySet<VariantName> {
  if (opt === undefined || opt === true) return new Set(ALL_VARIANTS);
  if (opt === false) return new Set();
  if (!Array.isArray(opt)) {
    throw new TypeError(`variants must be true, false or a list of variant names (got ${describe(opt)})`);
  }
  const resolved = new Set<VariantName>();
  for (const name of opt as readonly unknown[]) {
    if (typeof name !== 'string' || !KNOWN.has(name)) {
      throw new Error(`unknown secret variant ${describe(name)}; known variants: ${ALL_VARIANTS.join(', ')}`);
    }
    resolved.add(name as VariantName);
  }
  if (resolved.has('base64-wrapped')) resolved.add('base64');
  return resolved;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
