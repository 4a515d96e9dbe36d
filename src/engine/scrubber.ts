/**
 * The scrubber engine: registers secrets (through a variant expander), owns
 * the pattern registry and hands out sessions that share it. It knows no
 * streams and checks no arguments: the face (src/face) validates the public
 * calls and composes the stream adapters around `session()`.
 */
import type { AddOptions, AddResult, ScrubStats, ScrubWarning, SecretSpec, SecretValue } from '../api/types.js';
import { toByteString, trimBytes } from '../bytes/index.js';
import { PatternFacts } from './pattern-facts.js';
import { PatternRegistry, type RegistryTuning } from './registry.js';
import { createViewLanes, type Lane, type LaneVariant } from './lanes/index.js';
import { MatchSink, ROOT_STATE } from '../matcher/index.js';
import { Output, StreamSession, type CompiledSet, type SessionHost } from './session.js';

/** Default input kept per stream so that an add() masks an occurrence that began up to this far back. */
export const DEFAULT_HISTORY_BYTES = 64 * 1024;

/** Turns one secret (trimmed or not) into the byte patterns to mask; the first is the exact secret. */
export type SecretExpander = (secret: Uint8Array) => Uint8Array[];

export interface EngineConfig {
  mask: Uint8Array;
  minLength: number;
  expand: SecretExpander;
  onWarning?: (warning: ScrubWarning) => void;
  /** Decoded views to scan (variants implemented as lanes: base64-wrapped, percent, entities). */
  lanes?: ReadonlySet<LaneVariant>;
  /** Structural detection (the face wires src/detect in here); default none. */
  detection?: DetectionHooks;
  /** Input each stream keeps for add() rescans; default DEFAULT_HISTORY_BYTES. */
  historyBytes?: number;
  /** Internal knobs (tests exercise merges and sparse states with tiny values). */
  tuning?: RegistryTuning;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** A secret's bytes: UTF-8 for a string, a copy for bytes (later changes by the caller must not matter). */
export function toBytes(value: SecretValue): Uint8Array {
  if (typeof value === 'string') return utf8.encode(value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  throw new TypeError('scrub-filter: a secret must be a string or a Uint8Array');
}

/** What the engine needs of a detector module, without knowing it (it sits above the engine). */
export interface DetectionHooks {
  /** A fresh detection lane for one stream, or null when no detector is on. */
  createLane(): Lane | null;
  /** The detector behind a negative cover label, for stats. */
  labelDetector(label: number): string | undefined;
  /** The name a detected secret is registered and counted under (`detect:<detector>`). */
  secretName(detector: string): string;
}

/** Distinct detected values registered per scrubber; later ones are still masked where found, not registered. */
export const MAX_DETECTED_SECRETS = 4096;

export class ScrubberEngine implements SessionHost {
  readonly mask: Uint8Array;
  readonly historyBytes: number;
  private readonly laneVariants: ReadonlySet<LaneVariant>;
  private readonly config: EngineConfig;
  private readonly registry: PatternRegistry;
  private readonly names: string[] = [];
  private readonly maskCounts: number[] = [];
  private readonly warningList: ScrubWarning[] = [];
  private readonly detection: DetectionHooks | null;
  /** Detections and masks per detector; detected values already registered (latin1 keys). */
  private readonly detectedCounts: Record<string, number> = {};
  private readonly detectMasks: Record<string, number> = {};
  private readonly detectedValues = new Set<string>();
  /** What lanes may ask about the patterns (see CompiledSet.facts). */
  private readonly facts: PatternFacts;
  private registrySet: CompiledSet | null = null;
  private publishedSet: CompiledSet | null = null;

  constructor(config: EngineConfig) {
    this.config = config;
    this.mask = config.mask;
    this.laneVariants = config.lanes ?? new Set();
    this.historyBytes = config.historyBytes ?? DEFAULT_HISTORY_BYTES;
    this.detection = config.detection ?? null;
    this.registry = new PatternRegistry(config.tuning);
    this.facts = new PatternFacts(this.laneVariants.has('base64-wrapped'));
  }

  get secretCount(): number {
    return this.names.length;
  }

  get patternCount(): number {
    return this.registry.patternCount;
  }

  /** Automata built so far (for tests and benchmarks). */
  get builds(): number {
    return this.registry.builds;
  }

  /** Bytes held by the compiled automata (after the next compile). */
  get tableBytes(): number {
    return this.registry.tableBytes;
  }

  add(secret: SecretValue, options: AddOptions = {}): AddResult {
    const bytes = toBytes(secret);
    const name = options.name ?? `secret#${this.names.length + this.warningList.length + 1}`;
    const core = trimBytes(bytes);
    if (core.length === 0) return this.skip(name, 'empty', `${name}: empty secret, not registered`);
    if (core.length < this.config.minLength) {
      return this.skip(name, 'too-short', `${name}: shorter than ${this.config.minLength} bytes, not registered`);
    }
    const patterns = this.config.expand(bytes);
    const owner = this.names.length;
    let added = 0;
    for (const p of patterns) {
      if (p.length === 0) continue;
      this.facts.add(p);
      this.registry.add(p, owner);
      added++;
    }
    this.names.push(name);
    this.maskCounts.push(0);
    return { registered: true, patterns: added, name };
  }

  addAll(secrets: ReadonlyArray<SecretValue | SecretSpec>): void {
    for (const s of secrets) {
      if (typeof s === 'string' || s instanceof Uint8Array) this.add(s);
      else this.add(s.value, { name: s.name });
    }
  }

  scrub(input: string): string;
  scrub(input: Uint8Array): Uint8Array;
  scrub(input: string | Uint8Array): string | Uint8Array {
    const bytes = typeof input === 'string' ? utf8.encode(input) : input;
    const session = this.session();
    const out = new Output();
    session.writeTo(bytes, out);
    session.endTo(out);
    let joined = out.joined();
    // One-shot results never alias the caller's buffer (a clean input comes back as a view of itself).
    if (joined.buffer === bytes.buffer) joined = Buffer.from(joined);
    return typeof input === 'string' ? utf8Decoder.decode(joined) : joined;
  }

  session(): StreamSession {
    return new StreamSession(this);
  }

  compact(): void {
    this.registry.compact();
  }

  stats(): ScrubStats {
    const masked: Record<string, number> = {};
    for (let i = 0; i < this.names.length; i++) {
      if (this.maskCounts[i] > 0) masked[this.names[i]] = (masked[this.names[i]] ?? 0) + this.maskCounts[i];
    }
    // A run whose longest range came from a detector is counted under its detected-secret name.
    for (const [name, n] of Object.entries(this.detectMasks)) masked[name] = (masked[name] ?? 0) + n;
    return { secrets: this.names.length, patterns: this.registry.patternCount, masked, detected: { ...this.detectedCounts } };
  }

  warnings(): readonly ScrubWarning[] {
    return this.warningList;
  }

  // --- SessionHost ---
  compiled(): CompiledSet {
    const set = this.registry.compiled();
    // The same object while nothing changed: sessions compare identity.
    if (set !== this.registrySet) {
      this.registrySet = set;
      this.publishedSet = { ...set, facts: this.facts };
    }
    return this.publishedSet as CompiledSet;
  }

  countMask(label: number): void {
    if (label >= 0) {
      this.maskCounts[this.registry.ownerOf(label)]++;
      return;
    }
    const detector = this.detection?.labelDetector(label);
    if (detector !== undefined) {
      const name = (this.detection as DetectionHooks).secretName(detector);
      this.detectMasks[name] = (this.detectMasks[name] ?? 0) + 1;
    }
  }

  createLanes(): Lane[] {
    const lanes = createViewLanes(this.laneVariants);
    const detect = this.detection?.createLane() ?? null;
    if (detect !== null) lanes.push(detect);
    return lanes;
  }

  /** Counts every detection; registers each distinct value once (a token printed 1,000 times is one secret). */
  registerDetected(value: Uint8Array, detector: string): void {
    this.detectedCounts[detector] = (this.detectedCounts[detector] ?? 0) + 1;
    const key = toByteString(value);
    if (this.detectedValues.has(key)) return;
    if (this.detectedValues.size >= MAX_DETECTED_SECRETS) {
      // Bounded memory: a log printing endless fresh tokens must not grow the automata without limit.
      if (this.detectedValues.size === MAX_DETECTED_SECRETS) {
        this.detectedValues.add('');
        this.skip(`detect:${detector}`, 'detected-limit', `${MAX_DETECTED_SECRETS} detected secrets registered; later ones are masked where detected but not registered`);
      }
      return;
    }
    this.detectedValues.add(key);
    // Already a pattern (typically a registered secret printed after "Bearer "): adding it again would only
    // put one more automaton level in front of every byte of every stream.
    if (this.isPattern(value)) return;
    this.add(value, { name: (this.detection as DetectionHooks).secretName(detector) });
  }

  /**
   * True when `value` is exactly one of the compiled patterns (the longest
   * match ending at its last byte is all of it). Compiles nothing: a compile
   * per detection made a line of many fresh detections quadratic (4 KiB of
   * `?token=` repeated took 4.6 s). Patterns added since the last compile
   * are not checked, so a value may be registered twice (harmless).
   */
  private isPattern(value: Uint8Array): boolean {
    const set = this.registry.published;
    if (value.length > set.maxPatternLength) return false;
    const sink = new MatchSink();
    for (const a of set.automata) {
      a.scan(value, 0, value.length, ROOT_STATE, sink);
      for (let m = 0; m < sink.count; m++) {
        if (sink.ends[m] === value.length - 1 && set.patternLength[sink.pats[m]] === value.length) return true;
      }
      sink.clear();
    }
    return false;
  }

  private skip(name: string, code: ScrubWarning['code'], message: string): AddResult {
    const warning: ScrubWarning = { code, name, message };
    this.warningList.push(warning);
    this.config.onWarning?.(warning);
    return { registered: false, patterns: 0, name };
  }
}
