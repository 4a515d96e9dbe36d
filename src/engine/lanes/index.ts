/** Decoded views of the stream (lanes), by the variant name that enables them. */
import { entityDecoder } from './entities.js';
import type { Lane } from './lane.js';
import { percentDecoder } from './percent.js';
import { ViewLane } from './view-lane.js';
import { wrappedBase64Decoder } from './wrapped-base64.js';

export type { Lane, LaneContext } from './lane.js';

/** The variants implemented as lanes (not as patterns). */
export type LaneVariant = 'base64-wrapped' | 'percent' | 'entities';

/** Fresh lanes for one session (lanes keep per-stream state). */
export function createViewLanes(variants: ReadonlySet<string>): Lane[] {
  const lanes: Lane[] = [];
  if (variants.has('base64-wrapped')) lanes.push(new ViewLane(wrappedBase64Decoder()));
  if (variants.has('percent')) lanes.push(new ViewLane(percentDecoder(false)), new ViewLane(percentDecoder(true)));
  if (variants.has('entities')) lanes.push(new ViewLane(entityDecoder()));
  return lanes;
}
