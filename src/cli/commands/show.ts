/**
 * `tcpfuzz show <file>`: print a scenario or a trace (`.jsonl` or `.jsonl.gz`) as ladder lines
 * (see `src/report/text.ts`). A bad file is one line `path:line: problem` on stderr, exit 1.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { readAnyFile } from '../../trace/io.js';
import { formatScenario, formatTrace } from '../../report/text.js';
import { formatPairDocument } from '../../harness/ladder.js';

const usage = `usage: tcpfuzz show <file> [--info]
  Print a scenario or trace file (.jsonl, .jsonl.gz) as ladder lines:
  '<' segments into the stack under test, '>' segments out of it.
  --info   also print the TCP_INFO / model fields of state events`;

export const showCommand: Command = {
  name: 'show',
  summary: 'print a scenario or trace file as ladder lines',
  usage,
  run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({ args: argv, allowPositionals: true, options: { info: { type: 'boolean' } } });
    if (!args.ok) return Promise.resolve(usageError(io, `show: ${args.message}`, usage));
    const files = args.value.positionals;
    if (files.length !== 1) {
      return Promise.resolve(usageError(io, `show: expected one file, got ${files.length}`, usage));
    }
    const file = files[0]!;
    const r = readAnyFile(file);
    if (!r.ok) {
      io.err(`${r.error.message}\n`);
      return Promise.resolve(EXIT_FAILURE);
    }
    const d = r.value;
    const lines =
      d.kind === 'scenario'
        ? formatScenario(d.scenario)
        : d.kind === 'trace'
          ? formatTrace(d.trace, { info: args.value.values.info === true })
          : formatPairDocument(d.pair);
    io.out(lines.map((l) => `${l}\n`).join(''));
    return Promise.resolve(EXIT_OK);
  },
};
