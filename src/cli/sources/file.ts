/**
 * File sources: `--secret-file PATH` (the whole file is one secret),
 * `--secret-env-file PATH` (dotenv), `--secret-json PATH` (JSON). Each read
 * is bounded in size and time (see bounded.ts) and its byte-order mark
 * handled (see text.ts) before the format is parsed.
 */
import { readBounded } from './bounded.js';
import { parseSecrets, type SourceFormat } from './formats.js';
import { stripBom } from './text.js';
import { displayName, MAX_SOURCE_BYTES, type SourcedSecret, type SourceWarning } from './types.js';

const PREFIX: Record<SourceFormat, string> = { raw: 'file', lines: 'file', dotenv: 'env-file', json: 'json' };

export async function readFileSecrets(
  path: string,
  format: SourceFormat,
  options: { timeoutMs: number; warn: (w: SourceWarning) => void },
): Promise<SourcedSecret[]> {
  const name = `${PREFIX[format]}:${displayName(path)}`;
  const bytes = await readBounded(path, name, { maxBytes: MAX_SOURCE_BYTES, timeoutMs: options.timeoutMs });
  return parseSecrets(stripBom(bytes, name), format, name, options.warn);
}
