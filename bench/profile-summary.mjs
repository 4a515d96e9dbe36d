#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and total time per
// function, top N. Usage: node bench/profile-summary.mjs FILE.cpuprofile [N] [filter]
// `filter` (a substring of the script URL) restricts the table to matching frames.
import { readFileSync } from 'node:fs';

export function summarise(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Self samples per node, from the samples/timeDeltas arrays.
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  let total = 0;
  for (const v of selfUs.values()) total += v;
  const key = (n) => {
    const f = n.callFrame;
    const url = (f.url || '').replace(/^file:\/\//, '');
    return `${f.functionName || '(anonymous)'} ${url ? url.split('/').slice(-2).join('/') + ':' + (f.lineNumber + 1) : ''}`.trim();
  };
  const self = new Map();
  const incl = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    const k = key(n);
    self.set(k, (self.get(k) ?? 0) + us);
    // Inclusive: credit every distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(nodes.get(cur));
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + us);
    }
  }
  return { totalUs: total, self, incl };
}

/**
 * Hottest source lines of the functions with the most self time (V8 records
 * per-line ticks in `positionTicks`): [{ fn, share, lines: [{ line, share, text }] }].
 */
export function hotLines(profile, { functions = 3, lines = 6, filter } = {}) {
  const byFn = new Map();
  const { self, totalUs } = summarise(profile);
  const perTick = totalUs / Math.max(1, profile.samples.length);
  for (const n of profile.nodes) {
    if (!n.positionTicks) continue;
    const f = n.callFrame;
    const url = (f.url || '').replace(/^file:\/\//, '');
    const k = `${f.functionName || '(anonymous)'} ${url ? url.split('/').slice(-2).join('/') + ':' + (f.lineNumber + 1) : ''}`.trim();
    if (filter && !k.includes(filter)) continue;
    const e = byFn.get(k) ?? { url, ticks: new Map() };
    for (const pt of n.positionTicks) e.ticks.set(pt.line, (e.ticks.get(pt.line) ?? 0) + pt.ticks);
    byFn.set(k, e);
  }
  const top = [...byFn.keys()].sort((a, b) => (self.get(b) ?? 0) - (self.get(a) ?? 0)).slice(0, functions);
  return top.map((fn) => {
    const { url, ticks } = byFn.get(fn);
    let src = [];
    try {
      src = readFileSync(url, 'utf8').split('\n');
    } catch {}
    const sorted = [...ticks.entries()].sort((a, b) => b[1] - a[1]).slice(0, lines);
    return {
      fn,
      share: (self.get(fn) ?? 0) / totalUs,
      lines: sorted.map(([line, t]) => ({ line, share: (t * perTick) / totalUs, text: (src[line - 1] ?? '').trim().slice(0, 120) })),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, nArg, filter] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [N] [url-filter]');
    process.exit(2);
  }
  const top = Number(nArg ?? 25);
  const { totalUs, self, incl } = summarise(JSON.parse(readFileSync(file, 'utf8')));
  const rows = [...self.entries()].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`total sampled: ${(totalUs / 1000).toFixed(0)} ms`);
  console.log('| self % | self ms | total % | function |');
  console.log('|---:|---:|---:|---|');
  for (const [k, us] of rows) {
    console.log(`| ${((100 * us) / totalUs).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${((100 * (incl.get(k) ?? 0)) / totalUs).toFixed(1)} | \`${k}\` |`);
  }
}
