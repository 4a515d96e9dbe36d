/**
 * Secret variants: every byte pattern that must be masked for one secret,
 * so that it is caught however a log renders it (re-wrapped, indented,
 * base64-, JSON- or shell-encoded). Pure functions, bytes in, bytes out; the
 * engine puts all patterns into its automata. Renderings that patterns cannot
 * enumerate (percent-encoding with any choice of escaped bytes, HTML/XML
 * entities, base64 wrapped at any column) are decoded views of the stream
 * instead: see src/engine/lanes.
 */
import type { VariantName } from '../api/types.js';
import { base64Cores } from './base64.js';
import { toByteString } from '../bytes/index.js';
import { packByteStrings, trimAsciiWhitespace } from './byte-string.js';
import { jsonDocumentValues, jsonEscapedForms } from './json.js';
import { hasLineBreak, isArmorLine, joinedForms, splitLines } from './lines.js';
import { shellQuotedForms } from './shell.js';

export { ALL_VARIANTS, laneVariantsOf, resolveVariants } from './names.js';

export interface VariantConfig {
  variants: ReadonlySet<VariantName>;
  /** Lines (and re-joined forms) of a multi-line secret shorter than this are not registered. Default 8. */
  lineFloor?: number;
  /** Encoded patterns (json, base64, shell) shorter than this are not registered. Default 8. */
  encodedFloor?: number;
}

export const DEFAULT_LINE_FLOOR = 8;
export const DEFAULT_ENCODED_FLOOR = 8;

/**
 * Every byte pattern that must be masked for this secret: first the exact
 * secret trimmed of surrounding ASCII whitespace, then each variant's
 * patterns, de-duplicated. No pattern is shorter than its floor, except the
 * exact secret (the engine applies `minLength` to it).
 *
 * Returns an empty array when the secret is empty after trimming.
 *
 * Which texts get encoded: the exact secret and each registered line (so a
 * single PEM line is caught inside base64 or a URL too); for `json` also the
 * LF-joined multi-line secret (`jq -Rs .` of a CRLF or indented file).
 * `base64-wrapped`, `percent` and `entities` add nothing here: they are lanes
 * (decoded views the engine scans with these patterns).
 *
 * With `json`, a secret that is a JSON document (a GCP service-account key,
 * `aws secretsmanager get-secret-value` output) also registers each of its
 * string values, expanded the same way, so `jq -r .private_key` is masked.
 */
export function expandSecret(secret: Uint8Array, config: VariantConfig): Uint8Array[] {
  const lineFloor = checkFloor(config.lineFloor ?? DEFAULT_LINE_FLOOR, 'lineFloor');
  const encodedFloor = checkFloor(config.encodedFloor ?? DEFAULT_ENCODED_FLOOR, 'encodedFloor');
  const variants = config.variants;

  const exact = trimAsciiWhitespace(toByteString(secret));
  if (exact.length === 0) return [];

  const patterns = new PatternCollector();
  patterns.add(exact, 0);

  // Texts whose encoded forms are registered.
  const encodable = [exact];
  const jsonOnly: string[] = [];

  if (variants.has('lines') && hasLineBreak(exact)) {
    const lines = splitLines(exact);
    for (const line of lines) {
      if (line.length < lineFloor || isArmorLine(line)) continue;
      if (patterns.add(line, lineFloor)) encodable.push(line);
    }
    const joined = joinedForms(lines, exact);
    for (const form of joined) patterns.add(form, lineFloor);
    const lfJoined = joined[0];
    if (lfJoined !== exact) jsonOnly.push(lfJoined);
  }

  if (variants.has('json')) {
    for (const text of encodable) patterns.addAll(jsonEscapedForms(text), encodedFloor);
    for (const text of jsonOnly) patterns.addAll(jsonEscapedForms(text), encodedFloor);
  }
  if (variants.has('base64') || variants.has('base64-wrapped')) {
    for (const text of encodable) patterns.addAll(base64Cores(text), encodedFloor);
  }
  if (variants.has('shell')) {
    for (const text of encodable) patterns.addAll(shellQuotedForms(text), encodedFloor);
  }
  if (variants.has('json')) {
    for (const value of jsonDocumentValues(exact)) {
      if (value.length < encodedFloor || value === exact) continue;
      const bytes = Buffer.from(value, 'latin1');
      for (const p of expandSecret(bytes, config)) patterns.add(toByteString(p), Math.min(encodedFloor, p.length));
    }
  }
  return patterns.toBytes();
}

/** Ordered, de-duplicated byte-string patterns with a length floor per addition. */
class PatternCollector {
  private readonly seen = new Set<string>();
  private readonly ordered: string[] = [];

  /** True when the pattern was new and long enough. */
  add(pattern: string, floor: number): boolean {
    if (pattern.length < floor || pattern.length === 0) return false;
    const before = this.seen.size;
    this.seen.add(pattern); // one hash lookup instead of has() + add()
    if (this.seen.size === before) return false;
    this.ordered.push(pattern);
    return true;
  }

  addAll(candidates: readonly string[], floor: number): void {
    for (const pattern of candidates) this.add(pattern, floor);
  }

  /** The patterns as views into one allocation (one copy per secret instead of one per pattern). */
  toBytes(): Uint8Array[] {
    return packByteStrings(this.ordered);
  }
}

function checkFloor(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer (got ${value})`);
  return value;
}
