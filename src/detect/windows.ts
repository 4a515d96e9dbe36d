/**
 * Where to put a literal's trigger window.
 *
 * Chosen for the first pass's JavaScript loop (trigger.ts; the WebAssembly
 * kernel filters by nibbles and cares less). That loop costs one table load
 * per 3 bytes plus a mispredicted branch for every sampled bigram that some
 * window contains, so a window made of
 * rare bigrams (`b_pa`, `AgEI`) makes clean text cheaper than one made of
 * common ones (`pat_`: "at" is everywhere). The costs below are a rough
 * ranking of bigram frequency in English and log text (measured on the
 * benchmark log and git/npm output while choosing them), not a model.
 */
import { latin1 } from './bytes.js';

const VERY_COMMON = new Set('th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns'.split(' '));
const COMMON = new Set('di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov ep tt oc fa ef cu rn sc gi da cr cl du ga ue ff ba ey ls va um pp up lu go ru ug ds lt pi rc rr eg au ck'.split(' '));

function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** How common the letter pair `ab` (lower case) is in English and log text: 2 very, 1 common, 0 neither (also the first-pass kernel's bucket prior, buckets.ts). */
export function letterPairRank(a: number, b: number): 0 | 1 | 2 {
  const key = String.fromCharCode(a, b);
  return VERY_COMMON.has(key) ? 2 : COMMON.has(key) ? 1 : 0;
}

/** Rough cost of a bigram appearing in clean text (case-folded when `fold`). */
export function bigramCost(a: number, b: number, fold: boolean): number {
  const la = fold || isLower(a) ? a | 0x20 : a;
  const lb = fold || isLower(b) ? b | 0x20 : b;
  if ((isLower(a) || fold) && (isLower(b) || fold)) {
    const caseSpread = fold ? 2 : 1; // every spelling of a folded window is in the table
    const rank = letterPairRank(la, lb);
    if (rank === 2) return 60 * caseSpread;
    if (rank === 1) return 20 * caseSpread;
    if (isLower(la) && isLower(lb)) return 4 * caseSpread;
  }
  if (a === b && !isLower(a)) return 40; // "--", "==", "**": separator lines, markdown
  if (isDigit(a) && isDigit(b)) return 30;
  if ((isDigit(a) && !isLower(b)) || (isDigit(b) && !isLower(a))) return 15; // dates, times, versions
  if (a === 0x20 || b === 0x20) return 25;
  return 2;
}

/** The offset (0 .. literal.length - 4) of the cheapest 4-byte window of `literal`. */
export function bestWindow(literal: string, fold = false): number {
  const b = latin1(literal);
  let best = 0;
  let bestCost = Infinity;
  for (let o = 0; o + 4 <= b.length; o++) {
    const cost = bigramCost(b[o], b[o + 1], fold) + bigramCost(b[o + 1], b[o + 2], fold) + bigramCost(b[o + 2], b[o + 3], fold);
    if (cost < bestCost) {
      bestCost = cost;
      best = o;
    }
  }
  return best;
}
