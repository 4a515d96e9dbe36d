/**
 * What a source's bytes mean: one secret (`raw`), one per line (`lines`), a
 * dotenv document or a JSON document. Files and helper commands share this,
 * after the byte-order mark is handled.
 */
import { trimBytes } from '../../bytes/index.js';
import { dotenvSecrets } from './env-file.js';
import { jsonSecrets } from './json.js';
import { type SourcedSecret, type SourceWarning } from './types.js';

export const FORMATS = ['raw', 'lines', 'dotenv', 'json'] as const;
export type SourceFormat = (typeof FORMATS)[number];

export function parseSecrets(
  bytes: Uint8Array,
  format: SourceFormat,
  base: string,
  warn: (w: SourceWarning) => void,
): SourcedSecret[] {
  switch (format) {
    case 'raw':
      // An empty value is passed on: the scrubber warns about it by name (or --strict refuses it).
      return [{ name: base, value: trimBytes(bytes) }];
    case 'lines': {
      const out: SourcedSecret[] = [];
      let line = 0;
      let at = 0;
      while (at <= bytes.length) {
        let end = bytes.indexOf(0x0a, at);
        if (end < 0) end = bytes.length;
        line++;
        const value = trimBytes(bytes.subarray(at, end));
        if (value.length > 0) out.push({ name: `${base}:line ${line}`, value });
        at = end + 1;
      }
      if (out.length === 0) warn({ name: base, message: 'empty (no non-blank line)' });
      return out;
    }
    case 'dotenv':
      return dotenvSecrets(bytes, base, warn);
    case 'json':
      return jsonSecrets(bytes, base, warn);
  }
}
