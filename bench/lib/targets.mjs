import { detectTargets } from './detect-bench.mjs';
// The targets of issues 5, 8 and 11, evaluated on one run's numbers (ratios inside one run).

export const SECRET_COUNTS = [1, 10, 100, 1_000, 10_000, 100_000];
export const PEER_COUNTS = [10, 100, 1_000];

export function findRow(results, contender, n, variants) {
  return results.throughput.find(
    (r) => r.contender === contender && (n === undefined || r.n === n) && (variants === undefined || r.variants === variants) && r.mbps,
  );
}

const med = (row) => row?.mbps?.median;

function check(name, value, op, limit, detail, fmt = (v) => v.toFixed(2), rawValue) {
  const known = Number.isFinite(value);
  const ok = (v) => (op === '>=' ? v >= limit : v <= limit);
  const pass = known && ok(value);
  // When the raw ratio of medians disagrees with the paired verdict, say so.
  if (known && Number.isFinite(rawValue) && ok(rawValue) !== pass) detail += ` — **the raw ratio (${fmt(rawValue)}) would ${ok(rawValue) ? 'PASS' : 'MISS'}**`;
  return { name, value: known ? value : null, rawValue: Number.isFinite(rawValue) ? rawValue : null, op, limit, pass: known ? pass : null, shown: known ? fmt(value) : 'n/a', detail };
}

const rel = (row) => row?.rel?.median;
const paired = (a, b) => `paired ${(rel(a) / rel(b)).toFixed(2)}; raw medians ${fmtMbps(med(a))} / ${fmtMbps(med(b))} MB/s = ${(med(a) / med(b)).toFixed(2)}`;

/**
 * Ratios between rows use the paired figures (each round's MB/s divided by the
 * JS-loop probe timed around it in the same process), which cancel most of
 * the machine's load swings; the raw ratio of medians is shown beside it.
 */
export function evaluateTargets(results) {
  const out = [];
  const sf1000 = findRow(results, 'sf-stream', 1000, true);
  const loop = findRow(results, 'ceil-loop');
  out.push(check('1,000 secrets, variants on: `stream()` / per-byte JS loop', rel(sf1000), '>=', 0.6,
    sf1000 ? `paired (= × JS loop); raw medians ${fmtMbps(med(sf1000))} / ${fmtMbps(med(loop))} MB/s = ${(med(sf1000) / med(loop)).toFixed(2)}` : 'no row', undefined, med(sf1000) / med(loop)));

  const peers1000 = results.throughput.filter((r) => r.group === 'peer' && r.n === 1000 && !r.otherInput && r.rel);
  const fastest = peers1000.sort((a, b) => b.rel.median - a.rel.median)[0];
  out.push(check('1,000 secrets, variants on: `stream()` / fastest peer at 1,000 (same input)', rel(sf1000) / rel(fastest), '>=', 50,
    fastest ? `${fastest.contender}: ${paired(sf1000, fastest)}` : 'no peer row', (v) => v.toFixed(1), med(sf1000) / med(fastest)));

  // The lanes issue (8): every variant and lane on costs at most 1/0.7 of the exact scan alone.
  const off1000 = findRow(results, 'sf-stream', 1000, false);
  out.push(check('1,000 secrets: variants on (all lanes) / variants off (issue 8)', rel(sf1000) / rel(off1000), '>=', 0.7,
    sf1000 && off1000 ? paired(sf1000, off1000) : 'no row', undefined, med(sf1000) / med(off1000)));

  for (const variants of [true, false]) {
    const at = (n) => findRow(results, 'sf-stream', n, variants);
    const v = variants ? 'on' : 'off';
    out.push(check(`Flatness, variants ${v}: 10,000 / 10 secrets`, rel(at(10_000)) / rel(at(10)), '>=', 0.5, at(10_000) && at(10) ? paired(at(10_000), at(10)) : 'n/a', undefined, med(at(10_000)) / med(at(10))));
    out.push(check(`Flatness, variants ${v}: 100,000 / 10 secrets`, rel(at(100_000)) / rel(at(10)), '>=', 0.25, at(100_000) && at(10) ? paired(at(100_000), at(10)) : 'n/a', undefined, med(at(100_000)) / med(at(10))));
  }

  const b10k = results.build.find((b) => b.n === 10_000 && b.how === 'constructor' && b.ok);
  const b100k = results.build.find((b) => b.n === 100_000 && b.how === 'constructor' && b.ok);
  out.push(check('Register 10,000 secrets (variants on): time', b10k?.ms, '<=', 1000, b10k ? `median of ${b10k.runs.length} fresh processes (min ${b10k.msMin.toFixed(0)}, max ${b10k.msMax.toFixed(0)} ms); \`createScrubber({secrets})\` + first write` : 'n/a', (v) => `${v.toFixed(0)} ms`));
  out.push(check('Register 10,000 secrets (variants on): retained heap', b10k?.retainedMiB, '<=', 64, 'MiB, heapUsed + arrayBuffers after gc', (v) => `${v.toFixed(1)} MiB`));
  out.push(check('Register 100,000 secrets (variants on): retained heap', b100k?.retainedMiB, '<=', 512, 'MiB', (v) => `${v.toFixed(1)} MiB`));

  const add = results.add;
  out.push(check('One `add()` to a 10,000-secret scrubber: extra time of the next 64 KiB chunk (worst of all adds)', add?.extraMs?.max, '<=', 20,
    add?.extraMs ? `median ${add.extraMs.median.toFixed(2)} ms over ${add.extraMs.n} adds` : '', (v) => `${v.toFixed(2)} ms`));

  const after = add?.bursts?.filter((b) => b.singlesExtraMs?.n) ?? [];
  if (after.length) {
    const worst = Math.max(...after.map((b) => b.singlesExtraMs.max));
    out.push(check('(stricter reading) the same, for single adds after bursts of adds (many recent additions not yet merged)', worst, '<=', 20,
      `after ${after.map((b) => `${b.secretsAfter.toLocaleString('en-US')} secrets`).join(', ')}`, (v) => `${v.toFixed(2)} ms`));
  }
  const cliSf = results.cli?.find((r) => r.id === 'cli-sf');
  const cliNode = results.cli?.find((r) => r.id === 'cli-node');
  out.push(check('CLI, 1,000 secrets: MB/s / bare Node pass-through process', cliSf?.mbps?.median / cliNode?.mbps?.median, '>=', 0.7,
    cliSf?.unavailable ? `CLI not available: ${cliSf.unavailable}` : `${fmtMbps(cliSf?.mbps?.median)} / ${fmtMbps(cliNode?.mbps?.median)} MB/s`));
  out.push(...detectTargets(results, findRow));
  return out;
}

export function fmtMbps(v) {
  if (!Number.isFinite(v)) return 'n/a';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}
