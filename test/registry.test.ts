/**
 * The registry's levels and background merges: whatever the order in which
 * adds, compiles and merge results happen, the published automata cover
 * every pattern added before the compile (so a stream never unmasks one),
 * and a landed merge is picked up by the next compile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAutomaton, MatchSink, ROOT_STATE, type Automaton } from '../src/matcher/index.js';
import { unpack, workerBuilder, type BackgroundBuild, type PackedPatterns } from '../src/matcher/background.js';
import type { BuildOptions } from '../src/matcher/build.js';
import { PatternRegistry } from '../src/engine/registry.js';
import { ScrubberEngine } from '../src/engine/scrubber.js';
import type { CompiledSet } from '../src/engine/session.js';
import { trimBytes } from '../src/bytes/index.js';
import { referenceScrub } from './helpers/reference.js';
import { runs, seed } from './helpers/chunking.js';

/** A background builder the test drives: builds land (or fail) only when told. */
class ManualBuilder {
  readonly queue: { patterns: PackedPatterns; options: BuildOptions; resolve: (a: Automaton) => void; reject: (e: Error) => void }[] = [];
  readonly build: BackgroundBuild = (patterns, options) =>
    new Promise((resolve, reject) => this.queue.push({ patterns, options, resolve, reject }));

  /** Lands the oldest build; awaits so the registry's handler has run. */
  async land(): Promise<void> {
    const job = this.queue.shift();
    if (!job) return;
    job.resolve(buildAutomaton(unpack(job.patterns), job.options));
    await Promise.resolve();
    await Promise.resolve();
  }

  async fail(): Promise<void> {
    const job = this.queue.shift();
    if (!job) return;
    job.reject(new Error('worker gone'));
    await Promise.resolve();
    await Promise.resolve();
  }
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Every pattern is found, as itself, by some automaton of the set. */
function expectCovers(set: CompiledSet, patterns: Uint8Array[]): void {
  const sink = new MatchSink();
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    let found = false;
    for (const a of set.automata) {
      sink.clear();
      a.scan(p, 0, p.length, ROOT_STATE, sink);
      for (let m = 0; m < sink.count; m++) if (sink.ends[m] === p.length - 1 && set.patternLength[sink.pats[m]] >= p.length) found = true;
    }
    if (!found) throw new Error(`pattern ${i} (${Buffer.from(p).toString()}) is not covered`);
  }
}

