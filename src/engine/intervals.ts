/**
 * Union of covered byte ranges, fed in order of non-decreasing end.
 *
 * Overlapping or touching ranges merge (one mask per maximal covered run).
 * Because every new range ends at or after all earlier ones, only ranges at
 * the top of the stack can touch it: each push pops what it absorbs, so the
 * cost is amortised O(1) per range.
 * Positions are absolute stream offsets (plain numbers: safe up to 2^53).
 */
export class IntervalStack {
  start: number[] = [];
  end: number[] = [];
  /** Label of the longest range in the run (names the secret in stats; on a tie, the range that came first: a registered secret before a detection of the same bytes). */
  pattern: number[] = [];
  patternLength: number[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(start: number, end: number, pattern: number, patternLength: number): void {
    let s = start;
    let p = pattern;
    let len = patternLength;
    let n = this.count;
    while (n > 0 && this.end[n - 1] >= s - 1) {
      n--;
      if (this.start[n] < s) s = this.start[n];
      if (this.patternLength[n] >= len) {
        len = this.patternLength[n];
        p = this.pattern[n];
      }
    }
    this.start[n] = s;
    this.end[n] = end;
    this.pattern[n] = p;
    this.patternLength[n] = len;
    this.count = n + 1;
  }

  /** Keeps ranges [from, count), moved to the front. */
  dropFirst(from: number): void {
    const n = this.count - from;
    for (let i = 0; i < n; i++) {
      this.start[i] = this.start[from + i];
      this.end[i] = this.end[from + i];
      this.pattern[i] = this.pattern[from + i];
      this.patternLength[i] = this.patternLength[from + i];
    }
    this.count = n;
  }
}
