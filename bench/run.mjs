#!/usr/bin/env node
// `npm run bench` — throughput, build, add() and CLI figures for scrub-filter
// beside the machine's ceilings and peer libraries, all in one run.
//
//   node bench/run.mjs [--quick] [--only REGEX] [--no-cli] [--passes N] [--keep-tmp]
//
// --only runs the throughput rows whose id matches (plus build/add/cli if the
// regex matches those words) and writes bench/results/partial.*; --keep-tmp
// keeps the generated input and the engine snapshot.
//
// Markdown table on stdout, progress on stderr, raw JSON + SVG chart under
// bench/results/. Each contender runs in a fresh child process (bench/lib/child.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync, readdirSync, readFileSync, statSync, cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHUNK, MIB, MAX_SECRETS, SEED, generateLog, makeSecrets } from './lib/gen.mjs';
import { CONTENDERS } from './lib/contenders.mjs';
import { addDetectJobs } from './lib/detect-bench.mjs';
import { machineInfo } from './lib/machine.mjs';
import { summary } from './lib/stats.mjs';
import { cliBench } from './lib/cli-bench.mjs';
import { evaluateTargets, SECRET_COUNTS, PEER_COUNTS, fmtMbps } from './lib/targets.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { renderSvg } from './lib/svg.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CHILD = join(HERE, 'lib/child.mjs');
const RESULTS = join(HERE, 'results');
const ENGINE = join(HERE, '../dist/index.js');
const CHECK_BYTES = 1 * MIB;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-cli': { type: 'boolean', default: false },
    passes: { type: 'string' },
    'keep-tmp': { type: 'boolean', default: false },
  },
});
const quick = args.quick;

// ---- configuration ---------------------------------------------------------
const CFG = quick
  ? {
      inputBytes: 8 * MIB,
      cliBytes: 16 * MIB,
      passes: Number(args.passes ?? 1),
      heavyPasses: 1,
      sfCounts: [10, 1_000, 10_000],
      peerCounts: [1_000],
      fast: { roundMs: 1500, calibrateMs: 60, budgetMs: 200, minRounds: 3, maxRounds: 5, minBytes: CHUNK, checkMinBytes: CHUNK, probeBytes: 4 * MIB },
      peer: { roundMs: 100, calibrateMs: 40, budgetMs: 200, minRounds: 2, maxRounds: 3, minBytes: 16 * 1024, checkMinBytes: 16 * 1024, probeBytes: 4 * MIB },
      build: [{ n: 10_000, how: 'constructor', variants: true, repeat: 1 }],
      add: { n: 10_000, adds: 3, between: 4, after: 2, bursts: [100], singlesAfterBurst: 2, inputBytes: 2 * MIB },
      cliRounds: 1,
      timeoutMs: 60_000,
      adversarial: [['--n', '1000', '--mib', '1', '--rounds', '1', '--layer', 'matcher', '--shared-prefix', '0']],
      mergeStall: ['--n', '2000', '--adds', '100'],
      ab: ['--mib', '2', '--rounds', '3'],
    }
  : {
      inputBytes: 64 * MIB,
      cliBytes: 256 * MIB,
      passes: Number(args.passes ?? 4),
      heavyPasses: 2, // rows with 100,000 secrets (a build takes 10-30 s here)
      sfCounts: SECRET_COUNTS,
      peerCounts: PEER_COUNTS,
      fast: { roundMs: 4000, calibrateMs: 250, budgetMs: 1500, minRounds: 3, maxRounds: 10, minBytes: CHUNK, checkMinBytes: CHUNK, probeBytes: 16 * MIB },
      peer: { roundMs: 700, calibrateMs: 250, budgetMs: 2500, minRounds: 3, maxRounds: 6, minBytes: CHUNK, checkMinBytes: CHUNK, probeBytes: 16 * MIB },
      build: [
        { n: 1_000, how: 'constructor', variants: true, repeat: 3 },
        { n: 10_000, how: 'constructor', variants: true, repeat: 3 },
        { n: 100_000, how: 'constructor', variants: true, repeat: 1 },
        { n: 10_000, how: 'constructor', variants: false, repeat: 1 },
        { n: 100_000, how: 'constructor', variants: false, repeat: 1 },
        { n: 1_000, how: 'add', variants: true, repeat: 1 },
        { n: 10_000, how: 'add', variants: true, repeat: 1 },
      ],
      add: { n: 10_000, adds: 30, between: 8, after: 4, bursts: [1_000, 300], singlesAfterBurst: 5, inputBytes: 16 * MIB },
      cliRounds: 3,
      timeoutMs: 300_000,
      adversarial: [
        ['--n', '1000', '--mib', '4', '--rounds', '5', '--layer', 'both', '--shared-prefix', '100000'],
        ['--n', '10000', '--mib', '4', '--rounds', '3', '--layer', 'both', '--shared-prefix', '0'],
      ],
      mergeStall: ['--n', '10000', '--adds', '1500'],
      ab: ['--mib', '16', '--rounds', '15'],
    };

