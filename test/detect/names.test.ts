/** The detect option resolves like `variants`: true/false/list, unknown names throw with the list. */
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/index.js';
import { DETECTORS, DETECTOR_NAMES, detectedSecretName, resolveDetectors, HOLD_BOUND } from '../../src/detect/index.js';

describe('detector names', () => {
  it('true/undefined: all; false: none; a list: exactly those', () => {
    expect([...resolveDetectors(undefined)]).toEqual(DETECTOR_NAMES);
    expect([...resolveDetectors(true)]).toEqual(DETECTOR_NAMES);
    expect(resolveDetectors(false).size).toBe(0);
    expect([...resolveDetectors(['jwt', 'github'])].sort()).toEqual(['github', 'jwt']);
  });
  it('unknown names and malformed options throw, naming the known ones', () => {
    expect(() => resolveDetectors(['gihtub'])).toThrow(/unknown detector "gihtub"; known detectors: private-key, github/);
    expect(() => resolveDetectors('github' as never)).toThrow(/detect must be true, false or a list/);
  });
  it('createScrubber({ detect }) that is neither a boolean nor a list throws a TypeError naming the option and what it got', () => {
    const bad: Array<[unknown, string]> = [
      ['github', 'a string'],
      ['true', 'a string'],
      [42, 'a number'],
      [0, 'a number'],
      [{}, 'an object'],
      [{ github: true }, 'an object'],
      [new Set(['github']), 'an object'],
      [() => ['github'], 'a function'],
      [null, 'null'],
    ];
    for (const [detect, got] of bad) {
      let err: unknown;
      try {
        createScrubber({ detect: detect as never });
      } catch (e) {
        err = e;
      }
      expect(err, `detect: ${String(detect)}`).toBeInstanceOf(TypeError);
      const message = (err as Error).message;
      expect(message, `detect: ${String(detect)}`).toMatch(/^scrub-filter: options\.detect must be true, false or an array of detector names \(got /);
      expect(message).toContain(`(got ${got})`);
    }
    // A list entry that is not a string is named by its index.
    expect(() => createScrubber({ detect: ['github', 42 as never] })).toThrow(/options\.detect\[1\] must be a detector name \(got a number\)/);
    expect(() => createScrubber({ detect: ['github', 'gihtub' as never] })).toThrow(/options\.detect\[1\]: unknown detector "gihtub"; known detectors: private-key, github/);
  });
  it('every detector has a one-line description and a documented holdback bound', () => {
    for (const d of DETECTORS) {
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.description).not.toContain('\n');
      expect(HOLD_BOUND[d.name]).toBeLessThanOrEqual(512);
    }
    expect(detectedSecretName('github')).toBe('detect:github');
  });
});
