// The markdown report printed on stdout (and saved next to the JSON).
import { fmtMbps } from './targets.mjs';

const MIB = 2 ** 20;
const fmtN = (n) => (n === undefined || n === null ? '—' : n.toLocaleString('en-US'));
const fmtMiB = (b) => {
  const m = b / MIB;
  return m >= 1 ? `${+m.toFixed(m >= 10 ? 0 : 1)} MiB` : `${Math.round(b / 1024)} KiB`;
};
const fmtRel = (v) => (!Number.isFinite(v) ? 'n/a' : v >= 10 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(3) : v.toPrecision(2));
const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
/** Escapes `|` for a markdown table cell. */
const cell = (s) => String(s).replace(/\|/g, '\\|');

function checkCells(r) {
  if (!r.check) return r.noCheck ? ['n/a', 'n/a'] : ['—', '—'];
  return [String(r.check.leaks) + ` / ${r.check.planted}`, r.check.identical ? 'yes' : `**no** (${r.check.outBytes - r.check.refBytes >= 0 ? '+' : ''}${r.check.outBytes - r.check.refBytes} B)`];
}

export function renderMarkdown(results) {
  const { meta } = results;
  const m = meta.machine;
  const L = [];
  L.push(`# scrub-filter benchmark${meta.quick ? ' (quick mode: small input, few rounds — smoke test, not for comparison)' : ''}`);
  L.push('');
  L.push(`${meta.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} (V8 ${m.v8}) · ${m.platform} · load average at start ${m.loadavg.join(' ')}, at end ${meta.loadavgEnd.join(' ')} · took ${meta.durationS.toFixed(0)} s · engine dist ${meta.engine?.sha256 ?? 'missing'} (built ${meta.engine?.newestFile ?? '?'})${meta.distChangedDuringRun ? ' (a snapshot: dist/ was rebuilt during the run)' : ''}`);
  L.push('');
  L.push(`Input: ${fmtMiB(meta.inputBytes)} of generated log-like text (seed 0x${meta.seed.toString(16)}; ${meta.plantsInInput} planted secrets, a quarter across chunk boundaries, plus near misses), fed in ${meta.chunk / 1024} KiB chunks. Secrets: random 20–40 byte tokens; the set of N is the first N of one list. MB/s = 10^6 bytes/s of input, median of the timed rounds (each contender in a fresh \`node --expose-gc\` process, warm-up round(s) first, gc between rounds; ${meta.passes > 1 ? `${meta.passes} passes (${meta.config.heavyPasses} for 100,000 secrets), each a fresh process per row, every other pass in reverse order; peers one pass` : 'one pass'}; every process warms up on the same ramp of growing prefixes). *Input* < the full size means the row ran on a prefix (size chosen so that a round takes ~${meta.peerRoundMs / 1000} s). *leaks / planted* and *= ref* come from a separate, untimed correctness run of the same contender on a ${fmtMiB(meta.checkBytes)} check text with dense plants (${meta.checkPlants}, a quarter across chunk boundaries; cut to the row's input size when that is smaller): occurrences of planted secrets of that set left in the output / planted, and whether the output is byte-identical to the expected one (each planted secret replaced by \`***\`, nothing else changed; the detection-on rows say no by design: the check text prints some near misses as \`Authorization: Bearer <near miss>\`, which detection masks as credentials nobody registered). *× JS loop (paired)*: every round is bracketed by a run of the per-byte JS loop over ${fmtMiB(meta.config.fast.probeBytes)} in the same process; this column is the median of (round MB/s ÷ loop MB/s around it). It cancels most of the machine's load swings, so the targets use it for ratios between rows. Peak RSS (VmHWM) includes the ${fmtMiB(meta.inputBytes)} input held in memory.`);
  L.push('');
  L.push('## Throughput');
  L.push('');
  L.push('| Contender | Secrets | Variants | Input | MB/s (median) | min–max | IQR | × JS loop (paired) | Rounds | Setup ms | Peak RSS MiB | leaks / planted | = ref |');
  L.push('|---|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const r of results.throughput) {
    const vcell = r.group === 'scrub-filter' ? (r.variants ? 'on' : 'off') : '—';
    const ncell = r.group === 'ceiling' ? (r.contender === 'ceil-indexof' ? '1' : '—') : fmtN(r.n);
    if (!r.mbps) {
      L.push(`| ${cell(r.label)} | ${ncell} | ${vcell} | — | ${r.error ? `not available: ${cell(r.error.slice(0, 160))}` : 'not run'} | | | | | | | | |`);
      continue;
    }
    const s = r.mbps;
    const [leaks, same] = checkCells(r);
    L.push(
      `| ${cell(r.label)} | ${ncell} | ${vcell} | ${fmtMiB(r.bytes)}${r.bytes < meta.inputBytes ? ' (prefix)' : ''} | **${fmtMbps(s.median)}** | ${fmtMbps(s.min)}–${fmtMbps(s.max)} | ${fmtMbps(s.q1)}–${fmtMbps(s.q3)} | ${fmtRel(r.rel?.median)} | ${s.n} | ${r.setupMs.toFixed(0)} | ${f1(r.rssPeakMiB)} | ${leaks} | ${same} |`,
    );
  }
  L.push('');
  L.push('## Build (variants on unless noted)');
  L.push('');
  L.push('| Secrets | How | Patterns | Time ms (median) | min–max (fresh processes) | Retained heap MiB (heapUsed + arrayBuffers, after gc) | Peak RSS growth MiB |');
  L.push('|---:|---|---:|---:|---:|---:|---:|');
  for (const b of results.build) {
    if (!b.ok) {
      L.push(`| ${fmtN(b.n)} | ${b.how} | not available: ${cell(b.error?.slice(0, 120))} | | | | |`);
      continue;
    }
    const how = b.how === 'add' ? `${fmtN(b.n)}× \`add()\` (${b.addMs.toFixed(0)} ms) + first write (${b.firstWriteMs.toFixed(0)} ms)` : '`createScrubber({ secrets })` + first write';
    L.push(`| ${fmtN(b.n)} | ${how}${b.variants ? '' : ', variants off'} | ${fmtN(b.patternCount)} | ${b.ms.toFixed(0)} | ${b.runs.length > 1 ? `${b.msMin.toFixed(0)}–${b.msMax.toFixed(0)} (${b.runs.length})` : '(1 run)'} | ${f1(b.retainedMiB)} | ${f1(b.rssDeltaMiB)} |`);
  }
  L.push('');
  const a = results.add;
  L.push('## One `add()` to a live 10,000-secret scrubber (variants on)');
  L.push('');
  if (!a || !a.ok) {
    L.push(`not available${a?.error ? `: ${a.error.slice(0, 200)}` : ''}`);
  } else {
    L.push(`| Normal 64 KiB chunk ms (median) | \`add()\` ms (median / max) | Next chunk ms (median / max) | Extra = add + next − normal, ms (median / max) | Worst later chunk ms (deferred work) | Adds |`);
    L.push('|---:|---:|---:|---:|---:|---:|');
    L.push(`| ${a.normalMs.median.toFixed(2)} | ${a.addMs.median.toFixed(2)} / ${a.addMs.max.toFixed(2)} | ${a.nextMs.median.toFixed(2)} / ${a.nextMs.max.toFixed(2)} | ${a.extraMs.median.toFixed(2)} / ${a.extraMs.max.toFixed(2)} | ${a.worstLaterMs.toFixed(2)} (after add #${a.worstLaterAfterAdd + 1}) | ${a.extraMs.n} |`);
    if (a.bursts?.length) {
      L.push('');
      L.push('Then bursts of adds with no write in between (the next chunk pays for all of them), each followed by single adds on the grown set:');
      L.push('');
      L.push('| Burst | Secrets / patterns after | `add()` calls ms | Next chunk ms | Worst of the next chunks ms | Single adds after it: extra ms (median / max) |');
      L.push('|---:|---:|---:|---:|---:|---:|');
      for (const b of a.bursts) {
        const later = b.laterMs.length ? Math.max(...b.laterMs).toFixed(2) : '—';
        L.push(`| ${fmtN(b.size)} adds | ${fmtN(b.secretsAfter)} / ${fmtN(b.patternsAfter)} | ${b.addMs.toFixed(1)} | ${b.nextMs.toFixed(1)} | ${later} | ${b.singlesExtraMs.n ? `${b.singlesExtraMs.median.toFixed(2)} / ${b.singlesExtraMs.max.toFixed(2)}` : '—'} |`);
      }
    }
  }
  L.push('');
  if (results.adversarial?.length) {
    L.push('## Adversarial inputs (ratio to ordinary log text in the same process)');
    L.push('');
    L.push('`bench/adversarial.mjs`: each adversarial round sits between two rounds of ordinary text in the same process; *ratio* is the median of adversarial MB/s ÷ ordinary MB/s around it. *matcher* = `Automaton.scan` alone over the patterns (variants on: what `expandSecret` produces); *session* = `session().writeEach()` (adds masking, holdback and, with variants, the wrapped-base64 lane). Target (issue 12): ≥ 0.25× at 1,000 secrets, ≥ 0.15× at 10,000, variants on.');
    L.push('');
    L.push('| Input | Layer | Secrets | Variants | MB/s | ordinary MB/s | ratio |');
    L.push('|---|---|---:|:---:|---:|---:|---:|');
    for (const r of results.adversarial) {
      if (r.build && r.build !== 'current') continue;
      L.push(`| ${r.input} | ${r.layer} | ${fmtN(r.n)} | ${r.variants ? 'on' : 'off'} | ${fmtMbps(r.mbps)} | ${fmtMbps(r.ordinaryMbps)} | ${r.ratio.toFixed(3)} |`);
    }
    L.push('');
  }
  if (results.ab?.length) {
    L.push('## Same-process A/B (the ratio targets between scrub-filter rows)');
    L.push('');
    L.push('`bench/ab.mjs`: the two configurations of each pair run alternately in one process (`stream()`, the bench log, 64 KiB chunks); *ratio* is the median of per-round ratios. The JS loop the paired column divides by runs at one of two speeds from one process to the next on this machine, which moves paired ratios between rows; this comparison shares one process. It informs: the targets table keeps the paired verdict.');
    L.push('');
    L.push('| Pair | ratio (median) | IQR | MB/s B / A | Rounds × input | Target |');
    L.push('|---|---:|---:|---:|---:|---:|');
    for (const r of results.ab) L.push(`| ${cell(r.name)} | **${r.ratio.toFixed(2)}** | ${r.q1.toFixed(2)}–${r.q3.toFixed(2)} | ${fmtMbps(r.mbpsB)} / ${fmtMbps(r.mbpsA)} | ${r.rounds} × ${fmtMiB(r.bytes)} | ≥ ${r.target} |`);
    L.push('');
  }
  if (results.mergeStall?.length) {
    L.push('## Merge stall (longest write while secrets keep being added)');
    L.push('');
    L.push('`bench/merge-stall.mjs`: one `add()` then one 64 KiB write, repeatedly, the event loop turning in between, through mid→base merges; merges in place (`sync`) and in the worker thread (`worker`), same process. Target (issue 12): no write blocked > 20 ms by a merge.');
    L.push('');
    L.push('| Merges | Secrets + adds | Patterns after | Worst write ms | p99 ms | median ms | level drops (merges landed) |');
    L.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const m of results.mergeStall) L.push(`| ${m.mode} | ${fmtN(m.n)} + ${fmtN(m.adds)} | ${fmtN(m.patterns)} | ${m.worstMs.toFixed(1)} | ${m.p99Ms.toFixed(2)} | ${m.medianMs.toFixed(2)} | ${m.levelDrops} |`);
    L.push('');
  }
  L.push(`## CLI (${fmtMiB(meta.cliBytes)} file, wall time of the whole pipeline)`);
  L.push('');
  L.push('| Pipeline | Wall s (median) | min–max | MB/s | Peak RSS MiB | leaks / planted | = ref |');
  L.push('|---|---:|---:|---:|---:|---:|:---:|');
  for (const c of results.cli ?? []) {
    if (c.unavailable || !c.wallMs.n) {
      L.push(`| ${cell(c.label)} | not available: ${cell((c.unavailable ?? c.failures.join('; ')).slice(0, 160))} | | | | | |`);
      continue;
    }
    const [leaks, same] = c.check ? checkCells(c) : ['—', '—'];
    L.push(`| ${cell(c.label)} | ${(c.wallMs.median / 1000).toFixed(2)} | ${(c.wallMs.min / 1000).toFixed(2)}–${(c.wallMs.max / 1000).toFixed(2)} | **${fmtMbps(c.mbps.median)}** | ${c.rssMiB === null ? 'n/a' : c.rssMiB.toFixed(1)} | ${leaks} | ${same} |`);
  }
  L.push('');
  L.push('## Targets (issues 5, 8 and 11), from this run');
  L.push('');
  L.push('| Target | This run | Needed | Result | Detail |');
  L.push('|---|---:|---:|:---:|---|');
  for (const t of results.targets) {
    L.push(`| ${cell(t.name)} | ${t.shown} | ${t.op} ${t.limit} | ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : '**MISS**'} | ${t.detail} |`);
  }
  if (meta.quick) {
    L.push('');
    L.push('_Quick mode: figures are indicative only; the targets are evaluated for the smoke test, not asserted._');
  }
  L.push('');
  L.push(`Reproduce: \`npm run bench\` (full, ~10 min) or \`npm run bench -- --quick\`. Raw numbers: \`bench/results/${meta.quick ? 'latest-quick' : 'latest'}.json\`.`);
  return L.join('\n');
}