describe('registry background merges', () => {
  it('patterns added while a merge is in flight are covered, and the merge result is picked up', async () => {
    const bg = new ManualBuilder();
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build });
    const all: Uint8Array[] = [];
    const add = (n: number) => {
      for (let i = 0; i < n; i++) {
        const p = enc(`pattern-${all.length}-x`);
        all.push(p);
        r.add(p, all.length - 1);
      }
    };
    add(10);
    expectCovers(r.compiled(), all); // first build: in place, one level
    add(5);
    expectCovers(r.compiled(), all); // a second level: mid (5 <= max(4, 10/8)? no: 5 > 4 -> merge into base)
    expect(r.merging).toBe(true);
    const during = r.compiled().automata;
    expect(during.length).toBe(2); // the old levels stay published
    add(3);
    expectCovers(r.compiled(), all); // added during the merge: in recent
    add(6);
    expectCovers(r.compiled(), all); // and a sealed level
    await bg.land();
    expect(r.merging).toBe(false);
    const after = r.compiled();
    expectCovers(after, all);
    // The merged base (patterns 0..14) replaced both old levels.
    expect(after.automata[0]).not.toBe(during[0]);
    expect(after.automata[0].patternCount).toBe(15);
    expect(after.automata).not.toContain(during[1]);
  });

  it('a merge started while recent holds patterns takes the sealed levels only', async () => {
    const bg = new ManualBuilder();
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build });
    const all: Uint8Array[] = [];
    // Three patterns per compile: each compile seals the previous recent as it is.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) {
        all.push(enc(`q${all.length}-${'z'.repeat(round)}`));
        r.add(all[all.length - 1], all.length - 1);
      }
      expectCovers(r.compiled(), all);
    }
    expect(r.merging).toBe(true); // base 3 + mid 6 > 4: everything sealed goes to base
    await bg.land();
    const set = r.compiled();
    expectCovers(set, all);
    expect(set.automata.map((a) => a.patternCount)).toEqual([9, 3]);
  });

  it('levels sealed during a long merge are folded in place, so streams scan few automata', async () => {
    const bg = new ManualBuilder();
    // Levels of 3 patterns; without folding there would be ~60 of them.
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 64, background: bg.build });
    const all: Uint8Array[] = [];
    let most = 0;
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 3; i++) {
        all.push(enc(`w${all.length}-${round % 7}`));
        r.add(all[all.length - 1], all.length - 1);
      }
      const set = r.compiled();
      expectCovers(set, all);
      most = Math.max(most, set.automata.length);
    }
    expect(bg.queue.length).toBe(1); // the first merge never lands here
    expect(most).toBeLessThanOrEqual(12);
    await bg.land();
    const set = r.compiled();
    expectCovers(set, all);
    expect(set.automata.reduce((n, a) => n + a.patternCount, 0)).toBe(all.length);
  });

  it('a failed background merge is redone in place at the next compile', async () => {
    const bg = new ManualBuilder();
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build });
    const all = Array.from({ length: 30 }, (_, i) => enc(`secret-${i}-yz`));
    all.slice(0, 10).forEach((p, i) => r.add(p, i));
    r.compiled();
    all.slice(10).forEach((p, i) => r.add(p, 10 + i));
    r.compiled();
    expect(r.merging).toBe(true);
    await bg.fail();
    const set = r.compiled();
    expectCovers(set, all);
    expect(set.automata[0].patternCount).toBe(30);
  });

  it('any interleaving of adds, compiles, landings and failures keeps every pattern covered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom('compile', 'land', 'fail', 'compact')), { maxLength: 40 }),
        fc.constantFrom(2, 4, 8),
        async (ops, minRecent) => {
          const bg = new ManualBuilder();
          const r = new PatternRegistry({ minRecent, syncMergeMax: 3, background: bg.build, denseBudget: 64 });
          const all: Uint8Array[] = [];
          for (const op of ops) {
            if (typeof op === 'number') {
              for (let i = 0; i < op; i++) {
                const p = enc(`p${all.length}.${'ab'.repeat(all.length % 3)}`);
                all.push(p);
                r.add(p, all.length - 1);
              }
            } else if (op === 'land') await bg.land();
            else if (op === 'fail') await bg.fail();
            else if (op === 'compact') r.compact();
            else expectCovers(r.compiled(), all);
          }
          let set = r.compiled();
          expectCovers(set, all);
          // Levels are disjoint: the automata's pattern counts add up to the distinct patterns.
          expect(set.automata.reduce((n, a) => n + a.patternCount, 0)).toBe(all.length);
          // And they stay so once every merge in flight has landed.
          while (bg.queue.length > 0) {
            await bg.land();
            set = r.compiled();
          }
          expectCovers(set, all);
          expect(set.automata.reduce((n, a) => n + a.patternCount, 0)).toBe(all.length);
        },
      ),
      { seed: seed(), numRuns: runs(300) },
    );
  });

  it('streams stay exact across a background merge (masked before, during and after it lands)', async () => {
    const bg = new ManualBuilder();
    const e = new ScrubberEngine({
      mask: enc('***'),
      minLength: 1,
      expand: (x) => [trimBytes(x)],
      tuning: { minRecent: 4, syncMergeMax: 0, background: bg.build },
    });
    const secrets = Array.from({ length: 12 }, (_, i) => `tok${i}en${'q'.repeat(i % 4)}`);
    const text = (s: string[]) => s.map((x, i) => `${i}:${x} `).join('');
    const session = e.session();
    const out: Uint8Array[] = [];
    const added: string[] = [];
    const write = (s: string) => out.push(session.write(enc(s)));
    for (const s of secrets.slice(0, 6)) {
      e.add(s);
      added.push(s);
    }
    write(text(added));
    for (const s of secrets.slice(6, 9)) e.add(s), added.push(s);
    write(text(added)); // starts the merge
    for (const s of secrets.slice(9)) e.add(s), added.push(s);
    write(text(added)); // during the merge
    await bg.land();
    write(text(added)); // picks the merged base up
    out.push(session.end());
    const input = enc(text(secrets.slice(0, 6)) + text(secrets.slice(0, 9)) + text(secrets) + text(secrets));
    // Every add happened before the bytes that contain it were written, so the result is the reference.
    const got = Buffer.from(Buffer.concat(out)).toString();
    const want = Buffer.from(referenceScrub(input, secrets.map(enc), enc('***'))).toString();
    expect(got).toBe(want);
    expect(e.compiled().automata.length).toBeLessThan(4);
  });

  const dist = workerBuilder(new URL('../dist/matcher/build-worker.js', import.meta.url));
  it.skipIf(dist === null)('the worker builds the same automaton (dist/ built)', async () => {
    const patterns = Array.from({ length: 500 }, (_, i) => enc(`worker-secret-${i * 7919}`));
    const data = Buffer.concat(patterns);
    const ends = new Int32Array(patterns.length);
    let end = 0;
    patterns.forEach((p, i) => (ends[i] = end += p.length));
    const a = await dist!({ data: new Uint8Array(data), ends }, { idBase: 100, denseBudget: 4096 });
    const local = buildAutomaton(patterns, { idBase: 100, denseBudget: 4096 });
    const input = enc(patterns.map((p, i) => (i % 3 ? Buffer.from(p).toString() : 'x')).join(' '));
    const s1 = new MatchSink();
    const s2 = new MatchSink();
    const e1 = a.scan(input, 0, input.length, ROOT_STATE, s1);
    const e2 = local.scan(input, 0, input.length, ROOT_STATE, s2);
    expect(Array.from(s1.pats.subarray(0, s1.count))).toEqual(Array.from(s2.pats.subarray(0, s2.count)));
    expect(s1.count).toBeGreaterThan(300);
    expect(a.depthOf(e1)).toBe(local.depthOf(e2));
  });
});
