// pino: log through a scrubbing destination: `node examples/pino-destination.mjs`.
// pino writes each log line (already JSON) to its destination's write();
// `scrubber.stream()` is such a destination, piped on to stdout. Scrubbing
// the serialized line catches secrets in any field, in messages, in error
// stacks, and in their JSON-escaped form (the `json` variant).
import pino from 'pino';
import { createScrubber } from 'scrub-filter';

const token = 'fake-pino-token-0d0d0d';
const password = 'fake"pass\\word-2468'; // a quote and a backslash: JSON shows it escaped
const scrubber = createScrubber({
  secrets: [
    { value: token, name: 'env:API_TOKEN' },
    { value: password, name: 'env:DB_PASSWORD' },
  ],
});

const destination = scrubber.stream();
destination.pipe(process.stdout);
const logger = pino({ base: undefined, timestamp: false }, destination);

logger.info({ user: 'ci', token }, 'logged in');
logger.info(`connecting with password ${password}`);
logger.warn({ headers: { authorization: `Bearer ${token}` } }, 'request');
logger.error(new Error(`auth failed for ${token}`), 'upstream error');

// End of the program: end the destination so held bytes are released (pino's own flush is for sonic-boom).
destination.end();
