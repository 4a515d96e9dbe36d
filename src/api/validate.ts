/**
 * Argument checks for every public entry. Each throws a TypeError (wrong
 * kind) or RangeError (right kind, out of bounds) whose message starts with
 * `scrub-filter:` and names the argument. Secrets are named by their label
 * (`secrets[2] (env:GH_TOKEN)`), never shown: a message only ever says what
 * *type* a bad secret had.
 *
 * Why so strict: a wrong type used to reach the scanning loops (NaN
 * positions, endless loops) and a misspelt option key silently turned
 * masking off. Failing loudly at the call is the only safe reading.
 */

/** Longest accepted mask, in bytes: one masked byte never becomes more than this much output. */
export const MAX_MASK_BYTES = 256;
/** Longest accepted secret, in bytes (before trimming): holdback and tables stay bounded. The same 1 MiB as the CLI's bound on reading one source. */
export const MAX_SECRET_BYTES = 1024 * 1024;
/** Largest `minLength` (a larger one would skip every secret). */
export const MAX_MIN_LENGTH = MAX_SECRET_BYTES;
/** Longest accepted secret name, in UTF-16 units (a file path fits). */
export const MAX_NAME_LENGTH = 4096;
/** Largest accepted `historyBytes` per stream: 64 MiB is far beyond any log line; more is a configuration mistake. */
export const MAX_HISTORY_BYTES = 64 * 1024 * 1024;
/** Largest accepted `highWaterMark` (1 GiB). */
export const MAX_HIGH_WATER_MARK = 2 ** 30;

const P = 'scrub-filter: ';

/** What kind of value this is, never what it contains (it may be a secret). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'a string';
    case 'number':
      return Number.isNaN(value) ? 'NaN' : 'a number';
    case 'bigint':
      return 'a bigint';
    case 'boolean':
      return 'a boolean';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer';
  if (ArrayBuffer.isView(value)) return `a ${typeName(value)}`;
  return 'an object';
}

/** An option value that is not secret may be shown (numbers, booleans), with its kind otherwise. */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return kindOf(value);
}

function typeName(view: ArrayBufferView): string {
  const ctor = (view as { constructor?: { name?: unknown } }).constructor;
  return ctor && typeof ctor.name === 'string' && ctor.name.length < 40 ? ctor.name : 'typed array';
}

/**
 * `undefined` becomes `{}`; anything but a plain object is a TypeError; an
 * own key not in `keys` is a TypeError listing the valid keys (a misspelt
 * `secret:` must not mean "no secrets").
 */
export function checkOptions(value: unknown, label: string, keys: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${P}${label} must be an object (got ${kindOf(value)})`);
  }
  if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp || value instanceof Promise) {
    // Their entries are not own keys: read as options they would silently mean "nothing set".
    throw new TypeError(`${P}${label} must be a plain object (got a ${value.constructor.name})`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) {
      const name = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      throw new TypeError(`${P}${label}: unknown option ${JSON.stringify(name)}; valid options: ${keys.join(', ')}`);
    }
  }
  return record;
}

/** `undefined`, or an integer in [min, max]. */
export function checkInteger(value: unknown, label: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${P}${label} must be an integer (got ${kindOf(value)})`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${P}${label} must be an integer from ${min} to ${max} (got ${shown(value)})`);
  }
  return value;
}

/** `undefined`, or a function. */
export function checkFunction<F>(value: unknown, label: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${P}${label} must be a function (got ${kindOf(value)})`);
  return value as F;
}

/** A required function (a callback argument). */
export function checkCallback<F>(value: unknown, label: string): F {
  if (typeof value !== 'function') throw new TypeError(`${P}${label} must be a function (got ${kindOf(value)})`);
  return value as F;
}

/** A stream chunk for the synchronous session: bytes only (the session's output is bytes; strings go through scrub() or the streams). */
export function checkChunk(chunk: unknown, label: string): asserts chunk is Uint8Array {
  if (chunk instanceof Uint8Array) return;
  const hint =
    typeof chunk === 'string'
      ? ': encode it (new TextEncoder().encode(text)), or use scrub(), stream() or webStream(), which take strings'
      : chunk instanceof ArrayBuffer
        ? ': wrap it (new Uint8Array(buffer))'
        : '';
  throw new TypeError(`${P}${label}: chunk must be a Uint8Array (got ${kindOf(chunk)}${hint})`);
}

