/**
 * How a name-list option (`variants`, `detect`) resolves to a set of names:
 * `undefined` / `true` every known name, `false` none, a list exactly those.
 * Anything else throws, and an unknown name is named in the message, so a
 * typo never silently turns masking or detection of a whole class off.
 * (The public entries check the option first, with argument labels, in
 * validate.ts; this is the resolvers' own guard for internal callers.)
 */
export interface NameSetWords {
  /** The option, for "… must be true, false or a list": `variants`. */
  option: string;
  /** One name, for "a list of … names" and "known …s": `variant`. */
  item: string;
  /** An unknown name, for "unknown …": `secret variant`. */
  unknown: string;
}

export function resolveNameSet<N extends string>(opt: unknown, known: readonly N[], words: NameSetWords): Set<N> {
  if (opt === undefined || opt === true) return new Set(known);
  if (opt === false) return new Set();
  if (!Array.isArray(opt)) throw new TypeError(`${words.option} must be true, false or a list of ${words.item} names (got ${describe(opt)})`);
  const out = new Set<N>();
  for (const name of opt as readonly unknown[]) {
    if (typeof name !== 'string' || !known.includes(name as N)) {
      throw new Error(`unknown ${words.unknown} ${describe(name)}; known ${words.item}s: ${known.join(', ')}`);
    }
    out.add(name as N);
  }
  return out;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
