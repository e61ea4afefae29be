/**
 * Entry point of the `tcpfuzz` command (run through tsx by `bin/tcpfuzz.js` and `npm run tcpfuzz`).
 * Everything is in `cli.ts`; this file only connects it to the process.
 */
import { main } from './cli.js';
import { processIo } from './io.js';

process.exitCode = await main(process.argv.slice(2), processIo());
