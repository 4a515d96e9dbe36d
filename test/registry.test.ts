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
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: Infinity });
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
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: Infinity });
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
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 64, background: bg.build, settleMs: Infinity });
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
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: Infinity });
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

  it('any interleaving of adds, compiles, landings, failures and quiet spells keeps every pattern covered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom('compile', 'land', 'fail', 'compact', 'quiet')), { maxLength: 40 }),
        fc.constantFrom(2, 4, 8),
        async (ops, minRecent) => {
          const bg = new ManualBuilder();
          let now = 0;
          const r = new PatternRegistry({ minRecent, syncMergeMax: 3, background: bg.build, denseBudget: 64, settleMs: 1000, clock: () => now });
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
            else if (op === 'quiet') now += 1000;
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

  it('a set left unchanged settles into one automaton in the background, after a quiet time', async () => {
    const bg = new ManualBuilder();
    let now = 0;
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: 1000, clock: () => now });
    const all: Uint8Array[] = [];
    const add = (n: number) => {
      for (let i = 0; i < n; i++) {
        all.push(enc(`settle-${all.length}-pattern`));
        r.add(all[all.length - 1], all.length - 1);
      }
    };
    add(20);
    expect(r.compiled().automata.length).toBe(1);
    add(2); // a couple of dynamic adds: recent, far below any size rule
    expect(r.compiled().automata.map((a) => a.patternCount)).toEqual([20, 2]);
    now += 999;
    r.compiled();
    expect(bg.queue.length).toBe(0); // not quiet long enough yet
    now += 1;
    const during = r.compiled();
    expect(bg.queue.length).toBe(1); // the merge of everything, in the background
    expect(r.merging).toBe(true);
    expect(during.automata.map((a) => a.patternCount)).toEqual([20, 2]); // the old levels stay published
    expectCovers(during, all);
    add(1); // added during the merge
    expectCovers(r.compiled(), all);
    await bg.land();
    const after = r.compiled();
    expectCovers(after, all);
    expect(after.automata.map((a) => a.patternCount)).toEqual([22, 1]);
    // The add during the merge restarted the quiet time.
    r.compiled();
    expect(bg.queue.length).toBe(0);
    now += 1000;
    r.compiled();
    await bg.land();
    const settled = r.compiled();
    expectCovers(settled, all);
    expect(settled.automata.map((a) => a.patternCount)).toEqual([23]);
    // One automaton: nothing left to settle.
    now += 10_000;
    r.compiled();
    expect(bg.queue.length).toBe(0);
  });

  it('the quiet time is at least 8x the last full build, so settling keeps at most 1/9 of a core busy', async () => {
    const bg = new ManualBuilder();
    let now = 0;
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: 1000, clock: () => now });
    const all = Array.from({ length: 12 }, (_, i) => enc(`slow-build-${i}-x`));
    all.slice(0, 10).forEach((p, i) => r.add(p, i));
    r.compiled();
    r.add(all[10], 10);
    r.compiled();
    now += 1000;
    r.compiled();
    expect(bg.queue.length).toBe(1);
    now += 2000; // this full build takes 2 s to land
    await bg.land();
    r.compiled();
    r.add(all[11], 11);
    r.compiled();
    now += 15_999;
    r.compiled();
    expect(bg.queue.length).toBe(0); // 8 x 2 s = 16 s of quiet first
    now += 1;
    r.compiled();
    expect(bg.queue.length).toBe(1);
    await bg.land();
    expect(r.compiled().automata.map((a) => a.patternCount)).toEqual([12]);
  });

  it('without a background builder only small sets settle (in place); a big one would stall the write', () => {
    let now = 0;
    const small = new PatternRegistry({ minRecent: 4, syncMergeMax: 8, background: null, settleMs: 1000, clock: () => now });
    const big = new PatternRegistry({ minRecent: 4, syncMergeMax: 8, background: null, settleMs: 1000, clock: () => now });
    const pats = Array.from({ length: 10 }, (_, i) => enc(`in-place-${i}-x`));
    pats.slice(0, 6).forEach((p, i) => small.add(p, i));
    pats.slice(0, 8).forEach((p, i) => big.add(p, i));
    small.compiled();
    big.compiled();
    small.add(pats[6], 6);
    big.add(pats[8], 8);
    small.compiled();
    big.compiled();
    now += 1000;
    const s = small.compiled();
    expectCovers(s, pats.slice(0, 7));
    expect(s.automata.map((a) => a.patternCount)).toEqual([7]);
    expect(big.compiled().automata.map((a) => a.patternCount)).toEqual([8, 1]);
  });

  it('streams stay exact across a settle (masked before, during and after the merge lands)', async () => {
    const bg = new ManualBuilder();
    let now = 0;
    const e = new ScrubberEngine({
      mask: enc('***'),
      minLength: 1,
      expand: (x) => [trimBytes(x)],
      tuning: { minRecent: 1, syncMergeMax: 0, background: bg.build, settleMs: 1000, clock: () => now },
    });
    const secrets = ['settle-alpha-1', 'settle-beta-22', 'settle-gamma-333', 'settle-delta-4444'];
    e.add(secrets[0]);
    e.add(secrets[1]);
    const session = e.session();
    const out: Uint8Array[] = [];
    // Each write ends inside an occurrence, so every landing and swap happens mid-match.
    out.push(session.write(enc('a settle-alpha-1 b settle-be')));
    e.add(secrets[2]);
    out.push(session.write(enc('ta-22 c settle-gam')));
    now += 1000;
    out.push(session.write(enc('ma-333 d settle-al'))); // starts the settle
    expect(bg.queue.length).toBe(1);
    e.add(secrets[3]);
    out.push(session.write(enc('pha-1 e settle-delta-4')));
    await bg.land();
    out.push(session.write(enc('444 f settle-gamma-333 settle-beta'))); // picks the merged base up
    out.push(session.write(enc('-22 g')));
    out.push(session.end());
    const input = enc('a settle-alpha-1 b settle-beta-22 c settle-gamma-333 d settle-alpha-1 e settle-delta-4444 f settle-gamma-333 settle-beta-22 g');
    const got = Buffer.from(Buffer.concat(out)).toString();
    const want = Buffer.from(referenceScrub(input, secrets.map(enc), enc('***'))).toString();
    expect(got).toBe(want);
    expect(got).toBe('a *** b *** c *** d *** e *** f *** *** g');
    expect(e.compiled().automata.length).toBe(2); // merged base + the add during the merge
  });

  it('streams stay exact across a background merge (masked before, during and after it lands)', async () => {
    const bg = new ManualBuilder();
    const e = new ScrubberEngine({
      mask: enc('***'),
      minLength: 1,
      expand: (x) => [trimBytes(x)],
      tuning: { minRecent: 4, syncMergeMax: 0, background: bg.build, settleMs: Infinity },
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

  it('compiled() polls the builder, so a merge lands while the caller never yields to the event loop', async () => {
    // A builder whose results arrive only through poll() (like the worker's replies when the event loop never turns).
    const finished: (() => void)[] = [];
    let polls = 0;
    const build: BackgroundBuild = (patterns, options) =>
      new Promise((resolve) => finished.push(() => resolve(buildAutomaton(unpack(patterns), options))));
    build.poll = () => {
      polls++;
      for (const f of finished.splice(0)) f();
    };
    let now = 0;
    const r = new PatternRegistry({ minRecent: 4, syncMergeMax: 0, background: build, settleMs: 1000, clock: () => now });
    const all = Array.from({ length: 11 }, (_, i) => enc(`polled-${i}-x`));
    all.slice(0, 10).forEach((p, i) => r.add(p, i));
    r.compiled();
    r.add(all[10], 10);
    r.compiled();
    now += 1000;
    expect(r.compiled().automata.length).toBe(2); // settle started
    expect(polls).toBe(0);
    r.compiled(); // polls: the promise settles ...
    expect(polls).toBe(1);
    await Promise.resolve(); // ... and its handler runs at the next microtask, as between two chunks of a stream
    const set = r.compiled();
    expectCovers(set, all);
    expect(set.automata.map((a) => a.patternCount)).toEqual([11]);
  });

  const dist = workerBuilder(new URL('../dist/matcher/build-worker.js', import.meta.url));
  it.skipIf(dist === null)('the worker builder delivers a result through poll(), without the event loop turning (dist/ built)', async () => {
    const patterns = Array.from({ length: 50 }, (_, i) => enc(`polled-worker-${i}`));
    const ends = new Int32Array(patterns.length);
    let end = 0;
    patterns.forEach((p, i) => (ends[i] = end += p.length));
    let landed: Automaton | null = null;
    void dist!({ data: new Uint8Array(Buffer.concat(patterns)), ends }, { idBase: 0 }).then((a) => (landed = a));
    // Only microtask turns here: the worker's 'message' event can never fire, only poll() can deliver.
    const deadline = Date.now() + 20_000;
    while (landed === null && Date.now() < deadline) {
      dist!.poll!();
      await Promise.resolve();
    }
    expect(landed).not.toBeNull();
    expect((landed as unknown as Automaton).patternCount).toBe(50);
  });

  it.skipIf(dist === null)('the worker builder detaches no buffer of ours (a detach slows every typed-array loop of the process)', async () => {
    const patterns = Array.from({ length: 20 }, (_, i) => enc(`kept-${i}-buffer`));
    const data = new Uint8Array(Buffer.concat(patterns));
    const ends = new Int32Array(patterns.length);
    let end = 0;
    patterns.forEach((p, i) => (ends[i] = end += p.length));
    const built = dist!({ data, ends }, { idBase: 0 });
    // A transferred buffer is detached at once: its length drops to 0.
    expect(data.byteLength).toBe(end);
    expect(ends.byteLength).toBe(4 * patterns.length);
    expect((await built).patternCount).toBe(20);
  });

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
