/**
 * The `base64` variant: the characters of base64(… + secret + …) that depend
 * on the secret's bytes alone, whatever surrounds the secret.
 *
 * Base64 maps each 6-bit group of the input to one character. When the
 * secret starts `a` bytes (mod 3) into the encoded data, character k covers
 * input bits [6k, 6k+6) and the secret covers bits [8a, 8a+8n). A character
 * lying entirely inside the secret's bits is the same whatever the
 * neighbouring bytes are, so the run of such characters (the "core") is found
 * verbatim inside base64(secret), base64(secret + "\n"),
 * base64("user:" + secret), base64(random + secret + random), with or
 * without `=` padding. Registering the core for a = 0, 1, 2 in both
 * alphabets (standard `+/` and URL-safe `-_`) catches every alignment.
 *
 * What stays visible: the boundary character that mixes secret bits with a
 * neighbour's bits (or with padding bits at the end of the data). That is at
 * most ONE character on each side, carrying at most 4 bits of the secret
 * (2 or 4 bits at the start, 2 or 4 at the end; none when the secret is
 * aligned to a 3-byte group on that side). In terms of the characters any
 * secret bit reaches, the leak is at most 1 per side, within the "1–2
 * boundary characters" the issue allows.
 *
 * Line-wrapped base64 (`base64` default, PEM bodies) is matched by the engine
 * joining wrapped lines virtually against these same cores; nothing here.
 */

/** First core character for each alignment: ceil(8a / 6). */
const CORE_START = [0, 2, 3] as const;

/** Unknown bytes before the secret for alignments 1 and 2; their value cannot reach the core. */
const ALIGNMENT_PAD = 2;

/** The up to six base64 cores of a byte string (standard then URL-safe, alignments 0, 1, 2). May be empty strings or duplicates. */
export function base64Cores(text: string): string[] {
  const length = text.length;
  // Pooled (cheap for short secrets); the pad bytes' value is irrelevant but zeroed for determinism.
  const scratch = Buffer.allocUnsafe(ALIGNMENT_PAD + length);
  scratch.fill(0, 0, ALIGNMENT_PAD);
  scratch.write(text, ALIGNMENT_PAD, 'latin1');

  const standard: string[] = [];
  for (let align = 0; align < 3; align++) {
    const encoded = scratch.toString('base64', ALIGNMENT_PAD - align, ALIGNMENT_PAD + length);
    // Last core character (exclusive): the last 6-bit group that ends inside the secret.
    const coreEnd = Math.floor((8 * (align + length)) / 6);
    const coreStart = CORE_START[align];
    standard.push(coreEnd > coreStart ? encoded.slice(coreStart, coreEnd) : '');
  }
  scratch.fill(0); // do not leave a copy of the secret in the shared pool
  return [...standard, ...standard.map(toUrlSafeAlphabet)];
}

function toUrlSafeAlphabet(core: string): string {
  if (!core.includes('+') && !core.includes('/')) return core;
  return core.replace(/\+/g, '-').replace(/\//g, '_');
}
