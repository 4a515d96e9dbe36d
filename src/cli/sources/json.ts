/**
 * JSON documents of secrets (`--secret-json PATH`, `--secret-cmd-format json`):
 * what Vault, `aws secretsmanager get-secret-value`, `op item get --format
 * json` print. Every string value, at any depth, is a secret named by its
 * JSON path: `<source>:$.data.password`, `<source>:$.fields[2].value`.
 * Numbers, booleans and null are not secrets (a port or a flag would mask
 * digits everywhere). Keys are names, not secrets.
 *
 * The walk is iterative: a deeply nested document cannot overflow the stack.
 */
import { trimBytes } from '../../bytes/index.js';
import { decodeUtf8 } from './text.js';
import { displayName, SourceError, type SourcedSecret, type SourceWarning } from './types.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function jsonSecrets(bytes: Uint8Array, base: string, warn: (w: SourceWarning) => void): SourcedSecret[] {
  const text = decodeUtf8(bytes, base, 'the JSON document');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // V8's message quotes part of the document (it may hold a secret): keep the position only.
    const at = /position (\d+)/.exec((err as Error).message);
    throw new SourceError(base, `not valid JSON${at ? ` (at byte ${at[1]})` : ''}`);
  }
  const out: SourcedSecret[] = [];
  let strings = 0;
  const stack: Array<[string, unknown]> = [['$', doc]];
  while (stack.length > 0) {
    const [path, v] = stack.pop()!;
    if (typeof v === 'string') {
      strings++;
      const name = `${base}:${displayName(path)}`;
      const value = trimBytes(new TextEncoder().encode(v));
      if (value.length === 0) warn({ name, message: 'empty' });
      else out.push({ name, value });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([`${path}[${i}]`, v[i]]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        stack.push([IDENT.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, (v as Record<string, unknown>)[k]]);
      }
    }
  }
  if (strings === 0) throw new SourceError(base, 'no string value in the JSON document (nothing to mask)');
  return out;
}
