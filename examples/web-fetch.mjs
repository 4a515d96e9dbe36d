// Web streams: scrub a fetch() response body as it streams, and serve a
// scrubbed Response (a log proxy): `node examples/web-fetch.mjs`.
// A local HTTP server stands in for a CI log endpoint.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createScrubber } from 'scrub-filter';

const apiKey = 'fake-api-key-5a5a5a5a';
const scrubber = createScrubber({ secrets: [{ value: apiKey, name: 'vault:api-key' }] });

// The "log endpoint": sends the key split across two network writes, and JSON-escaped.
const server = createServer((req, res) => {
  res.write(`step 1: curl -H "X-Api-Key: ${apiKey.slice(0, 12)}`);
  setTimeout(() => {
    res.end(`${apiKey.slice(12)}" ...\nstep 2: ${JSON.stringify({ config: `key=${apiKey}\n` })}\n`);
  }, 20);
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${server.address().port}/log`;

// 1. Read a fetched body through the scrubber, chunk by chunk.
const response = await fetch(url);
const reader = response.body.pipeThrough(scrubber.webStream()).pipeThrough(new TextDecoderStream()).getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) process.stdout.write(r.value);

// 2. Hand on a scrubbed Response (e.g. from a fetch handler or a service worker).
const upstream = await fetch(url);
const scrubbed = new Response(upstream.body.pipeThrough(scrubber.webStream()), { status: upstream.status, headers: { 'content-type': 'text/plain' } });
process.stdout.write(`--- proxied (${scrubbed.status}) ---\n${await scrubbed.text()}`);

server.close();
