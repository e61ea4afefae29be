/**
 * `tcpfuzz version` (also `tcpfuzz --version`): print the version from package.json.
 */
import * as fs from 'node:fs';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_OK, ioOrDefault, usageError } from '../command.js';

const usage = 'usage: tcpfuzz version   (or tcpfuzz --version)';

/** The package version, read from package.json next to src/. */
export function packageVersion(): string {
  const text = fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  const v = (JSON.parse(text) as { version?: unknown }).version;
  return typeof v === 'string' ? v : 'unknown';
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the tcpfuzz version',
  usage,
  run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    if (argv.length > 0) return Promise.resolve(usageError(io, `version: unexpected argument "${argv[0]}"`, usage));
    io.out(`tcpfuzz ${packageVersion()}\n`);
    return Promise.resolve(EXIT_OK);
  },
};
