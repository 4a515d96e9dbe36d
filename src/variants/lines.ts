/**
 * The `lines` variant: a multi-line secret (PEM key, certificate, JSON blob)
 * rarely reaches a log with its exact line structure. Each line on its own
 * covers indentation, `head -3`, one-line-at-a-time printing and any line
 * ending; the re-joined forms additionally cover the line breaks (and the
 * public armor) between lines, so a whole key becomes a single mask.
 *
 * All functions take and return byte strings (see byte-string.ts).
 */
import { trimAsciiWhitespace } from './byte-string.js';

/** A line break: LF after any number of CRs (LF, CRLF, CR CR LF), or a lone CR. */
const LINE_BREAK = /\r*\n|\r/;

/** Runs of the whitespace that unquoted `echo $KEY` splits words on (plus CR/VT/FF). */
const WHITESPACE_RUN = /[ \t\n\v\f\r]+/;

/** PEM / OpenSSH armor: public, the same in every key, so never registered alone. */
const ARMOR_LINE = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

export function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}

/**
 * The lines of a (trimmed) secret, each trimmed of surrounding whitespace.
 * Interior empty lines are kept so that the re-joined forms keep the
 * original structure.
 */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK).map(trimAsciiWhitespace);
}

export function isArmorLine(line: string): boolean {
  return ARMOR_LINE.test(line);
}

/**
 * The whole secret as the common renderings print it: LF (`cat`), CRLF
 * (Windows files, `sed 's/$/\r/'`), CR CR LF (a CRLF file through a tty in
 * cooked mode) and one line joined by single spaces (`echo $KEY` unquoted).
 */
export function joinedForms(lines: readonly string[], text: string): string[] {
  return [
    lines.join('\n'),
    lines.join('\r\n'),
    lines.join('\r\r\n'),
    text.split(WHITESPACE_RUN).filter((word) => word.length > 0).join(' '),
  ];
}
