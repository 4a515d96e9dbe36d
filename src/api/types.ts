/**
 * Public types of scrub-filter. Kept in one small file so that every module
 * (engine, adapters, face, CLI, benchmarks) codes against the same contract.
 * Everything here is exported from the package root.
 */
import type { Transform } from 'node:stream';
import type { DetectorName } from './detectors.js';

export type { DetectorName };

/** Names of the secret variants (see the README's variants table). */
export type VariantName =
  | 'lines' // each line of a multi-line secret, and the whole secret with LF / CRLF / CRCRLF / spaces
  | 'json' // JSON string escaping (\" \\ \/ \n \r \t \uXXXX)
  | 'base64' // standard and URL-safe base64 at all three alignments
  | 'base64-wrapped' // base64 wrapped at any column >= 16, LF/CRLF, indented or quoted lines (a lane; implies 'base64')
  | 'percent' // percent-encoding, any mix of literal and %XX bytes, either hex case, '+' or %20 for space (a lane)
  | 'entities' // HTML/XML character references: &amp; &lt; &gt; &quot; &apos; &#39; &#x27; ... (a lane)
  | 'shell'; // shell quoting: \" , '\'' , '"'"' , Makefile $$

/** A secret's value: a string (registered as its UTF-8 bytes) or bytes (copied at registration). */
export type SecretValue = string | Uint8Array;

/** A secret with the name it is referred to by in warnings, errors and stats. */
export interface SecretSpec {
  /** The secret. Surrounding ASCII whitespace is trimmed (a token file's newline is not part of the token). */
  value: SecretValue;
  /** How the secret is referred to, e.g. `env:GH_TOKEN`; never the value. Default `secret#N`. */
  name?: string;
}

/** A secret that was not registered, reported by name (never by value). */
export interface ScrubWarning {
  /** `empty`: nothing left after trimming; `too-short`: shorter than `minLength` bytes. */
  /** `detected-limit`: MAX_DETECTED_SECRETS detected values are registered; later ones are masked where detected, not registered. */
  code: 'too-short' | 'empty' | 'detected-limit';
  /** The secret's name (never its value). */
  name: string;
  /** One line for a log, naming the secret. */
  message: string;
}

/** Options of {@link createScrubber}. Unknown keys are an error. */
export interface ScrubberOptions {
  /**
   * Replacement for each maximal run of covered bytes: a string (UTF-8) or
   * bytes, at most {@link MAX_MASK_BYTES} bytes (bounds how much output one
   * masked byte can become). May be empty (secrets are then removed). Default `***`.
   */
  mask?: string | Uint8Array;
  /** Secrets shorter than this many bytes (after trimming) are skipped with a warning. An integer 1..1048576; default 4. */
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
   * Default 65,536; an integer 1..64 MiB; a stream keeps more when its patterns or lanes need more.
   */
  historyBytes?: number;
  /** Secrets registered at creation: an array of strings, byte arrays or `{ value, name }`. */
  secrets?: ReadonlyArray<SecretValue | SecretSpec>;
  /** Called synchronously for every skipped secret (by name, never by value). See also `warnings()`. */
  onWarning?: (warning: ScrubWarning) => void;
}

/** Options of `scrubber.add()`. Unknown keys are an error. */
export interface AddOptions {
  /** How the secret is referred to in warnings and stats, e.g. `vault:db`. Default `secret#N`. */
  name?: string;
}

/** What `scrubber.add()` did. */
export interface AddResult {
  /** False when the secret was skipped (too short, empty); a warning says why. */
  registered: boolean;
  /** Number of byte patterns this secret contributed (after de-duplication across the whole set it may be fewer). */
  patterns: number;
  /** The name the secret is known by (given, or the generated `secret#N`). */
  name: string;
}

/** Counts, by secret name; never values. */
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

/**
 * In-band secrets: a line `::add-mask::VALUE` in the input registers VALUE
 * with the whole scrubber (every live stream) and is itself never output.
 * `true` uses the defaults.
 */
export type AddMaskOption = boolean | AddMaskOptions;

/** Options of the in-band `::add-mask::` handling. Unknown keys are an error. */
export interface AddMaskOptions {
  /** Name the values are registered under (warnings, stats). Default `add-mask`. */
  name?: string;
}