/** One-shot input: a string or bytes. */
export function checkInput(input: unknown, label: string): asserts input is string | Uint8Array {
  if (typeof input === 'string' || input instanceof Uint8Array) return;
  throw new TypeError(`${P}${label}: input must be a string or a Uint8Array (got ${kindOf(input)})`);
}

/** `undefined`, or a non-empty name of bounded length. */
export function checkName(name: unknown, label: string): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw new TypeError(`${P}${label} must be a string (got ${kindOf(name)})`);
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new RangeError(`${P}${label} must be 1 to ${MAX_NAME_LENGTH} characters long (got ${name.length})`);
  }
  return name;
}

/**
 * A secret value: a string or a Uint8Array of at most MAX_SECRET_BYTES.
 * `who` names it (`secret "env:GH_TOKEN"`, `secrets[2]`); the value is never shown.
 */
export function checkSecretValue(value: unknown, who: string): asserts value is string | Uint8Array {
  let bytes: number;
  if (typeof value === 'string') bytes = Buffer.byteLength(value, 'utf8');
  else if (value instanceof Uint8Array) bytes = value.length;
  else {
    const hint = value instanceof ArrayBuffer ? ': wrap it (new Uint8Array(buffer))' : '';
    throw new TypeError(`${P}${who}: a secret must be a string or a Uint8Array (got ${kindOf(value)}${hint})`);
  }
  if (bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`${P}${who}: a secret may be at most ${MAX_SECRET_BYTES} bytes (this one has ${bytes})`);
  }
}

/** `undefined`, or a mask (string or bytes) of at most MAX_MASK_BYTES. */
export function checkMask(mask: unknown, label: string): string | Uint8Array | undefined {
  if (mask === undefined) return undefined;
  let bytes: number;
  if (typeof mask === 'string') bytes = Buffer.byteLength(mask, 'utf8');
  else if (mask instanceof Uint8Array) bytes = mask.length;
  else throw new TypeError(`${P}${label} must be a string or a Uint8Array (got ${kindOf(mask)})`);
  if (bytes > MAX_MASK_BYTES) throw new RangeError(`${P}${label} may be at most ${MAX_MASK_BYTES} bytes (got ${bytes})`);
  return mask;
}

/** `undefined`, a boolean, or an array of names from `known`. */
export function checkVariants(value: unknown, label: string, known: readonly string[]): boolean | readonly string[] | undefined {
  return checkNameList(value, label, known, 'variant');
}

/** `detect`: like `variants`, with detector names. */
export function checkDetectors(value: unknown, label: string, known: readonly string[]): boolean | readonly string[] | undefined {
  return checkNameList(value, label, known, 'detector');
}

/** `true`, `false`, `undefined` or an array of known names (the one rule behind `variants` and `detect`). */
function checkNameList(value: unknown, label: string, known: readonly string[], what: string): boolean | readonly string[] | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (!Array.isArray(value)) {
    throw new TypeError(`${P}${label} must be true, false or an array of ${what} names (got ${kindOf(value)})`);
  }
  for (let i = 0; i < value.length; i++) {
    const name: unknown = value[i];
    if (typeof name !== 'string') throw new TypeError(`${P}${label}[${i}] must be a ${what} name (got ${kindOf(name)})`);
    if (!known.includes(name)) {
      const shownName = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw new RangeError(`${P}${label}[${i}]: unknown ${what} ${JSON.stringify(shownName)}; known ${what}s: ${known.join(', ')}`);
    }
  }
  return value as readonly string[];
}

/** `undefined`, or an array (a lone string is refused: it would otherwise be read one character at a time). */
export function checkArray(value: unknown, label: string, hint: string): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const more = typeof value === 'string' || value instanceof Uint8Array ? `; ${hint}` : '';
    throw new TypeError(`${P}${label} must be an array (got ${kindOf(value)}${more})`);
  }
  return value;
}