const log = (msg) => process.stderr.write(msg + '\n');
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)}s`;

// ---- jobs --------------------------------------------------------------------
function throughputJobs() {
  const jobs = [];
  const add = (contender, n, variants, cls) =>
    jobs.push({
      id: `${contender} n=${n}${variants === undefined ? '' : variants ? ' on' : ' off'}`,
      contender,
      n,
      variants,
      cls,
      passes: cls === 'peer' ? 1 : n >= 100_000 ? Math.min(CFG.heavyPasses, CFG.passes) : CFG.passes,
    });
  add('ceil-passthrough', 1, undefined, 'fast');
  add('ceil-loop', 1, undefined, 'fast');
  add('ceil-indexof', 1, undefined, 'fast');
  for (const variants of [false, true]) for (const n of CFG.sfCounts) add('sf-stream', n, variants, 'fast');
  add('sf-transform', 1000, true, 'fast');
  add('sf-through2', 1000, true, 'fast');
  add('sf-session', 1000, true, 'fast');
  add('sf-scrub-bytes', 1000, true, 'fast');
  add('sf-scrub-string', 1000, true, 'fast');
  addDetectJobs(add);
  for (const contender of ['peer-string-replace', 'peer-replacestream-re', 'peer-replacestream-chain', 'peer-monyone-stream', 'peer-modern-replace', 'peer-modern-replace-ascii', 'peer-modern-stream']) {
    let counts = CFG.peerCounts;
    if (contender === 'peer-replacestream-chain') counts = quick ? [10] : [10, 100];
    if (contender === 'peer-modern-stream' && !quick) counts = [10, 1000]; // ~5 s per 64 KiB chunk: two points only
    for (const n of counts) add(contender, n, undefined, 'peer'); // no chain of 1,000 streams: see the report
  }
  return args.only ? jobs.filter((j) => new RegExp(args.only).test(j.id)) : jobs;
}

/** Runs a bench script in a fresh process; its stdout's last line is JSON. */
function runScript(file, argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CFG.timeoutMs * 4);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ ok: true, value: JSON.parse(out.trim().split('\n').pop()) });
      } catch {
        resolve({ ok: false, error: `exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

