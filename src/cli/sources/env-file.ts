/**
 * Dotenv documents (`--secret-env-file PATH`, `--secret-cmd-format dotenv`):
 * every value is a secret named `<source>:KEY`.
 *
 * Parsing is Node's own `util.parseEnv` (the `node --env-file` format:
 * `export` prefixes, quotes, `#` comments, multi-line double-quoted values).
 * The text is decoded as latin1 and each value encoded back as latin1, which
 * maps bytes 1:1, so a value keeps its exact bytes whatever its encoding
 * (parseEnv only looks at ASCII syntax characters).
 *
 * parseEnv silently glues a malformed line onto the next key (`oops\nKEY=v`
 * becomes the key "oops\nKEY"). A key that is not a plain name is therefore
 * an error, as is a non-empty document with no entry at all: both mean the
 * document is not what the user thinks, and masking nothing would leak.
 */
import { parseEnv } from 'node:util';
import { toByteString, trimBytes } from '../../bytes/index.js';
import { displayName, SourceError, type SourcedSecret, type SourceWarning } from './types.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function dotenvSecrets(bytes: Uint8Array, base: string, warn: (w: SourceWarning) => void): SourcedSecret[] {
  const text = toByteString(bytes);
  const entries = parseEnv(text) as Record<string, string>;
  const out: SourcedSecret[] = [];
  for (const [key, raw] of Object.entries(entries)) {
    if (!KEY.test(key)) {
      throw new SourceError(base, `a line is not KEY=value near '${displayName(key.split('\n')[0].slice(0, 40))}'`);
    }
    const name = `${base}:${key}`;
    const value = trimBytes(Buffer.from(raw, 'latin1'));
    if (value.length === 0) {
      warn({ name, message: 'empty' });
      continue;
    }
    out.push({ name, value });
  }
  if (Object.keys(entries).length === 0 && /[^\s]/.test(text.replace(/^\s*#.*$/gm, ''))) {
    throw new SourceError(base, 'no KEY=value line found (not a dotenv document?)');
  }
  return out;
}
