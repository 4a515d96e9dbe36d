/**
 * Public types of scrub-filter. Kept in one small file so that every module
 * (engine, adapters, CLI, benchmarks) codes against the same contract.
 */
import type { Transform } from 'node:stream';
import type { DetectorName } from '../detect/names.js';

export type { DetectorName };

/** Names of the secret variants (see src/variants). */
export type VariantName =
  | 'lines' // each line of a multi-line secret, and the whole secret with LF / CRLF / CRCRLF / spaces
  | 'json' // JSON string escaping (\" \\ \/ \n \r \t \uXXXX)
  | 'base64' // standard and URL-safe base64 at all three alignments
  | 'base64-wrapped' // base64 wrapped at any column >= 16, LF/CRLF, indented or quoted lines (a lane; needs 'base64')
  | 'percent' // percent-encoding, any mix of literal and %XX bytes, either hex case, '+' or %20 for space (a lane)
  | 'entities' // HTML/XML character references: &amp; &lt; &gt; &quot; &apos; &#39; &#x27; ... (a lane)
  | 'shell'; // shell quoting: \" , '\'' , '"'"' , Makefile $$

export type SecretValue = string | Uint8Array;

export interface SecretSpec {
  value: SecretValue;
  /** How the secret is referred to in warnings, errors and stats, e.g. `env:GH_TOKEN`. Never the value. */
  name?: string;
}

export interface ScrubWarning {
  code: 'too-short' | 'empty';
  /** The secret's name (never its value). */
  name: string;
  message: string;
}

export interface ScrubberOptions {
  /** Replacement for each maximal run of covered bytes. Default `***`. */
  mask?: string | Uint8Array;
  /** Secrets shorter than this many bytes (after trimming) are skipped with a warning. Default 4. */
  minLength?: number;
  /** `true` (default): every variant; `false`: exact bytes only; or a list of variant names. */
  variants?: boolean | readonly VariantName[];
  /**
   * Structural detection of secrets nobody registered (private keys, provider
   * tokens, URL/header credentials; see src/detect). `true` (default): every
   * detector; `false`: none; or a list of detector names.
   */
  detect?: boolean | readonly DetectorName[];
  /**
   * Input each stream keeps so that an `add()` still masks an occurrence that
   * began up to this many bytes before it (from the first unemitted byte on).
   * Default 65,536; a stream keeps more when its patterns or lanes need more.
   */
  historyBytes?: number;
  /** Secrets registered at creation. */
  secrets?: ReadonlyArray<SecretValue | SecretSpec>;
  /** Called for every skipped secret (by name, never by value). Default: `process.emitWarning`-free no-op collector, see `warnings()`. */
  onWarning?: (warning: ScrubWarning) => void;
}

export interface AddOptions {
  name?: string;
}

export interface AddResult {
  /** False when the secret was skipped (too short, empty). */
  registered: boolean;
  /** Number of byte patterns this secret contributed (after de-duplication across the whole set it may be fewer). */
  patterns: number;
  name: string;
}

export interface ScrubStats {
  /** Registered secrets. */
  secrets: number;
  /** Distinct byte patterns in the automaton. */
  patterns: number;
  /** Masks emitted, per secret name (the longest match of each masked run decides the name). */
  masked: Record<string, number>;
  /** Secrets found by the detectors, per detector name (e.g. `github`). Counts, never values. */
  detected: Record<string, number>;
}

/** Low-level, synchronous streaming API used by the adapters (one per stream). */
export interface ScrubSession {
  /** Scrubs the next chunk; returns the bytes that are final now (possibly empty). */
  write(chunk: Uint8Array): Uint8Array;
  /** End of input: returns every byte still held back (scrubbed). The session cannot be used afterwards. */
  end(): Uint8Array;
  /**
   * Like write(), without joining: the output goes to `emit` in order, as
   * views of `chunk` where possible (no copy of clean text). Do not modify
   * `chunk` until the pieces are consumed.
   */
  writeEach(chunk: Uint8Array, emit: (piece: Uint8Array) => void): void;
  /** Like end(), output to `emit`. */
  endEach(emit: (piece: Uint8Array) => void): void;
  /** Bytes currently held back because they could still be the start of a secret. */
  readonly heldBytes: number;
}

export interface StreamOptions {
  /** highWaterMark for the Node stream, in bytes. */
  highWaterMark?: number;
}

export interface Scrubber {
  add(secret: SecretValue, options?: AddOptions): AddResult;
  scrub(input: string): string;
  scrub(input: Uint8Array): Uint8Array;
  /** Node Transform: bytes (or UTF-8 strings) in, scrubbed bytes out. */
  stream(options?: StreamOptions): Transform;
  /** Web TransformStream: bytes (or UTF-8 strings) in, scrubbed bytes out. */
  webStream(): TransformStream<Uint8Array | string, Uint8Array>;
  /** A synchronous streaming session (what the adapters wrap). */
  session(): ScrubSession;
  stats(): ScrubStats;
  /** Warnings so far (skipped secrets), by name. */
  warnings(): readonly ScrubWarning[];
  /** Merge recently added secrets into the main automaton now (normally automatic). */
  compact(): void;
  readonly secretCount: number;
  readonly patternCount: number;
}

export type { Transform };