function runChild(job) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CFG.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({ ok: false, error: signal === 'SIGKILL' ? `timeout after ${CFG.timeoutMs / 1000} s` : `child exited ${code} ${signal ?? ''}: ${err.trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

/** Fingerprint of the built engine the run measured (dist/ may be rebuilt by others while we run). */
function distFingerprint(dist = join(HERE, '../dist')) {
  if (!existsSync(dist)) return null;
  const hash = createHash('sha256');
  let newest = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) {
        hash.update(name).update(readFileSync(p));
        newest = Math.max(newest, statSync(p).mtimeMs);
      }
    }
  };
  walk(dist);
  return { sha256: hash.digest('hex').slice(0, 16), newestFile: new Date(newest).toISOString() };
}

// ---- main ----------------------------------------------------------------------
const machine = machineInfo();
log(`scrub-filter bench${quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadavg.join(' ')}`);
if (!existsSync(ENGINE)) log(`warning: ${ENGINE} not found (run npm run build); scrub-filter rows will say "not available"`);

// Snapshot dist/ so that every row (and the CLI) runs the same engine even if
// someone rebuilds dist/ meanwhile. Inside bench/results/ (ignored: *.tmp) so
// that node_modules resolve as from dist/.
const snapshot = join(RESULTS, `engine-${process.pid}.tmp`);
if (existsSync(ENGINE)) {
  // Not in the middle of a rebuild: dist/ untouched for 3 s, and the copy equals the original.
  for (let attempt = 0; ; attempt++) {
    const fp = distFingerprint();
    const age = Date.now() - Date.parse(fp.newestFile);
    if (age < 3000 && attempt < 20) {
      await new Promise((r) => setTimeout(r, 3000 - age + 100));
      continue;
    }
    rmSync(snapshot, { recursive: true, force: true });
    cpSync(join(HERE, '../dist'), join(snapshot, 'dist'), { recursive: true, preserveTimestamps: true });
    copyFileSync(join(HERE, '../package.json'), join(snapshot, 'package.json'));
    if (distFingerprint(join(snapshot, 'dist'))?.sha256 === distFingerprint()?.sha256 || attempt >= 20) break;
  }
  process.env.SCRUB_BENCH_DIST = join(snapshot, 'dist');
}
const tmp = mkdtempSync(join(tmpdir(), 'scrub-bench-'));
log(`generating ${CFG.cliBytes / MIB} MiB of log text and ${MAX_SECRETS.toLocaleString('en-US')} secrets in ${tmp} ...`);
const allSecrets = makeSecrets(MAX_SECRETS, SEED);
const { buf: bigInput, plants } = generateLog({ bytes: CFG.cliBytes, secrets: allSecrets, seed: SEED });
writeFileSync(join(tmp, 'input.log'), bigInput);
writeFileSync(join(tmp, 'secrets.txt'), allSecrets.join('\n'));
writeFileSync(join(tmp, 'plants.json'), JSON.stringify(plants));
// The correctness check input: 1 MiB, dense plants (~1 per 4 KiB, a quarter of them across chunk boundaries).
const checkLog = generateLog({ bytes: CHECK_BYTES, secrets: allSecrets, seed: SEED + 1, plantEvery: 4096 });
writeFileSync(join(tmp, 'check.log'), checkLog.buf);
writeFileSync(join(tmp, 'check-plants.json'), JSON.stringify(checkLog.plants));
log(`  done (${elapsed()}): ${plants.length} plants in the CLI file, ${plants.filter((p) => p.at + p.len <= CFG.inputBytes).length} in the ${CFG.inputBytes / MIB} MiB throughput input`);

const results = {
  meta: {
    date: new Date().toISOString(),
    quick,
    machine,
    engine: existsSync(snapshot) ? distFingerprint(join(snapshot, 'dist')) : null,
    seed: SEED,
    inputBytes: CFG.inputBytes,
    cliBytes: CFG.cliBytes,
    chunk: CHUNK,
    passes: CFG.passes,
    peerRoundMs: CFG.peer.roundMs,
    config: CFG,
    plantsInInput: plants.filter((p) => p.at + p.len <= CFG.inputBytes).length,
    checkBytes: CHECK_BYTES,
    checkPlants: checkLog.plants.length,
  },
  throughput: [],
  build: [],
  add: null,
  adversarial: [],
  mergeStall: null,
  ab: [],
  cli: [],
  targets: [],
};

try {
  // Throughput: pass 1 in order, later passes (fast rows only) alternately reversed.
  const jobs = throughputJobs();
  const state = new Map(jobs.map((j) => [j.id, { job: j, ms: [], probe: [], bytes: undefined, setupMs: [], rssPeak: [], rssBase: [], check: null, error: null }]));
  for (let pass = 0; pass < CFG.passes; pass++) {
    let list = jobs.filter((j) => pass < j.passes);
    if (pass % 2 === 1) list = list.reverse();
    for (const [i, j] of list.entries()) {
      const st = state.get(j.id);
      if (st.error) continue;
      const p = CFG[j.cls];
      const res = await runChild({
        kind: 'throughput',
        dir: tmp,
        contender: j.contender,
        n: j.n,
        variants: j.variants ?? false,
        maxBytes: CFG.inputBytes,
        bytes: st.bytes,
        verify: pass === 0,
        ...p,
      });
      if (!res.ok) {
        st.error = res.error;
        log(`[${elapsed()}] pass ${pass + 1} ${i + 1}/${list.length} ${j.id}: ERROR ${res.error}`);
        continue;
      }
      st.bytes = res.bytes;
      st.ms.push(...res.ms);
      st.probe.push(...res.probeMbps);
      st.setupMs.push(res.setupMs);
      if (res.steady) (st.steady ??= []).push(res.steady);
      st.rssPeak.push(res.rssPeakMiB);
      st.rssBase.push(res.rssBaseMiB);
      if (res.check) st.check = res.check;
      const mbps = summary(res.ms.map((ms) => res.bytes / ms / 1e3));
      const rel = summary(res.ms.map((ms, k) => res.bytes / ms / 1e3 / res.probeMbps[k]));
      const st8 = res.steady ? `, steady after ${res.steady.waitedMs.toFixed(0)} ms (${res.steady.automata} automaton${res.steady.automata === 1 ? '' : 'a'})` : '';
      const chk = res.check ? ` leaks ${res.check.leaks}/${res.check.planted}${res.check.identical ? '' : ' OUTPUT DIFFERS'}` : '';
      log(`[${elapsed()}] pass ${pass + 1} ${i + 1}/${list.length} ${j.id}: ${fmtMbps(mbps.median)} MB/s (${fmtMbps(mbps.min)}–${fmtMbps(mbps.max)}, ${res.ms.length} rounds, ${(res.bytes / MIB).toFixed(2)} MiB, setup ${res.setupMs.toFixed(0)} ms${st8}, ${rel.median.toFixed(3)}x probe)${chk}`);
    }
  }
  for (const { job, ms, probe, bytes, setupMs, rssPeak, rssBase, check, error, steady } of state.values()) {
    const c = CONTENDERS[job.contender];
    results.throughput.push({
      contender: job.contender,
      label: c.label,
      group: c.group,
      n: job.n,
      variants: job.variants ?? null,
      otherInput: !!c.otherInput,
      noCheck: !!c.noCheck,
      bytes,
      roundsMs: ms,
      mbps: ms.length ? summary(ms.map((t) => bytes / t / 1e3)) : null,
      probeMbps: probe,
      // Paired: each round's MB/s over the JS-loop probe run right around it, in the same process.
      rel: ms.length ? summary(ms.map((t, i) => bytes / t / 1e3 / probe[i])) : null,
      setupMs: setupMs.length ? summary(setupMs).median : null,
      // Per pass: how long the row waited for background work before timing (see the contender's steady()).
      steady: steady ?? null,
      rssPeakMiB: rssPeak.length ? Math.max(...rssPeak) : null,
      rssBaseMiB: rssBase.length ? Math.min(...rssBase) : null,
      check,
      error,
    });
  }

  // Build rows.
  if (!args.only || /build/.test(args.only)) {
    for (const b of CFG.build) {
      log(`[${elapsed()}] build: ${b.n} secrets, ${b.how}, variants ${b.variants ? 'on' : 'off'}, ${b.repeat} fresh process(es) ...`);
      const runs = [];
      for (let r = 0; r < b.repeat; r++) {
        const res = await runChild({ kind: 'build', dir: tmp, ...b });
        if (!res.ok) {
          runs.length = 0;
          results.build.push({ ...b, ...res });
          log(`  ERROR ${res.error}`);
          break;
        }
        runs.push(res);
        log(`  ${res.ms.toFixed(0)} ms, retained ${res.retainedMiB.toFixed(1)} MiB, ${res.patternCount} patterns`);
      }
      if (runs.length === 0) continue;
      const med = (k) => summary(runs.map((x) => x[k])).median;
      results.build.push({
        ...b,
        ok: true,
        runs,
        ms: med('ms'),
        msMin: Math.min(...runs.map((x) => x.ms)),
        msMax: Math.max(...runs.map((x) => x.ms)),
        addMs: med('addMs'),
        firstWriteMs: med('firstWriteMs'),
        retainedMiB: med('retainedMiB'),
        rssDeltaMiB: med('rssDeltaMiB'),
        secretCount: runs[0].secretCount,
        patternCount: runs[0].patternCount,
      });
    }
  }

  // add() on a live 10,000-secret scrubber.
  if (!args.only || /add/.test(args.only)) {
    log(`[${elapsed()}] add(): ${CFG.add.adds} adds to a ${CFG.add.n}-secret scrubber ...`);
    const res = await runChild({ kind: 'add', dir: tmp, variants: true, ...CFG.add });
    if (res.ok) {
      const normal = summary(res.normal);
      results.add = {
        ok: true,
        n: CFG.add.n,
        normalMs: normal,
        addMs: summary(res.samples.map((s) => s.addMs)),
        nextMs: summary(res.samples.map((s) => s.nextMs)),
        extraMs: summary(res.samples.map((s) => s.addMs + s.nextMs - normal.median)),
        worstLaterMs: res.worstLaterMs,
        worstLaterAfterAdd: res.worstLaterAfterAdd,
        samples: res.samples,
        bursts: res.bursts.map((b) => ({
          ...b,
          extraMs: b.addMs + b.nextMs - normal.median,
          singlesExtraMs: summary(b.singles.map((x) => x.addMs + x.nextMs - normal.median)),
        })),
      };
      log(`  extra ${results.add.extraMs.median.toFixed(2)} ms median, ${results.add.extraMs.max.toFixed(2)} ms max`);
    } else {
      results.add = { ok: false, error: res.error };
      log(`  ERROR ${res.error}`);
    }
  }

  // Adversarial inputs (ratio to ordinary text in the same process) and the merge stall.
  if (!args.only || /adversarial/.test(args.only)) {
    for (const a of CFG.adversarial) {
      log(`[${elapsed()}] adversarial inputs: ${a.join(' ')} ...`);
      const res = await runScript(join(HERE, 'adversarial.mjs'), [...a, '--json']);
      if (res.ok) results.adversarial.push(...res.value);
      else log(`  ERROR ${res.error}`);
    }
  }
  // The ratio targets between scrub-filter rows, A/B in one process (informs; the verdict stays paired).
  if (!args.only || /\bab\b/.test(args.only)) {
    log(`[${elapsed()}] same-process A/B: ${CFG.ab.join(' ')} ...`);
    const res = await runScript(join(HERE, 'ab.mjs'), [...CFG.ab, '--json']);
    if (res.ok) results.ab = res.value;
    else log(`  ERROR ${res.error}`);
  }
  if (!args.only || /merge/.test(args.only)) {
    log(`[${elapsed()}] merge stall: ${CFG.mergeStall.join(' ')} ...`);
    const res = await runScript(join(HERE, 'merge-stall.mjs'), [...CFG.mergeStall, '--json']);
    if (res.ok) results.mergeStall = res.value;
    else log(`  ERROR ${res.error}`);
  }

  // CLI rows.
  if (!args['no-cli'] && (!args.only || /cli/.test(args.only))) {
    log(`[${elapsed()}] CLI: ${CFG.cliBytes / MIB} MiB file, ${CFG.cliRounds} interleaved rounds ...`);
    results.cli = await cliBench({
      file: join(tmp, 'input.log'),
      bytes: CFG.cliBytes,
      secrets: allSecrets.slice(0, 1000),
      allSecrets,
      input: bigInput,
      plants,
      rounds: CFG.cliRounds,
      tmp,
      log,
    });
    for (const c of results.cli) log(`  ${c.id}: ${c.unavailable ? 'not available: ' + c.unavailable : `${fmtMbps(c.mbps.median)} MB/s, RSS ${c.rssMiB?.toFixed(1)} MiB${c.failures.length ? ' FAILURES ' + c.failures.join('; ') : ''}`}`);
  }
} finally {
  if (!args['keep-tmp']) rmSync(tmp, { recursive: true, force: true });
  if (args['keep-tmp']) log(`kept ${tmp} and the engine snapshot ${snapshot} (profile it: SCRUB_BENCH_DIST=${join(snapshot, 'dist')} node bench/profile.mjs ...)`);
  else rmSync(snapshot, { recursive: true, force: true });
}

results.meta.durationS = (performance.now() - started) / 1000;
const engineAfter = distFingerprint();
if (engineAfter?.sha256 !== results.meta.engine?.sha256) {
  results.meta.distChangedDuringRun = engineAfter;
  log(`note: dist/ changed while the benchmark ran (now ${engineAfter?.sha256}); every row used the snapshot ${results.meta.engine?.sha256}`);
}
results.meta.loadavgEnd = loadavg().map((x) => +x.toFixed(2));
results.targets = evaluateTargets(results);

const md = renderMarkdown(results);
mkdirSync(RESULTS, { recursive: true });
const base = args.only ? 'partial' : quick ? 'latest-quick' : 'latest';
writeFileSync(join(RESULTS, `${base}.json`), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(RESULTS, `${base}.md`), md + '\n');
const svgName = args.only ? 'partial.svg' : quick ? 'throughput-quick.svg' : 'throughput.svg';
writeFileSync(join(RESULTS, svgName), renderSvg(results));
if (!quick && !args.only) copyFileSync(join(RESULTS, 'latest.json'), join(RESULTS, `${results.meta.date.slice(0, 10)}.json`));
process.stdout.write(md + '\n');
log(`done in ${elapsed()}; wrote bench/results/${base}.json, ${base}.md and ${svgName}`);

// Exit status (what CI's smoke test relies on; no timing assertions): 1 when a
// scrub-filter row or the CLI row failed, leaked or did not match the reference.
const problems = [];
for (const r of results.throughput) {
  if (r.group !== 'scrub-filter') continue;
  if (r.error) problems.push(`${r.contender} n=${r.n}: ${r.error.split(' | ')[0]}`);
  else if (r.check && (r.check.leaks > 0 || !r.check.identical)) problems.push(`${r.contender} n=${r.n}: leaks ${r.check.leaks}, identical ${r.check.identical}`);
}
for (const b of results.build) if (!b.ok) problems.push(`build ${b.n}: ${String(b.error).split(' | ')[0]}`);
if (results.add && !results.add.ok) problems.push(`add(): ${String(results.add.error).split(' | ')[0]}`);
const cliRow = results.cli.find((c) => c.id === 'cli-sf');
if (cliRow && !cliRow.unavailable && (cliRow.failures.length || (cliRow.check && (cliRow.check.leaks > 0 || !cliRow.check.identical)))) problems.push(`CLI: ${cliRow.failures.join('; ') || `leaks ${cliRow.check.leaks}, identical ${cliRow.check.identical}`}`);
if (problems.length) {
  log(`FAILED (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
}
