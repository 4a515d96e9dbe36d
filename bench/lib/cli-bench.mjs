// CLI rows: `cat file | X > /dev/null` for X = cat, a bare Node pass-through
// process, and the scrub-filter command, interleaved round by round.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { summary } from './stats.mjs';
import { verify } from './verify.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI under test: the engine snapshot's (see run.mjs), else dist/'s. Read when used: the snapshot is made after imports. */
const cliPath = () => (process.env.SCRUB_BENCH_DIST ? join(process.env.SCRUB_BENCH_DIST, 'cli/main.js') : join(ROOT, 'dist/cli/main.js'));
const PASS = fileURLToPath(new URL('./passthrough.mjs', import.meta.url));
const RSS_HOOK = pathToFileURL(fileURLToPath(new URL('./report-rss.mjs', import.meta.url))).href;
const GNU_TIME = '/usr/bin/time';
export const ENV_PREFIX = 'BENCH_SECRET_';

function run(cmd, env) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn('bash', ['-c', cmd], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ ms: performance.now() - t, code, stderr }));
  });
}

function hasGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/.test(r.stderr.trim().split('\n').pop() ?? '');
}

export function cliAvailable() {
  const cli = cliPath();
  if (!existsSync(cli)) return { ok: false, why: 'dist/cli/main.js not built' };
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `--help exited ${r.status}: ${(r.stderr || '').trim().split('\n')[0]}` };
  if (!r.stdout.includes('--secret-env')) return { ok: false, why: 'no --secret-env option' };
  return { ok: true };
}

/**
 * @param o.file the input file (o.bytes long), o.secrets the n secrets,
 *   o.input / o.plants / o.allSecrets for the leak check, o.rounds, o.tmp a scratch dir.
 */
export async function cliBench(o) {
  const avail = cliAvailable();
  const gnu = hasGnuTime();
  const rssFile = join(o.tmp, 'rss.txt');
  const env = { ...process.env, F: o.file, T: rssFile, NODE: process.execPath, PASS, CLI: cliPath() };
  for (const k of Object.keys(env)) if (k.startsWith(ENV_PREFIX)) delete env[k];
  o.secrets.forEach((s, i) => (env[ENV_PREFIX + String(i).padStart(6, '0')] = s));
  const timed = gnu ? `${GNU_TIME} -f %M -o "$T"` : '';
  if (!gnu) {
    env.BENCH_RSS_FILE = rssFile;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${RSS_HOOK}`.trim();
  }
  const sfArgs = `--no-detect --secret-env '${ENV_PREFIX}*'`; // known secrets only, like the throughput rows
  const rows = [
    { id: 'cli-cat', label: '`cat file | cat > /dev/null`', cmd: `cat "$F" | ${timed} cat > /dev/null`, rssNeedsTime: true },
    { id: 'cli-node', label: '`cat file | node bench/lib/passthrough.mjs > /dev/null` (`process.stdin.pipe(process.stdout)`)', cmd: `cat "$F" | ${timed} "$NODE" "$PASS" > /dev/null` },
    {
      id: 'cli-sf',
      label: `\`cat file | scrub-filter ${sfArgs} > /dev/null\` (${o.secrets.length} secrets, variants on)`,
      cmd: `cat "$F" | ${timed} "$NODE" "$CLI" ${sfArgs} > /dev/null`,
      unavailable: avail.ok ? undefined : avail.why,
    },
  ];
  for (const r of rows) Object.assign(r, { ms: [], rss: [], failures: [] });
  for (let round = 0; round < o.rounds; round++) {
    for (const r of round % 2 ? [...rows].reverse() : rows) {
      if (r.unavailable) continue;
      rmSync(rssFile, { force: true });
      o.log(`  cli ${r.id} round ${round + 1}/${o.rounds}`);
      const res = await run(r.cmd, env);
      if (res.code !== 0) {
        r.failures.push(`exit ${res.code}: ${res.stderr.trim().split('\n').slice(-2).join(' | ')}`);
        continue;
      }
      r.ms.push(res.ms);
      const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
      if (Number.isFinite(rss)) r.rss.push(rss / 1024);
    }
  }
  // Leak / reference check of the CLI output (untimed).
  const sf = rows[2];
  if (!sf.unavailable && sf.failures.length === 0) {
    const outFile = join(o.tmp, 'cli-out.log');
    const res = await run(`cat "$F" | "$NODE" "$CLI" ${sfArgs} > "${outFile}"`, env);
    if (res.code === 0) {
      sf.check = verify(readFileSync(outFile), o.input, o.plants, o.secrets.length, o.allSecrets);
      sf.stderr = res.stderr.trim().slice(0, 500);
    } else {
      sf.failures.push(`check run exit ${res.code}`);
    }
    rmSync(outFile, { force: true });
  }
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    bytes: o.bytes,
    unavailable: r.unavailable,
    failures: r.failures,
    wallMs: summary(r.ms),
    mbps: summary(r.ms.map((ms) => o.bytes / ms / 1e3)),
    rssMiB: r.rss.length ? Math.max(...r.rss) : null,
    rssSource: gnu ? '/usr/bin/time -f %M' : 'node --import report-rss (node processes only)',
    check: r.check ?? null,
  }));
}
