/**
 * Builds an Automaton from byte patterns.
 *
 * 1. Byte classes: every byte used by some pattern gets its own class, all
 *    unused bytes share one; rows are `classCount` wide instead of 256.
 * 2. Trie by sorted insertion: patterns are sorted (as latin1 strings, whose
 *    order is byte order) so nodes are created in preorder. A node's first
 *    child is then always node+1, so one Uint16 per node describes it; the
 *    rare extra children go to a small hash table.
 * 3. Failure links and outputs in breadth-first order (standard Aho-Corasick).
 * 4. Dense rows (complete DFA transitions) for the states of depth <= 2 and
 *    the branching states, in BFS order while the dense budget lasts: where
 *    clean text rests, where failure links lead, and where a sparse state
 *    would need a hash lookup. Chains along one secret stay sparse (read in
 *    address order by the scan).
 * 5. The scan's extra table (other children of sparse states, as hot ids),
 *    chain labels and the RUN4 flags.
 */
import {
  Automaton,
  ENDS,
  FIRST_BYTE,
  RUN4,
  HAS_EXTRA,
  HAS_FIRST,
  SHALLOW_DEPTH,
  extraSlot,
  type AutomatonTables,
} from './automaton.js';
import { toByteString } from '../bytes/index.js';
import { buildGramFilter } from './prefilter.js';

export interface BuildOptions {
  /** Pattern ids reported by the automaton are idBase + index in the array. */
  idBase?: number;
  /** Maximum number of Int32 entries in dense rows (default: see MIN/MAX_DENSE_BUDGET). */
  denseBudget?: number;
  /** Use the skip filter when patterns allow it (default true). */
  skip?: boolean;
}

/**
 * Dense-row budget (entries): at least 2^21 (8 MiB), and about 3 per trie
 * node up to 2^24 (64 MiB). Only shallow and branching states use it (rows are
 * allocated as they are made), so it caps the branching states of very large
 * sets; the rest stay sparse, which is correct, only slower.
 */
const MIN_DENSE_BUDGET = 1 << 21;
const MAX_DENSE_BUDGET = 1 << 24;
/**
 * States this shallow always get a dense row (within the budget). 3 was
 * measured too: no better on text of 4-grams of secrets, worse on near misses.
 */
const DENSE_DEPTH = 2;

