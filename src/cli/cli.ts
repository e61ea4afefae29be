/**
 * The `tcpfuzz` dispatcher: picks the subcommand from the registry, handles `--help`, `--version`
 * and `<command> --help`, and turns anything a command throws into one line
 * `tcpfuzz: internal error: …` with exit 70 (the stack only with TCPFUZZ_DEBUG=1). Unknown commands
 * are one line plus the usage, exit 2.
 */
import type { Command } from './command.js';
import type { CliIo } from './io.js';
import { EXIT_INTERNAL, EXIT_OK, usageError } from './command.js';
import { commands as registry } from './commands/index.js';
import { generalUsage } from './commands/help.js';
import { versionCommand } from './commands/version.js';

/** Run `tcpfuzz <argv>`; returns the exit code. `commands` is replaceable for tests. */
export async function main(argv: readonly string[], io: CliIo, commands: readonly Command[] = registry): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) return usageError(io, 'missing command', generalUsage(commands));
    if (first === '--help' || first === '-h') {
      io.out(`${generalUsage(commands)}\n`);
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V') return await versionCommand.run([], io);
    const command = commands.find((c) => c.name === first);
    if (command === undefined) {
      const what = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
      return usageError(io, what, generalUsage(commands));
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`tcpfuzz: internal error: ${message.split('\n')[0] ?? ''}\n`);
    if (io.env['TCPFUZZ_DEBUG'] === '1' && e instanceof Error && e.stack !== undefined) io.err(`${e.stack}\n`);
    return EXIT_INTERNAL;
  }
}
