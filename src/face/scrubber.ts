/**
 * The face: `createScrubber()` checks the public arguments and composes the
 * layers below it: variants (what to register), the engine (registry and
 * sessions), add-mask (in-band secrets) and the stream adapters. The engine
 * itself knows no streams; the adapters know only the ScrubSession contract.
 */
import { addMaskSession } from '../add-mask/index.js';
import { nodeScrubStream, webScrubStream } from '../adapters/index.js';
import type {
  AddOptions,
  AddResult,
  ScrubberOptions,
  Scrubber,
  ScrubSession,
  ScrubStats,
  ScrubWarning,
  SecretValue,
  SessionOptions,
  StreamOptions,
  VariantName,
  WebStreamOptions,
} from '../api/types.js';
import {
  checkArray,
  checkDetectors,
  checkFunction,
  checkInput,
  checkInteger,
  checkMask,
  checkName,
  checkOptions,
  checkSecretValue,
  checkVariants,
  MAX_HIGH_WATER_MARK,
  MAX_HISTORY_BYTES,
  MAX_MIN_LENGTH,
} from '../api/validate.js';
import type { Transform } from 'node:stream';
import { trimBytes } from '../bytes/index.js';
import { createDetectLane, DETECTOR_NAMES, type DetectorName, detectedSecretName, labelDetector, resolveDetectors } from '../detect/index.js';
import { type DetectionHooks, ScrubberEngine, toBytes } from '../engine/index.js';
import { ALL_VARIANTS, expandSecret, laneVariantsOf, resolveVariants } from '../variants/index.js';
import { checkedSession } from './checked-session.js';

const DEFAULT_MASK = '***';
const DEFAULT_MIN_LENGTH = 4;
const DEFAULT_ADD_MASK_NAME = 'add-mask';

const SCRUBBER_KEYS = ['mask', 'minLength', 'variants', 'detect', 'historyBytes', 'secrets', 'onWarning'] as const;
const SECRET_KEYS = ['value', 'name'] as const;
const ADD_KEYS = ['name'] as const;
const SESSION_KEYS = ['addMask'] as const;
const STREAM_KEYS = ['highWaterMark', 'addMask'] as const;
const ADD_MASK_KEYS = ['name'] as const;

/** The engine behind a scrubber made here (tests and benchmarks look inside; not exported by the package). */
const engines = new WeakMap<Scrubber, ScrubberEngine>();

/** Whether `value` is a scrubber made by createScrubber() (the only kind the helpers accept). */
export function isFaceScrubber(value: unknown): value is Scrubber {
  return typeof value === 'object' && value !== null && engines.has(value as Scrubber);
}

export function engineOf(scrubber: Scrubber): ScrubberEngine {
  const engine = engines.get(scrubber);
  if (!engine) throw new TypeError('scrub-filter: not a scrubber made by createScrubber()');
  return engine;
}

/**
 * Creates a scrubber: a set of secrets shared by every stream and session it
 * hands out. Every argument is checked: a wrong type is a `TypeError`, a
 * value out of bounds a `RangeError`, an unknown option key a `TypeError`
 * listing the valid ones; a bad secret is named (`options.secrets[2]
 * ("env:X")`), never shown. Nothing is registered unless every secret is valid.
 */
export function createScrubber(options?: ScrubberOptions): Scrubber {
  const o = checkOptions(options, 'createScrubber(options)', SCRUBBER_KEYS);
  const mask = checkMask(o.mask, 'options.mask') ?? DEFAULT_MASK;
  const minLength = checkInteger(o.minLength, 'options.minLength', 1, MAX_MIN_LENGTH) ?? DEFAULT_MIN_LENGTH;
  const variantsOption = checkVariants(o.variants, 'options.variants', ALL_VARIANTS) as boolean | VariantName[] | undefined;
  const detectors = resolveDetectors(checkDetectors(o.detect, 'options.detect', DETECTOR_NAMES) as boolean | DetectorName[] | undefined);
  const historyBytes = checkInteger(o.historyBytes, 'options.historyBytes', 1, MAX_HISTORY_BYTES);
  const onWarning = checkFunction<(w: ScrubWarning) => void>(o.onWarning, 'options.onWarning');
  const list = checkArray(o.secrets, 'options.secrets', 'pass a list, e.g. secrets: [token]');
  // An index loop, not map(): a hole in a sparse array must be checked (and refused) like any entry.
  const secrets: { value: SecretValue; name?: string }[] = [];
  for (let i = 0; i < (list?.length ?? 0); i++) secrets.push(secretEntry(list![i], i));

  const variants = resolveVariants(variantsOption);
  const expand =
    variants.size === 0
      ? (secret: Uint8Array) => [trimBytes(secret)]
      : (secret: Uint8Array) => expandSecret(secret, { variants });
  const engine = new ScrubberEngine({
    mask: toBytes(mask),
    minLength,
    expand,
    onWarning,
    lanes: laneVariantsOf(variants),
    detection: detectionHooks(detectors),
    historyBytes, // undefined: the engine's default
  });
  const scrubber = new FaceScrubber(engine);
  engines.set(scrubber, engine);
  for (const s of secrets) engine.add(s.value, { name: s.name });
  return scrubber;
}

