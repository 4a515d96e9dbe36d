// winston: a format that scrubs the finished log line: `node examples/winston-format.mjs`.
// Put it last in format.combine(), after the format that renders the line
// (json(), simple(), printf()...): it scrubs info[Symbol.for('message')],
// the text the transports write, so every field is covered whatever its shape.
import winston from 'winston';
import { createScrubber } from 'scrub-filter';

const MESSAGE = Symbol.for('message');
const token = 'fake-winston-token-7e7e7e';
const scrubber = createScrubber({ secrets: [{ value: token, name: 'env:API_TOKEN' }] });

const scrubFormat = winston.format((info) => {
  const line = info[MESSAGE];
  // Fail closed: without a rendered line there is nothing safe to hand on.
  if (typeof line !== 'string') throw new Error('scrub format: put it after a finalizing format (json(), simple(), printf())');
  info[MESSAGE] = scrubber.scrub(line);
  return info;
});

const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.json(), scrubFormat()),
  transports: [new winston.transports.Console()],
});
logger.info('deploy started', { token, url: `https://ci:${token}@git.example/repo.git` });
logger.warn(`retrying with ${Buffer.from(`ci:${token}`).toString('base64')}`);

const plain = winston.createLogger({
  format: winston.format.combine(winston.format.simple(), scrubFormat()),
  transports: [new winston.transports.Console()],
});
plain.info(`simple format too: ${token}`);
