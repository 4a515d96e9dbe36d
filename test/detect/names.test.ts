/** The detect option resolves like `variants`: true/false/list, unknown names throw with the list. */
import { describe, expect, it } from 'vitest';
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
  it('every detector has a one-line description and a documented holdback bound', () => {
    for (const d of DETECTORS) {
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.description).not.toContain('\n');
      expect(HOLD_BOUND[d.name]).toBeLessThanOrEqual(512);
    }
    expect(detectedSecretName('github')).toBe('detect:github');
  });
});
