#!/usr/bin/env node
/**
 * The `scrub-filter` executable (package.json "bin"). All logic is in ./run.ts.
 */
import { main } from './run.js';

main(process.argv.slice(2));
