// The README's library snippet, runnable: `node examples/quick-start.mjs`.
// (Inside this repository `scrub-filter` resolves to the package itself; build first: `npm run build`.)
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createScrubber } from 'scrub-filter';

const token = process.env.GH_TOKEN ?? 'ghp_fake0123456789abcdefFAKEtoken';

const scrubber = createScrubber({
  secrets: [{ value: token, name: 'env:GH_TOKEN' }],
  // mask: '***', minLength: 4, variants: true,
  onWarning: (w) => console.error(`scrub-filter: ${w.message}`), // skipped secrets, by name
});

// One-shot
console.log(scrubber.scrub(`pushing with ${token}`)); // -> pushing with ***

// Node streams: one Transform per stream, all sharing the scrubber's secrets.
// `{ end: false }`: several sources may write to process.stdout; none ends it.
const log = Readable.from([`git push https://x:${token.slice(0, 10)}`, `${token.slice(10)}@github.com\n`]);
await pipeline(log, scrubber.stream(), process.stdout, { end: false }); // -> git push https://x:***@github.com

// Web streams
const body = new Response(`Authorization: Basic ${btoa(`ci:${token}`)}\n`).body;
const scrubbed = await new Response(body.pipeThrough(scrubber.webStream())).text();
process.stdout.write(scrubbed); // -> Authorization: Basic *** (the auth-header detector; with detect: false, Y2k6***)

// Dynamic secrets: fetched while jobs run; applies to every live stream at once
scrubber.add('fake-db-password-42', { name: 'vault:db' });
console.log(scrubber.scrub('connecting with fake-db-password-42')); // -> connecting with ***

console.log(JSON.stringify(scrubber.stats())); // names and counts, never values