/** src/detect wired into the engine (which knows no detector). */
function detectionHooks(names: ReadonlySet<DetectorName>): DetectionHooks | undefined {
  if (names.size === 0) return undefined;
  return {
    createLane: () => createDetectLane(names),
    labelDetector: (label) => labelDetector(label),
    secretName: (detector) => detectedSecretName(detector as DetectorName),
  };
}

function secretEntry(entry: unknown, i: number): { value: SecretValue; name?: string } {
  const at = `options.secrets[${i}]`;
  if (typeof entry === 'string' || entry instanceof Uint8Array) {
    checkSecretValue(entry, at);
    return { value: entry };
  }
  const isSpec = entry !== null && typeof entry === 'object' && !Array.isArray(entry) && !ArrayBuffer.isView(entry) && !(entry instanceof ArrayBuffer);
  if (!isSpec) checkSecretValue(entry, at); // throws: names the kind, not the value
  const spec = checkOptions(entry, at, SECRET_KEYS);
  const name = checkName(spec.name, `${at}.name`);
  const value = spec.value;
  checkSecretValue(value, name === undefined ? `${at}.value` : `${at}.value (${JSON.stringify(name)})`);
  return { value, name };
}

/** The name `::add-mask::` values are registered under, or undefined when off. */
function addMaskName(value: unknown, label: string): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_ADD_MASK_NAME;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`scrub-filter: ${label} must be true, false or { name } (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`})`);
  }
  const o = checkOptions(value, label, ADD_MASK_KEYS);
  return checkName(o.name, `${label}.name`) ?? DEFAULT_ADD_MASK_NAME;
}

class FaceScrubber implements Scrubber {
  readonly #engine: ScrubberEngine;

  constructor(engine: ScrubberEngine) {
    this.#engine = engine;
  }

  get secretCount(): number {
    return this.#engine.secretCount;
  }

  get patternCount(): number {
    return this.#engine.patternCount;
  }

  add(secret: SecretValue, options?: AddOptions): AddResult {
    const o = checkOptions(options, 'add(secret, options)', ADD_KEYS);
    const name = checkName(o.name, 'add: options.name');
    checkSecretValue(secret, name === undefined ? 'add: secret' : `add: secret ${JSON.stringify(name)}`);
    return this.#engine.add(secret, { name });
  }

  scrub(input: string): string;
  scrub(input: Uint8Array): Uint8Array;
  scrub(input: string | Uint8Array): string | Uint8Array {
    checkInput(input, 'scrub');
    return typeof input === 'string' ? this.#engine.scrub(input) : this.#engine.scrub(input);
  }

  session(options?: SessionOptions): ScrubSession {
    const o = checkOptions(options, 'session(options)', SESSION_KEYS);
    return this.makeSession(addMaskName(o.addMask, 'session: options.addMask'));
  }

  stream(options?: StreamOptions): Transform {
    const o = checkOptions(options, 'stream(options)', STREAM_KEYS);
    const highWaterMark = checkInteger(o.highWaterMark, 'stream: options.highWaterMark', 0, MAX_HIGH_WATER_MARK);
    const session = this.makeSession(addMaskName(o.addMask, 'stream: options.addMask'));
    return nodeScrubStream(session, { highWaterMark });
  }

  webStream(options?: WebStreamOptions): TransformStream<Uint8Array | string, Uint8Array> {
    const o = checkOptions(options, 'webStream(options)', SESSION_KEYS);
    return webScrubStream(this.makeSession(addMaskName(o.addMask, 'webStream: options.addMask')));
  }

  stats(): ScrubStats {
    return this.#engine.stats();
  }

  warnings(): readonly ScrubWarning[] {
    return this.#engine.warnings();
  }

  compact(): void {
    this.#engine.compact();
  }

  private makeSession(addMask: string | undefined): ScrubSession {
    const session = this.#engine.session();
    if (addMask === undefined) return session;
    const engine = this.#engine;
    // add-mask registers through the engine (its values come from the stream, not from a caller to check).
    return checkedSession(addMaskSession({ add: (value, o) => engine.add(value, o), session: () => session }, { name: addMask }));
  }
}
