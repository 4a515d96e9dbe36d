// One benchmark job, in its own process (run by bench/run.mjs with --expose-gc).
// argv[2] is the job as JSON; the result is printed as one JSON line on stdout.
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHUNK, chunksOf } from './gen.mjs';
import { CONTENDERS, asciiFold, byteLoop, engineUrl } from './contenders.mjs';
import { verify } from './verify.mjs';


const gc = () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
};
const now = () => performance.now();
/**
 * Peak RSS of this process in MiB. On Linux, VmHWM from /proc/self/status:
 * getrusage's maxRSS (process.resourceUsage().maxRSS) also counts the
 * parent's RSS at fork time (the kernel carries the old mm's high-water mark
 * over exec), which would charge every child with the parent's 256 MiB.
 */
function peakRssMiB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}
function rssNowMiB() {
  return process.memoryUsage().rss / 2 ** 20;
}
const maxRssMiB = peakRssMiB;
const heapMiB = () => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

function loadInput(dir, bytes) {
  const buf = Buffer.allocUnsafe(bytes);
  const fd = openSync(join(dir, 'input.log'), 'r');
  let got = 0;
  while (got < bytes) {
    const n = readSync(fd, buf, got, bytes - got, got);
    if (n === 0) throw new Error('input file is shorter than expected');
    got += n;
  }
  closeSync(fd);
  return buf;
}

