/**
 * src/spawn: run a command with its stdout and stderr scrubbed (issue 9's
 * helper; the CLI's wrap mode is built on it).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../src/index.js';
import { spawnScrubbed, SpawnError } from '../src/spawn/index.js';
import { gone } from './cli/helpers.js';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(c));
  return { stream, text: () => Buffer.concat(parts).toString() };
}

const fake = (label: string): string => `FAKE-${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

describe('spawnScrubbed', () => {
  it('scrubs stdout and stderr, resolves with the exit status', async () => {
    const T = fake('spawn');
    const scrubber = createScrubber({ secrets: [{ value: T, name: 'test:T' }] });
    const out = sink();
    const err = sink();
    const p = spawnScrubbed(scrubber, 'sh', {
      args: ['-c', 'echo "out $T"; echo "err $T" >&2; exit 3'],
      env: { ...process.env, T },
      stdin: 'ignore',
      stdout: out.stream,
      stderr: err.stream,
    });
    const r = await p.result;
    expect(r).toMatchObject({ code: 3, signal: null, stdoutGone: false, stderrGone: false });
    expect(r.error).toBeUndefined();
    expect(out.text()).toBe('out ***\n');
    expect(err.text()).toBe('err ***\n');
  });

  it('addMask: a value announced on stderr is masked on stdout too', async () => {
    const T = fake('inband');
    const out = sink();
    const err = sink();
    const p = spawnScrubbed(createScrubber(), 'sh', {
      args: ['-c', 'echo "::add-mask::$T" >&2; sleep 0.2; echo "got $T"'],
      env: { ...process.env, T },
      stdin: 'ignore',
      stdout: out.stream,
      stderr: err.stream,
      addMask: true,
    });
    expect((await p.result).code).toBe(0);
    expect(out.text()).toBe('got ***\n');
    expect(err.text()).toBe('');
  });

  it('rejects with a SpawnError (ENOENT / EACCES) when the command cannot start', async () => {
    const s = createScrubber();
    await expect(spawnScrubbed(s, 'scrub-filter-no-such-xyz', { stdin: 'ignore' }).result).rejects.toMatchObject({ name: 'SpawnError', code: 'ENOENT' });
    const file = join(mkdtempSync(join(tmpdir(), 'scrub-spawn-')), 'not-executable');
    writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const e = await spawnScrubbed(s, file, { stdin: 'ignore' }).result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SpawnError);
    expect((e as SpawnError).code).toBe('EACCES');
  });

  it('reports death by a signal', async () => {
    const out = sink();
    const r = await spawnScrubbed(createScrubber(), 'sh', { args: ['-c', 'kill -TERM $$'], stdin: 'ignore', stdout: out.stream, stderr: out.stream }).result;
    expect(r).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('stop() reaches the whole tree (own process group), not only the first process', async () => {
    const unique = `40.${process.pid}${Date.now() % 1000}`;
    const out = sink();
    const p = spawnScrubbed(createScrubber(), 'sh', {
      args: ['-c', `sleep ${unique} & sleep ${unique} & echo ready; wait`],
      stdin: 'ignore',
      stdout: out.stream,
      stderr: out.stream,
      processGroup: true,
    });
    expect(p.ownGroup).toBe(true);
    while (!out.text().includes('ready')) await new Promise((r) => setTimeout(r, 20));
    p.stop();
    const r = await p.result;
    expect(r.signal).toBe('SIGTERM');
    expect(await gone(`sleep ${unique}`)).toEqual([]);
  });

  it('the reader of stdout going away (EPIPE) stops the command: stdoutGone', async () => {
    const tag = fake('yes');
    const epipe = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
      },
    });
    const err = sink();
    const r = await spawnScrubbed(createScrubber(), 'yes', { args: [tag], stdin: 'ignore', stdout: epipe, stderr: err.stream, processGroup: true }).result;
    expect(r.stdoutGone).toBe(true);
    expect(r.error).toBeUndefined();
    expect(await gone(`yes ${tag}`)).toEqual([]);
  });

  it('any other write error stops output and the command: error, onError', async () => {
    const full = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
      },
    });
    const seen: string[] = [];
    const r = await spawnScrubbed(createScrubber(), 'sh', {
      args: ['-c', 'echo x; exec sleep 30'],
      stdin: 'ignore',
      stdout: full,
      stderr: new PassThrough(),
      processGroup: true,
      killGraceMs: 500,
      onError: (e) => seen.push(e.message),
    }).result;
    expect(r.error?.message).toBe('writing stdout: ENOSPC');
    expect(seen).toEqual(['writing stdout: ENOSPC']);
  });
});

describe('layers', () => {
  it('src/spawn and src/add-mask never import src/cli', () => {
    for (const folder of ['spawn', 'add-mask']) {
      const root = join(__dirname, '..', 'src', folder);
      for (const f of readdirSync(root)) {
        const text = readFileSync(join(root, f), 'utf8');
        expect(text, `${folder}/${f}`).not.toMatch(/from '\.\.\/cli\//);
      }
    }
  });
});
