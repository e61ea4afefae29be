/**
 * `tcpfuzz help [command]` (also `tcpfuzz --help`): the general usage with the command list, or
 * one command's usage.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_OK, ioOrDefault, usageError } from '../command.js';
import { commands } from './index.js';

/** The top-level usage text with every registered command and its summary. */
export function generalUsage(list: readonly Command[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'usage: tcpfuzz <command> [arguments]',
    '       tcpfuzz --help | --version',
    '       tcpfuzz help <command>',
    '',
    'commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 bad input file or failed check, 2 bad usage, 70 internal error',
    '(set TCPFUZZ_DEBUG=1 to see the stack of an internal error).',
  ].join('\n');
}

const usage = 'usage: tcpfuzz help [command]';

export const helpCommand: Command = {
  name: 'help',
  summary: 'show this help, or the usage of one command',
  usage,
  run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    if (argv.length === 0) {
      io.out(`${generalUsage()}\n`);
      return Promise.resolve(EXIT_OK);
    }
    if (argv.length > 1) return Promise.resolve(usageError(io, `help: expected at most one command name`, usage));
    const c = commands.find((x) => x.name === argv[0]);
    if (c === undefined) return Promise.resolve(usageError(io, `unknown command "${argv[0]}"`, generalUsage()));
    io.out(`${c.usage}\n`);
    return Promise.resolve(EXIT_OK);
  },
};