const loadSecrets = (dir) => readFileSync(join(dir, 'secrets.txt'), 'utf8').split('\n');
const loadJson = (dir, name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

async function throughput(job) {
  const c = CONTENDERS[job.contender];
  if (!c) throw new Error(`unknown contender ${job.contender}`);
  const all = loadSecrets(job.dir);
  const secrets = all.slice(0, job.n);
  let full = loadInput(job.dir, job.maxBytes);
  if (c.otherInput) full = asciiFold(full);
  gc();
  const rssBase = maxRssMiB();

  const t0 = now();
  const state = await c.setup({ secrets, variants: job.variants });
  const setupMs = now() - t0;

  const timeRun = async (ctx, collect = false) => {
    const t = now();
    const r = await c.run(ctx, collect);
    return { ms: now() - t, r };
  };

  // Warm-up ramp on growing prefixes (1, 4, 16, ... x minBytes), the same in
  // every process so that the JIT sees the same history; in the first pass it
  // also picks the size (so that a round takes about roundMs).
  let bytes = job.bytes;
  let estMs;
  let warmups = 0;
  const target = bytes ?? full.length;
  for (let size = Math.min(job.minBytes, target); ; size = Math.min(target, size * 4)) {
    const { ms } = await timeRun(c.prepare(state, full.subarray(0, size)));
    warmups++;
    const perByte = ms / size;
    if (!bytes && (ms >= job.calibrateMs || size >= full.length)) {
      const unit = job.minBytes < CHUNK ? job.minBytes : CHUNK;
      bytes = Math.max(job.minBytes, Math.min(full.length, Math.floor(job.roundMs / perByte / unit) * unit));
      estMs = perByte * bytes;
      break;
    }
    if (bytes && size >= bytes) {
      estMs = ms;
      break;
    }
  }
  // Background work the warm-up started (see the contender's steady()) is done before timing: rows measure steady state.
  const steady = c.steady ? await c.steady(state) : null;
  const input = full.subarray(0, bytes);
  const ctx = c.prepare(state, input);
  if (estMs === undefined || estMs < 2000) {
    gc();
    estMs = (await timeRun(ctx)).ms;
    warmups++;
  }
  // Very slow rows (several seconds a round even on the smallest prefix) get 2 rounds.
  const minRounds = estMs > 2 * job.budgetMs ? Math.min(2, job.minRounds) : job.minRounds;
  const rounds = Math.max(minRounds, Math.min(job.maxRounds, Math.round(job.budgetMs / Math.max(estMs, 1))));
  // Load probe: the per-byte JS loop over probeBytes, timed before and after
  // every round, so each round has a "machine speed right now" beside it.
  const probeChunks = chunksOf(full.subarray(0, Math.min(full.length, job.probeBytes)));
  const probe = () => {
    gc(); // no sweeping left over from the round competes with the probe
    const t = now();
    const b = byteLoop(probeChunks);
    return b / (now() - t) / 1e3;
  };
  for (let i = 0; i < 3; i++) probe();
  const ms = [];
  const probeMbps = [];
  let before = probe();
  for (let i = 0; i < rounds; i++) {
    gc();
    ms.push((await timeRun(ctx)).ms);
    const after = probe();
    probeMbps.push((before + after) / 2);
    before = after;
  }
  const rssPeak = maxRssMiB();
  // Correctness check (untimed, after the RSS reading): the dense check input,
  // cut to the size this contender was timed on (at least one chunk).
  let check = null;
  if (job.verify && !c.noCheck) {
    let checkInput = readFileSync(join(job.dir, 'check.log'));
    checkInput = checkInput.subarray(0, Math.min(checkInput.length, Math.max(job.checkMinBytes, bytes)));
    if (c.otherInput) checkInput = asciiFold(checkInput);
    const { out } = await c.run(c.prepare(state, checkInput), true);
    check = { ...verify(out, checkInput, loadJson(job.dir, 'check-plants.json'), job.n, all), checkBytes: checkInput.length };
  }
  return { bytes, setupMs, warmups, steady, ms, probeMbps, rssBaseMiB: rssBase, rssPeakMiB: rssPeak, check };
}

async function build(job) {
  const { createScrubber } = await import(engineUrl());
  const secrets = loadSecrets(job.dir).slice(0, job.n);
  const probe = Buffer.from('2024-03-05T12:00:00.000Z INFO  [api] warm up\n');
  gc();
  gc();
  const heap0 = heapMiB();
  const rss0 = rssNowMiB();
  let s;
  const t0 = now();
  let addMs = 0;
  if (job.how === 'add') {
    s = createScrubber({ variants: job.variants });
    for (const v of secrets) s.add(v);
    addMs = now() - t0;
  } else {
    s = createScrubber({ variants: job.variants, secrets });
  }
  // The first write pays for any lazy build: count it.
  const session = s.session();
  session.write(probe);
  session.end();
  const ms = now() - t0;
  gc();
  gc();
  const retainedMiB = heapMiB() - heap0;
  const result = {
    ms,
    addMs,
    firstWriteMs: ms - addMs,
    retainedMiB,
    rssDeltaMiB: maxRssMiB() - rss0,
    secretCount: s.secretCount,
    patternCount: s.patternCount,
  };
  globalThis.__keep = s; // keep it alive through the measurement
  return result;
}

async function addCost(job) {
  const { createScrubber } = await import(engineUrl());
  const all = loadSecrets(job.dir);
  const s = createScrubber({ variants: job.variants, secrets: all.slice(0, job.n) });
  const chunks = chunksOf(loadInput(job.dir, job.inputBytes));
  const session = s.session();
  let k = 0;
  const nextChunk = () => chunks[k++ % chunks.length];
  const timeChunk = () => {
    const c = nextChunk();
    const t = now();
    session.write(c);
    return now() - t;
  };
  for (let i = 0; i < 64; i++) timeChunk(); // warm up (and pay the build)
  const samples = [];
  const normal = [];
  let worstLater = 0;
  let worstLaterAt = -1;
  for (let a = 0; a < job.adds; a++) {
    const base = [];
    for (let i = 0; i < job.between; i++) base.push(timeChunk());
    normal.push(...base);
    const secret = all[job.n + 1 + 97 * a]; // not in the set
    const t = now();
    s.add(secret);
    const addMs = now() - t;
    const nextMs = timeChunk();
    samples.push({ addMs, nextMs });
    // Later chunks: a deferred merge would show up here.
    for (let i = 0; i < job.after; i++) {
      const ms = timeChunk();
      if (ms > worstLater) {
        worstLater = ms;
        worstLaterAt = a;
      }
    }
  }
  // Bursts: many adds with no write in between, then one chunk (pays whatever
  // rebuild the engine does for them, including any merge of recent additions).
  let next = job.n + 1 + 97 * job.adds;
  const bursts = [];
  for (const size of job.bursts ?? []) {
    const t = now();
    for (let i = 0; i < size; i++) s.add(all[next++ % all.length]);
    const addMs = now() - t;
    const nextMs = timeChunk();
    const laterMs = [];
    for (let i = 0; i < job.after; i++) laterMs.push(timeChunk());
    // Then single adds on top of the grown set (the steady state after many adds).
    const singles = [];
    for (let a = 0; a < job.singlesAfterBurst; a++) {
      for (let i = 0; i < job.between; i++) normal.push(timeChunk());
      const t1 = now();
      s.add(all[next++ % all.length]);
      const add1 = now() - t1;
      singles.push({ addMs: add1, nextMs: timeChunk() });
    }
    bursts.push({ size, addMs, nextMs, laterMs, singles, secretsAfter: s.secretCount, patternsAfter: s.patternCount });
  }
  session.end();
  return { samples, normal, worstLaterMs: worstLater, worstLaterAfterAdd: worstLaterAt, bursts, chunkBytes: CHUNK };
}

const job = JSON.parse(process.argv[2]);
const kinds = { throughput, build, add: addCost };
try {
  const result = await kinds[job.kind](job);
  process.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(err?.stack ?? err).split('\n').slice(0, 4).join(' | ') }) + '\n');
}
