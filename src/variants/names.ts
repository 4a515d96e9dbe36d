/**
 * The variant names and how the public `variants` option resolves to a set.
 */
import { resolveNameSet } from '../api/name-set.js';
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

/**
 * `undefined` / `true`: every variant; `false`: none (exact bytes only); a
 * list: exactly those. `'base64-wrapped'` implies `'base64'`: matching wrapped
 * base64 means matching the base64 patterns across the joined lines, so it
 * cannot work without them. Unknown names throw (api/name-set.ts).
 */
export function resolveVariants(opt: boolean | readonly VariantName[] | undefined): ReadonlySet<VariantName> {
  const resolved = resolveNameSet(opt, ALL_VARIANTS, { option: 'variants', item: 'variant', unknown: 'secret variant' });
  if (resolved.has('base64-wrapped')) resolved.add('base64');
  return resolved;
}
