/** The CLI flags of detection: on by default, --no-detect, --detect LIST, --list-detectors, --stats counts. */
import { describe, expect, it } from 'vitest';
import { DETECTOR_NAMES } from '../../src/detect/index.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { runCli, runShell } from '../cli/helpers.js';
import { BASE62, checksummed, jwtToken, pick, seeded } from '../helpers/detect-tokens.js';

const tok = checksummed(seeded(3), 'ghp_');
const line = `push with ${tok} to https://ci:FAKE-pw-123@git.example.invalid/r.git\n`;

describe('scrub-filter detection flags', () => {
  it('parses --no-detect and --detect LIST', () => {
    const opts = (argv: string[]) => {
      const p = parseCliArgs(argv);
      if (p.action !== 'run') throw new Error(p.action);
      return p.options;
    };
    expect(opts([]).detect).toBe(true);
    expect(opts(['--no-detect']).detect).toBe(false);
    expect(opts(['--detect', 'github, jwt']).detect).toEqual(['github', 'jwt']);
    expect(parseCliArgs(['--list-detectors'])).toEqual({ action: 'list-detectors' });
  });

  it('detects by default, --detect chooses, --no-detect turns it off, --stats counts by detector', async () => {
    const on = await runCli(['--stats'], { input: line });
    expect(on.code).toBe(0);
    expect(on.stdout.toString()).toBe('push with ghp_*** to https://ci:***@git.example.invalid/r.git\n');
    expect(on.stderr).toContain('stats: detected github: 1');
    expect(on.stderr).toContain('stats: detected url-password: 1');
    expect(on.stderr).not.toContain(tok.slice(4));
    const some = await runCli(['--detect', 'url-password'], { input: line });
    expect(some.stdout.toString()).toBe(`push with ${tok} to https://ci:***@git.example.invalid/r.git\n`);
    const off = await runCli(['--no-detect'], { input: line });
    expect(off.stdout.toString()).toBe(line);
  });

  it('--stats=json counts detections per detector (never values)', async () => {
    const r = await runCli(['--stats=json'], { input: line });
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stderr.trim().split('\n').find((l) => l.startsWith('{'))!);
    expect(stats.detected).toEqual({ github: 1, 'url-password': 1 });
    expect(r.stderr).not.toContain(tok.slice(4));
    expect(r.stderr).not.toContain('FAKE-pw-123');
  });

  it('a JWT with a long header, split across two reads of stdin: masked, exit 0 (it used to fail closed, exit 70)', async () => {
    const rand = seeded(5);
    const jwt = jwtToken(rand, { typ: 'JWT', alg: 'RS256', x5t: pick(rand, BASE62, 27), kid: pick(rand, BASE62, 27) });
    const text = `Authorization-less: ${jwt} end\n`;
    // Two writes 0.3 s apart: the command reads them as two chunks, cut more than 64 bytes after eyJ, before the header's dot.
    const cut = 20 + 90;
    expect(jwt.indexOf('.')).toBeGreaterThan(cut - 20);
    const r = await runShell(`(printf '%s' "$A"; sleep 0.3; printf '%s' "$B") | "$NODE" "$BIN"`, { env: { A: text.slice(0, cut), B: text.slice(cut) } });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('Authorization-less: eyJ*** end\n');
  });

  it('--detect with an unknown name is a usage error naming the known ones', async () => {
    const r = await runCli(['--detect', 'gihtub'], { input: line });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--detect: unknown detector 'gihtub' \(see --list-detectors; none: --no-detect\)/);
    expect(r.stdout.length).toBe(0);
  });

  it('--list-detectors prints one line per detector', async () => {
    const r = await runCli(['--list-detectors']);
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(DETECTOR_NAMES);
  });
});
