/**
 * `tcpfuzz agree`: replay every recorded Linux trace on the model and report the agreement
 * (identical / known differences / differing, per behaviour family, with the first difference of
 * each differing scenario) to `reports/linux-agreement.md`. Exit 1 when a difference is not in the
 * reviewed known-differences file, or when an entry there is stale.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { RecordedStack, DEFAULT_CORPUS_DIR } from '../../stacks/recorded.js';
import { parseKnownDifferences } from '../../oracle/known.js';
import { agreement, agreementMarkdown } from '../../oracle/agreement.js';
import { modelTraceFor } from '../../oracle/replay-model.js';
import { formatDifference } from '../../oracle/diff.js';
import { writeFileAtomic } from '../../trace/io.js';

const usage = `usage: tcpfuzz agree [--corpus DIR] [--known FILE] [--report FILE] [--quiet]
  Replay every recorded Linux trace (default corpus/linux) on the model and diff them.
  --known FILE    reviewed accepted differences (default <corpus>/known-differences)
  --report FILE   markdown report (default reports/linux-agreement.md)`;

export const agreeCommand: Command = {
  name: 'agree',
  summary: 'replay the recorded Linux corpus on the model and report the agreement',
  usage,
  run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({
      args: argv,
      allowPositionals: false,
      options: { corpus: { type: 'string' }, known: { type: 'string' }, report: { type: 'string' }, quiet: { type: 'boolean' } },
    });
    if (!args.ok) return Promise.resolve(usageError(io, `agree: ${args.message}`, usage));
    const v = args.value.values;
    const dir = v.corpus ?? DEFAULT_CORPUS_DIR;
    const knownPath = v.known ?? `${dir}/known-differences`;
    const reportPath = v.report ?? 'reports/linux-agreement.md';
    const stack = new RecordedStack(dir);
    const problems = stack.load();
    for (const p of problems) io.err(`${p}\n`);
    if (problems.length > 0) return Promise.resolve(EXIT_FAILURE);
    let knownText = '';
    if (fs.existsSync(knownPath)) knownText = fs.readFileSync(knownPath, 'utf8');
    const known = parseKnownDifferences(knownText);
    if (!known.ok) {
      io.err(`${knownPath}:${known.line}: ${known.message}\n`);
      return Promise.resolve(EXIT_FAILURE);
    }
    const traces = stack.traces();
    const summary = agreement(traces, known.entries, (t) => modelTraceFor(t));
    const kernels = [...new Set(traces.map((t) => t.header.kernel ?? '?'))].join(', ');
    const md = agreementMarkdown(summary, [
      `Corpus: \`${dir}\` (${traces.length} traces, kernel ${kernels}). Regenerate: \`npx tcpfuzz agree\`.`,
      `Generated on ${os.hostname()} by tcpfuzz.`,
    ]);
    const w = writeFileAtomic(reportPath, md);
    if (!w.ok) io.err(`${w.error.message}\n`);
    io.out(`${summary.identical}/${traces.length} identical, ${summary.known} known differences, ${summary.differs} differ; report: ${reportPath}\n`);
    if (v.quiet !== true) {
      for (const s of summary.scenarios) {
        if (s.verdict !== 'differs') continue;
        const first = s.error ?? (s.unexplained[0] !== undefined ? formatDifference(s.unexplained[0]) : '');
        io.out(`  DIFF ${s.name}: ${first}\n`);
      }
    }
    for (const k of summary.unusedKnown) io.out(`  STALE ${knownPath}:${k.line}: ${k.scenario} ${k.field} matched nothing\n`);
    return Promise.resolve(summary.differs > 0 || summary.unusedKnown.length > 0 ? EXIT_FAILURE : EXIT_OK);
  },
};
