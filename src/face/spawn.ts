/**
 * The public `spawnScrubbed()`: src/spawn's helper behind the same argument
 * checks as every other public entry (it starts a process, so a misspelt
 * option must fail before anything runs, not be ignored).
 */
import type { Scrubber } from '../api/types.js';
import { checkArray, checkFunction, checkInteger, checkName, checkOptions, kindOf } from '../api/validate.js';
import { spawnScrubbed as spawnImpl, type ScrubbedProcess, type SpawnScrubbedOptions } from '../spawn/index.js';
import { isFaceScrubber } from './scrubber.js';

const P = 'scrub-filter: spawnScrubbed';
const SPAWN_KEYS = ['args', 'cwd', 'env', 'stdin', 'stdout', 'stderr', 'addMask', 'processGroup', 'killGraceMs', 'onError'] as const;
const ADD_MASK_KEYS = ['name', 'onAdd', 'maxLineBytes', 'stopCommands'] as const;
const STDIN = ['inherit', 'ignore', 'pipe'];

function noNul(value: unknown, label: string): string {
  if (typeof value !== 'string') throw new TypeError(`${P}: ${label} must be a string (got ${kindOf(value)})`);
  if (value.includes('\0')) throw new TypeError(`${P}: ${label} must not contain NUL`);
  return value;
}

function writable(value: unknown, label: string): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || typeof (value as { write?: unknown }).write !== 'function') {
    throw new TypeError(`${P}: ${label} must be a Writable stream (got ${kindOf(value)})`);
  }
}

/**
 * Runs `command` (no shell) with its stdout and stderr scrubbed by
 * `scrubber` into `options.stdout` / `options.stderr` (default ours);
 * `result` resolves with its exit status once both outputs are flushed, or
 * rejects with a `SpawnError` when it cannot be started. See the README
 * ("Running a command") for the options.
 */
export function spawnScrubbed(scrubber: Scrubber, command: string, options?: SpawnScrubbedOptions): ScrubbedProcess {
  if (!isFaceScrubber(scrubber)) throw new TypeError(`${P}: scrubber must come from createScrubber() (got ${kindOf(scrubber)})`);
  if (noNul(command, 'command').length === 0) throw new RangeError(`${P}: command must not be empty`);
  const o = checkOptions(options, 'spawnScrubbed(scrubber, command, options)', SPAWN_KEYS);
  const args = checkArray(o.args, 'spawnScrubbed: options.args', 'pass a list, e.g. args: [arg]');
  args?.forEach((a, i) => noNul(a, `options.args[${i}]`));
  if (o.cwd !== undefined) noNul(o.cwd, 'options.cwd');
  if (o.env !== undefined && (o.env === null || typeof o.env !== 'object' || Array.isArray(o.env))) {
    throw new TypeError(`${P}: options.env must be an object (got ${kindOf(o.env)})`);
  }
  if (o.stdin !== undefined && !STDIN.includes(o.stdin as string)) {
    throw new TypeError(`${P}: options.stdin must be one of ${STDIN.join(', ')} (got ${typeof o.stdin === 'string' ? JSON.stringify(o.stdin.slice(0, 20)) : kindOf(o.stdin)})`);
  }
  writable(o.stdout, 'options.stdout');
  writable(o.stderr, 'options.stderr');
  if (o.addMask !== undefined && typeof o.addMask !== 'boolean') {
    if (o.addMask === null || typeof o.addMask !== 'object' || Array.isArray(o.addMask)) {
      throw new TypeError(`${P}: options.addMask must be true, false or an object (got ${kindOf(o.addMask)})`);
    }
    const am = checkOptions(o.addMask, 'spawnScrubbed: options.addMask', ADD_MASK_KEYS);
    checkName(am.name, 'spawnScrubbed: options.addMask.name');
    checkFunction(am.onAdd, 'spawnScrubbed: options.addMask.onAdd');
    checkInteger(am.maxLineBytes, 'spawnScrubbed: options.addMask.maxLineBytes', 64, 2 ** 30);
    if (am.stopCommands !== undefined && typeof am.stopCommands !== 'boolean') {
      throw new TypeError(`${P}: options.addMask.stopCommands must be a boolean (got ${kindOf(am.stopCommands)})`);
    }
  }
  if (o.processGroup !== undefined && typeof o.processGroup !== 'boolean' && o.processGroup !== 'auto') {
    throw new TypeError(`${P}: options.processGroup must be true, false or 'auto' (got ${kindOf(o.processGroup)})`);
  }
  checkInteger(o.killGraceMs, 'spawnScrubbed: options.killGraceMs', 0, 2 ** 31 - 1);
  checkFunction(o.onError, 'spawnScrubbed: options.onError');
  return spawnImpl(scrubber, command, options);
}