export function buildAutomaton(patterns: readonly Uint8Array[], options: BuildOptions = {}): Automaton {
  const idBase = options.idBase ?? 0;

  // --- 1. byte classes -------------------------------------------------------
  const used = new Uint8Array(256);
  let maxLen = 0;
  let minLen = Number.MAX_SAFE_INTEGER;
  for (const p of patterns) {
    if (p.length === 0) throw new Error('scrub-filter: internal error: empty pattern');
    for (let i = 0; i < p.length; i++) used[p[i]] = 1;
    if (p.length > maxLen) maxLen = p.length;
    if (p.length < minLen) minLen = p.length;
  }
  let usedCount = 0;
  for (let b = 0; b < 256; b++) usedCount += used[b];
  const classOf = new Uint8Array(256);
  let classCount = usedCount < 256 ? 1 : 0; // class 0 = "no pattern uses this byte"
  for (let b = 0; b < 256; b++) if (used[b]) classOf[b] = classCount++;

  // --- 2. sorted, de-duplicated keys -----------------------------------------
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    const key = toByteString(p);
    if (!firstIndex.has(key)) firstIndex.set(key, i);
  }
  const keys = [...firstIndex.keys()].sort();

  // Exact node count: each key adds the part not shared with the previous one.
  let nodeCount = 1;
  for (let k = 0; k < keys.length; k++) nodeCount += keys[k].length - (k > 0 ? commonPrefix(keys[k - 1], keys[k]) : 0);

  const firstEdge = new Uint16Array(nodeCount);
  const out = new Int32Array(nodeCount).fill(-1);
  const depth = maxLen < 0xffff ? new Uint16Array(nodeCount) : new Uint32Array(nodeCount);
  const path = new Int32Array(maxLen + 1);
  // Extra children, in creation order; hashed once their number is known.
  let extras = new Int32Array(3 * 64);
  let extraCount = 0;

  let nodes = 1;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const shared = k > 0 ? commonPrefix(keys[k - 1], key) : 0;
    for (let d = shared; d < key.length; d++) {
      const v = nodes++;
      const parent = path[d];
      const cls = classOf[key.charCodeAt(d)];
      if (v === parent + 1) {
        // In preorder a node without children is the last one created, so v is its first child.
        firstEdge[parent] = (firstEdge[parent] & HAS_EXTRA) | HAS_FIRST | key.charCodeAt(d);
      } else {
        firstEdge[parent] |= HAS_EXTRA;
        if (3 * extraCount === extras.length) {
          const grown = new Int32Array(extras.length * 2);
          grown.set(extras);
          extras = grown;
        }
        extras[3 * extraCount] = parent;
        extras[3 * extraCount + 1] = cls;
        extras[3 * extraCount + 2] = v;
        extraCount++;
      }
      depth[v] = d + 1;
      path[d + 1] = v;
    }
    out[path[key.length]] = idBase + (firstIndex.get(key) as number);
  }

  let tableSize = 16;
  while (tableSize < 2 * extraCount) tableSize *= 2;
  const trieExtraNode = new Int32Array(tableSize).fill(-1);
  const trieExtraClass = new Uint16Array(tableSize);
  const trieExtraChild = new Int32Array(tableSize);
  // Children of a node beyond the first, chained per parent for the BFS.
  const extraNext = new Int32Array(extraCount).fill(-1);
  const extraHead = new Map<number, number>();
  for (let e = extraCount - 1; e >= 0; e--) {
    const parent = extras[3 * e];
    const cls = extras[3 * e + 1];
    const child = extras[3 * e + 2];
    let slot = extraSlot(parent, cls, tableSize - 1);
    while (trieExtraNode[slot] !== -1) slot = (slot + 1) & (tableSize - 1);
    trieExtraNode[slot] = parent;
    trieExtraClass[slot] = cls;
    trieExtraChild[slot] = child;
    const head = extraHead.get(parent);
    if (head !== undefined) extraNext[e] = head;
    extraHead.set(parent, e);
  }

  const childOf = (node: number, cls: number): number => {
    const fe = firstEdge[node];
    if (fe & HAS_FIRST && classOf[fe & FIRST_BYTE] === cls) return node + 1;
    if (fe & HAS_EXTRA) {
      let slot = extraSlot(node, cls, tableSize - 1);
      for (;;) {
        const n = trieExtraNode[slot];
        if (n === -1) return -1;
        if (n === node && trieExtraClass[slot] === cls) return trieExtraChild[slot];
        slot = (slot + 1) & (tableSize - 1);
      }
    }
    return -1;
  };

  // --- 3. failure links, outputs and dense rows, breadth first ---------------
  // Which states get a complete row: every state of depth <= DENSE_DEPTH (the
  // scan's resting places on clean text, and where most failure links lead)
  // and every deeper state with several children (a sparse one would need a
  // hash lookup per byte there), in BFS order while the budget lasts. The
  // states of a single-child chain along one secret stay sparse on purpose:
  // walking them reads firstEdge in order (see the scan loop), while a dense
  // row per byte would be a cache miss per byte on text that follows secrets.
  // A row is built when its state is dequeued: the row of the nearest dense
  // state on its failure chain, then the children of the sparse states in
  // between (deepest last), then its own children (trie ids for now).
  // Failure links of later states then resolve through those rows.
  const denseBudget = options.denseBudget ?? Math.min(MAX_DENSE_BUDGET, Math.max(MIN_DENSE_BUDGET, 3 * nodeCount));
  const maxRows = Math.max(1, Math.min(nodeCount, Math.floor(denseBudget / classCount)));
  let rows = new Int32Array(Math.min(maxRows, 64) * classCount);
  const denseList: number[] = [0]; // row -> trie node, in BFS order
  const rowOf = new Int32Array(nodeCount).fill(-1); // trie node -> row, for nodes that have one
  const fail = new Int32Array(nodeCount);
  const order = new Int32Array(nodeCount);
  const between = new Int32Array(maxLen + 1);
  let tail = 1;
  rowOf[0] = 0;
  const gotoFrom = (state: number, cls: number): number => {
    let g = state;
    for (;;) {
      if (rowOf[g] >= 0) return rows[rowOf[g] * classCount + cls];
      const c = childOf(g, cls);
      if (c >= 0) return c;
      g = fail[g];
    }
  };
  const writeChildren = (u: number, row: number): void => {
    const fe = firstEdge[u];
    if (fe & HAS_FIRST) rows[row + classOf[fe & FIRST_BYTE]] = u + 1;
    if (fe & HAS_EXTRA) {
      for (let e = extraHead.get(u) as number; e !== -1; e = extraNext[e]) rows[row + extras[3 * e + 1]] = extras[3 * e + 2];
    }
  };
  const visit = (parent: number, child: number, cls: number): void => {
    const f = parent === 0 ? 0 : gotoFrom(fail[parent], cls);
    fail[child] = f;
    // The node's own pattern is the longest ending here; otherwise inherit the fail state's.
    if (out[child] < 0) out[child] = out[f];
    if (denseList.length < maxRows && (depth[child] <= DENSE_DEPTH || firstEdge[child] & HAS_EXTRA)) {
      rowOf[child] = denseList.length;
      denseList.push(child);
    }
    order[tail++] = child;
  };
  // The root's row: zero-filled (every byte leads back to the root) with its children written over.
  writeChildren(0, 0);
  for (let head = 0; head < tail; head++) {
    const u = order[head];
    if (rowOf[u] >= 0) {
      const row = rowOf[u] * classCount;
      if (row + classCount > rows.length) {
        const grown = new Int32Array(Math.min(maxRows * classCount, 2 * rows.length + classCount));
        grown.set(rows);
        rows = grown;
      }
      if (u !== 0) {
        let g = fail[u];
        let n = 0;
        while (rowOf[g] < 0) {
          between[n++] = g;
          g = fail[g];
        }
        rows.copyWithin(row, rowOf[g] * classCount, rowOf[g] * classCount + classCount);
        while (n > 0) writeChildren(between[--n], row);
        writeChildren(u, row);
      }
    }
    const fe = firstEdge[u];
    if (fe & HAS_FIRST) visit(u, u + 1, classOf[fe & FIRST_BYTE]);
    if (fe & HAS_EXTRA) {
      for (let e = extraHead.get(u) as number; e !== -1; e = extraNext[e]) visit(u, extras[3 * e + 2], extras[3 * e + 1]);
    }
  }

  // --- 4. number the dense rows: non-matching first (in BFS order), then matching --
  const denseCount = denseList.length;
  let plainCount = 0;
  for (let j = 0; j < denseCount; j++) if (out[denseList[j]] < 0) plainCount++;
  const plainLimit = plainCount * classCount;
  const denseLimit = denseCount * classCount;
  const denseNode = new Int32Array(denseCount);
  const denseOut = new Int32Array(denseCount - plainCount);
  const indexOfPos = new Int32Array(denseCount);
  let nextPlain = 0;
  let nextMatching = plainCount;
  for (let j = 0; j < denseCount; j++) {
    const u = denseList[j];
    const idx = out[u] < 0 ? nextPlain++ : nextMatching++;
    indexOfPos[j] = idx;
    denseNode[idx] = u;
    if (idx >= plainCount) denseOut[idx - plainCount] = out[u];
  }
  // Plain rows were numbered in BFS order, so the shallow ones come first.
  let shallowCount = 0;
  while (shallowCount < plainCount && depth[denseNode[shallowCount]] <= SHALLOW_DEPTH) shallowCount++;
  const hot = (u: number): number => (rowOf[u] >= 0 ? indexOfPos[rowOf[u]] * classCount : denseLimit + u);

  // Renumber the rows in place (no second copy of the largest table): plain
  // rows only move towards the front; matching rows go aside, then to the end.
  const matchingRows = new Int32Array((denseCount - plainCount) * classCount);
  for (let j = 0; j < denseCount; j++) {
    const idx = indexOfPos[j];
    if (idx >= plainCount) matchingRows.set(rows.subarray(j * classCount, (j + 1) * classCount), (idx - plainCount) * classCount);
    else if (idx !== j) rows.copyWithin(idx * classCount, j * classCount, (j + 1) * classCount);
  }
  const dense = rows.length === denseLimit ? rows : rows.slice(0, denseLimit);
  dense.set(matchingRows, plainLimit);
  for (let i = 0; i < denseLimit; i++) dense[i] = hot(dense[i]);
  for (let u = 0; u < nodeCount; u++) {
    fail[u] = hot(fail[u]);
    if (out[u] >= 0) firstEdge[u] |= ENDS;
  }

  // --- 5. the scan's table of sparse states' other children, as hot ids ------
  // Only sparse parents need it (dense rows are complete). A sparse state
  // whose first child is dense (a branching state) moves that edge here too,
  // so following a first edge at scan time is always `+ 1` in sparse ids.
  let scanExtras = 0;
  for (let e = 0; e < extraCount; e++) if (rowOf[extras[3 * e]] < 0) scanExtras++;
  for (let u = 0; u < nodeCount; u++) if (rowOf[u] < 0 && firstEdge[u] & HAS_FIRST && rowOf[u + 1] >= 0) scanExtras++;
  let scanSize = 16;
  while (scanSize < 2 * scanExtras) scanSize *= 2;
  const extraNode = new Int32Array(scanSize).fill(-1);
  const extraClass = new Uint16Array(scanSize);
  const extraChild = new Int32Array(scanSize);
  const insert = (parent: number, cls: number, child: number): void => {
    let slot = extraSlot(parent, cls, scanSize - 1);
    while (extraNode[slot] !== -1) slot = (slot + 1) & (scanSize - 1);
    extraNode[slot] = parent;
    extraClass[slot] = cls;
    extraChild[slot] = hot(child);
  };
  for (let e = 0; e < extraCount; e++) if (rowOf[extras[3 * e]] < 0) insert(extras[3 * e], extras[3 * e + 1], extras[3 * e + 2]);
  for (let u = 0; u < nodeCount; u++) {
    const fe = firstEdge[u];
    if (rowOf[u] < 0 && fe & HAS_FIRST && rowOf[u + 1] >= 0) {
      insert(u, classOf[fe & FIRST_BYTE], u + 1);
      firstEdge[u] = (fe & ~(HAS_FIRST | FIRST_BYTE)) | HAS_EXTRA;
    }
  }
  // Labels, and RUN4 where four plain steps follow: from the last node back
  // (a run continues at u + 1), counting runs up to 4 in a transient array.
  const label = new Uint8Array(nodeCount + 4);
  const run = new Uint8Array(nodeCount + 1);
  for (let u = nodeCount - 2; u >= 0; u--) {
    const fe = firstEdge[u];
    if (!(fe & HAS_FIRST)) continue;
    label[u] = fe & FIRST_BYTE;
    if (rowOf[u] < 0 && !(firstEdge[u + 1] & ENDS)) run[u] = Math.min(4, 1 + run[u + 1]);
    if (run[u] >= 4) firstEdge[u] |= RUN4;
  }
  const unique = keys.map((k) => patterns[firstIndex.get(k) as number]);
  const filter = options.skip === false ? null : buildGramFilter(unique, minLen);

  const tables: AutomatonTables = {
    classCount,
    classOf,
    dense,
    plainLimit,
    denseLimit,
    shallowLimit: shallowCount * classCount,
    denseNode,
    denseOut,
    firstEdge,
    label,
    fail,
    out,
    depth,
    extraNode,
    extraClass,
    extraChild,
    nodeCount,
    patternCount: keys.length,
    maxPatternLength: maxLen,
    filter,
  };
  return new Automaton(tables);
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
