/**
 * Gives a session built by another module (add-mask's `addMaskSession`) the
 * public argument contract of every session the face hands out: the
 * arguments are checked first (a TypeError naming them, nothing changed),
 * then the call is delegated. The engine's own sessions check themselves.
 */
import type { ScrubSession } from '../api/types.js';
import { checkCallback, checkChunk } from '../api/validate.js';

export function checkedSession(inner: ScrubSession): ScrubSession {
  return {
    write(chunk) {
      checkChunk(chunk, 'session.write');
      return inner.write(chunk);
    },
    writeEach(chunk, emit) {
      checkChunk(chunk, 'session.writeEach');
      checkCallback(emit, 'session.writeEach: emit');
      inner.writeEach(chunk, emit);
    },
    end: () => inner.end(),
    endEach(emit) {
      checkCallback(emit, 'session.endEach: emit');
      inner.endEach(emit);
    },
    get heldBytes() {
      return inner.heldBytes;
    },
  };
}