/** Options of `scrubber.session()`. Unknown keys are an error. */
export interface SessionOptions {
  /** Honour `::add-mask::VALUE` lines in this session's input (see {@link AddMaskOption}). Default false. */
  addMask?: AddMaskOption;
}

/** Options of `scrubber.stream()`. Unknown keys are an error. */
export interface StreamOptions extends SessionOptions {
  /** highWaterMark of both sides of the Node stream, in bytes: an integer 0..2^30. Default Node's (16 KiB or 64 KiB). */
  highWaterMark?: number;
}

/** Options of `scrubber.webStream()`. Unknown keys are an error. */
export type WebStreamOptions = SessionOptions;

/**
 * The synchronous streaming core, one per stream: bytes in, scrubbed bytes
 * out. Every adapter is built on these four methods and nothing else.
 *
 * Errors: a wrong argument throws a `TypeError` before anything changes. Any
 * other throw (engine failure, an `emit` callback that throws, a too-long
 * `::add-mask::` line) marks the session failed: every later call throws,
 * so nothing unscrubbed is ever passed on.
 */
export interface ScrubSession {
  /** Scrubs the next chunk; returns the bytes that are final now (possibly empty; possibly a view of `chunk`). */
  write(chunk: Uint8Array): Uint8Array;
  /** End of input: returns every byte still held back (scrubbed). Every later call throws. */
  end(): Uint8Array;
  /**
   * Like write(), without joining: the output goes to `emit` in order, as
   * views of `chunk` where possible (no copy of clean text). Do not modify
   * `chunk` until the pieces are consumed. If `emit` throws, the session is
   * failed (the rest of this chunk's output is lost) and the error is rethrown.
   */
  writeEach(chunk: Uint8Array, emit: (piece: Uint8Array) => void): void;
  /** Like end(), output to `emit` (same rule if `emit` throws). */
  endEach(emit: (piece: Uint8Array) => void): void;
  /** Bytes currently held back because they could still be the start of a secret (or of an `::add-mask::` line). */
  readonly heldBytes: number;
}

/**
 * A set of secrets, shared by every stream and session it hands out. Made by
 * {@link createScrubber}. `add()` applies to every live stream at once.
 */
export interface Scrubber {
  /**
   * Registers a secret (and its enabled variants) for every live and future
   * stream: bytes not yet emitted are scrubbed with it, including bytes held
   * back right now. Bytes already emitted cannot be recalled. Empty or
   * too-short secrets are skipped with a warning naming them. Throws a
   * `TypeError`/`RangeError` naming the secret (never showing it) when it is
   * neither a string nor a `Uint8Array`, or longer than {@link MAX_SECRET_BYTES}.
   */
  add(secret: SecretValue, options?: AddOptions): AddResult;
  /** One-shot: the scrubbed string (UTF-8 in and out). */
  scrub(input: string): string;
  /** One-shot: the scrubbed bytes; never a view of `input`. */
  scrub(input: Uint8Array): Uint8Array;
  /**
   * A Node `Transform` (`node:stream`): bytes or strings (UTF-8) in, scrubbed
   * bytes out; backpressure respected; a scrubbing error, or an error thrown
   * by a `'data'` listener, destroys it with that error (nothing of the chunk
   * is pushed after a scrubbing error).
   */
  stream(options?: StreamOptions): Transform;
  /** A Web `TransformStream`: bytes or strings (UTF-8) in, scrubbed bytes out; errors error the stream. */
  webStream(options?: WebStreamOptions): TransformStream<Uint8Array | string, Uint8Array>;
  /** A synchronous streaming session (what the streams wrap); for engines that drive I/O themselves. */
  session(options?: SessionOptions): ScrubSession;
  /** Masks emitted so far per secret name, and the set's size. */
  stats(): ScrubStats;
  /** Warnings so far (skipped secrets), by name. */
  warnings(): readonly ScrubWarning[];
  /** Merge recently added secrets into the main automaton now (normally automatic, amortised). */
  compact(): void;
  /** Registered secrets. */
  readonly secretCount: number;
  /** Distinct byte patterns registered. */
  readonly patternCount: number;
}

