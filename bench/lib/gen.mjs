// Deterministic input for the benchmark: a seeded PRNG, the secret list, and a
// log-like text generator with planted secrets (some straddling chunk
// boundaries) and near misses. Everything here is a pure function of the seed.

export const CHUNK = 64 * 1024;
export const MIB = 1024 * 1024;
export const SEED = 0x5c2b_f11e;
/** The largest secret set any row uses; every smaller set is a prefix of it. */
export const MAX_SECRETS = 100_000;

/** A small seeded PRNG: a Weyl sequence pushed through a 32-bit avalanche mix. */
export function makeRng(seed) {
  let s = seed >>> 0;
  const u32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const int = (n) => Math.floor((u32() / 4294967296) * n);
  return {
    u32,
    int,
    float: () => u32() / 4294967296,
    pick: (arr) => arr[int(arr.length)],
    range: (lo, hi) => lo + int(hi - lo + 1),
    hex: (len) => {
      let out = '';
      while (out.length < len) out += u32().toString(16).padStart(8, '0');
      return out.slice(0, len);
    },
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SPECIAL = '-_./+';

/**
 * The secret list: random 20-40 byte tokens, alphanumeric with a few of `-_./+`.
 * Secret sets of size N are `makeSecrets()[0..N)`. Distinct by construction.
 */
export function makeSecrets(count = MAX_SECRETS, seed = SEED) {
  const rng = makeRng(seed ^ 0xa5a5a5a5);
  const seen = new Set();
  const out = [];
  while (out.length < count) {
    const len = rng.range(20, 40);
    let s = '';
    for (let i = 0; i < len; i++) {
      // ~6% specials, never first or last (tokens look like tokens).
      s += i > 0 && i < len - 1 && rng.int(100) < 6 ? rng.pick(SPECIAL) : ALNUM[rng.int(62)];
    }
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARN', 'ERROR', 'TRACE'];
const COMPONENTS = ['api', 'worker-1', 'worker-2', 'worker-3', 'scheduler', 'db.pool', 'cache', 'auth', 'http', 'build', 'runner', 'git', 'docker', 'npm'];
const VERBS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];
const SEGMENTS = ['api', 'v1', 'v2', 'users', 'orders', 'items', 'repos', 'actions', 'runs', 'jobs', 'artifacts', 'packages', 'health', 'metrics', 'search', 'login', 'session', 'files', 'upload', 'status'];
const DIRS = ['src', 'lib', 'test', 'dist', 'packages/core/src', 'packages/cli/src', 'node_modules/.pnpm', 'components', 'utils', 'server', 'internal'];
const FILES = ['index', 'main', 'server', 'client', 'config', 'router', 'handler', 'parser', 'scanner', 'stream', 'worker', 'utils', 'Button', 'App', 'store'];
const EXTS = ['.ts', '.js', '.mjs', '.tsx', '.json', '.go', '.py', '.rs'];
const MESSAGES = [
  'request completed', 'cache miss', 'cache hit', 'retrying request', 'connection reset by peer', 'job started', 'job finished',
  'compiling', 'resolving dependencies', 'downloading artifact', 'uploading artifact', 'health check ok', 'slow query detected',
  'rate limit reached, backing off', 'acquired lock', 'released lock', 'spawned child process', 'child exited with code 0',
  'configuration loaded', 'listening on port 8080', 'refreshing credentials', 'token expires in 3600s', 'garbage collection finished',
];
const WORDS = ['the', 'build', 'step', 'for', 'package', 'failed', 'passed', 'module', 'with', 'warning', 'deprecated', 'use', 'instead', 'value', 'expected', 'received', 'timeout', 'after', 'retry', 'cached', 'layer', 'digest', 'pull', 'push', 'done'];
const UNICODE_BITS = ['\u2713', '\u2717', '\u2192', 'caf\u00e9', '\u00fcber', '\u26a0', '\u2026', '\u00b5s'];
const PLANT_PREFIXES = ['Authorization: Bearer ', 'export API_TOKEN=', '"password":"', 'GITHUB_TOKEN=', 'using key ', 'curl -H "X-Api-Key: ', 'aws_secret_access_key = ', 'postgres://deploy:'];

function pad2(n) {
  return n < 10 ? '0' + n : '' + n;
}

/**
 * Generates `bytes` bytes (a multiple of CHUNK) of log-like text into a Buffer.
 * Plants: occurrences of secrets[j] (recorded as {at, len, j}); j is drawn so
 * that every secret-set size has plants in it: 1/4 j=0, 1/4 j<10, 1/4 j<1000,
 * 1/4 j<100000. About one in four plants is placed across a 64 KiB chunk
 * boundary. Near misses (a secret with its last byte changed, or truncated) are
 * planted too; they must not be masked and are not recorded.
 */
export function generateLog({ bytes, secrets, seed = SEED, plantEvery = 256 * 1024 }) {
  if (bytes % CHUNK !== 0) throw new Error('bytes must be a multiple of CHUNK');
  const rng = makeRng(seed);
  const buf = Buffer.allocUnsafe(bytes);
  const plants = [];
  let pos = 0;
  let clock = Date.UTC(2024, 2, 5, 12, 0, 0);
  let nextPlant = rng.int(plantEvery * 2);
  let nextMiss = rng.int(plantEvery);
  let straddlePending = false;
  const reserve = 600; // no line is longer than this

  const ts = () => {
    clock += rng.int(40);
    const d = new Date(clock);
    return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(clock % 1000).padStart(3, '0')}Z`;
  };
  const path = () => {
    let p = '/';
    const n = rng.range(2, 5);
    for (let i = 0; i < n; i++) p += (i ? '/' : '') + (rng.int(4) === 0 ? rng.int(100000) : rng.pick(SEGMENTS));
    return p;
  };
  const file = () => `${rng.pick(DIRS)}/${rng.pick(FILES)}${rng.pick(EXTS)}`;
  const sentence = () => {
    let s = '';
    const n = rng.range(3, 12);
    for (let i = 0; i < n; i++) s += (i ? ' ' : '') + rng.pick(WORDS);
    return s;
  };
  const pickJ = () => {
    switch (rng.int(4)) {
      case 0: return 0;
      case 1: return rng.int(Math.min(10, secrets.length));
      case 2: return rng.int(Math.min(1000, secrets.length));
      default: return rng.int(Math.min(MAX_SECRETS, secrets.length));
    }
  };
  const write = (s) => {
    pos += buf.write(s, pos, 'utf8');
  };

  const line = () => {
    switch (rng.int(10)) {
      case 0:
      case 1:
      case 2:
        return `${ts()} ${rng.pick(LEVELS).padEnd(5)} [${rng.pick(COMPONENTS)}] ${rng.pick(MESSAGES)} id=${rng.int(1e9)} elapsed=${rng.int(5000)}ms\n`;
      case 3:
        return `10.${rng.int(256)}.${rng.int(256)}.${rng.int(256)} - - [05/Mar/2024:12:${pad2(rng.int(60))}:${pad2(rng.int(60))} +0000] "${rng.pick(VERBS)} ${path()}?page=${rng.int(50)} HTTP/1.1" ${rng.pick([200, 200, 200, 201, 204, 304, 404, 500])} ${rng.int(100000)} "-" "node-fetch/1.0" rt=0.${rng.int(1000)}\n`;
      case 4:
        return `{"ts":"${ts()}","level":"${rng.pick(LEVELS).toLowerCase()}","msg":"${rng.pick(MESSAGES)}","trace_id":"${rng.hex(32)}","span_id":"${rng.hex(16)}","user_id":${rng.int(1e6)},"path":"${path()}","duration_ms":${rng.int(10000) / 10}}\n`;
      case 5:
        return `    at ${rng.pick(FILES)}.${rng.pick(['run', 'handle', 'next', 'emit', 'call', 'resolve'])} (/home/runner/work/app/app/${file()}:${rng.int(2000)}:${rng.int(80)})\n`;
      case 6:
        return rng.int(3) === 0
          ? `  ${rng.pick(UNICODE_BITS)} ${file()} > ${sentence()} (${rng.int(900)} ms)\n`
          : `${ts()} ${rng.pick(LEVELS).padEnd(5)} [${rng.pick(COMPONENTS)}] ${sentence()} in ${file()}\n`;
      case 7:
        return `#${rng.int(40)} sha256:${rng.hex(64)} ${rng.pick(['DONE', 'CACHED', 'extracting', 'pulling'])} ${rng.int(100)}.${rng.int(10)}s\n`;
      case 8:
        return `${rng.pick(['GITHUB_SHA', 'GIT_COMMIT', 'BUILD_ID', 'RUNNER_TRACKING_ID', 'CI_JOB_ID'])}=${rng.hex(40)} ${rng.pick(['RUNNER_OS=Linux', 'CI=true', 'NODE_ENV=test', 'HOME=/home/runner'])}\n`;
      default:
        return `${file()}(${rng.int(400)},${rng.int(80)}): ${rng.pick(['error', 'warning'])} TS${rng.range(1000, 7999)}: ${sentence()}.\n`;
    }
  };

  while (pos < bytes - reserve) {
    if (straddlePending) {
      const boundary = (Math.floor(pos / CHUNK) + 1) * CHUNK;
      const room = boundary - pos;
      if (room >= 90 && room <= 400) {
        const j = pickJ();
        const secret = secrets[j];
        const k = rng.range(1, secret.length - 1); // bytes of the secret before the boundary
        const head = `${ts()} WARN  [env] leaked value=`;
        const padLen = room - head.length - k;
        write(head + ' '.repeat(padLen));
        plants.push({ at: pos, len: secret.length, j });
        write(secret + '\n');
        straddlePending = false;
        continue;
      }
    }
    if (pos >= nextPlant) {
      nextPlant = pos + 1 + rng.int(plantEvery * 2);
      if (rng.int(4) === 0) {
        straddlePending = true;
      } else {
        const j = pickJ();
        const head = `${ts()} DEBUG [auth] ${rng.pick(PLANT_PREFIXES)}`;
        write(head);
        plants.push({ at: pos, len: Buffer.byteLength(secrets[j]), j });
        write(secrets[j] + (rng.int(2) ? '"\n' : ' ok\n'));
        continue;
      }
    }
    if (pos >= nextMiss) {
      nextMiss = pos + 1 + rng.int(plantEvery);
      const s = secrets[pickJ()];
      const miss = rng.int(2) ? s.slice(0, s.length - 1 - rng.int(4)) : s.slice(0, -1) + (s.at(-1) === '~' ? '#' : '~');
      write(`${ts()} DEBUG [auth] almost: ${miss} \n`);
      continue;
    }
    write(line());
  }
  // Fill up to the exact size with a last line of spaces.
  if (pos < bytes) {
    buf.fill(0x20, pos, bytes - 1);
    buf[bytes - 1] = 0x0a;
  }
  return { buf, plants };
}

/** Chunks (views, no copies) of `buf`. */
export function chunksOf(buf, size = CHUNK) {
  const out = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, Math.min(i + size, buf.length)));
  return out;
}
