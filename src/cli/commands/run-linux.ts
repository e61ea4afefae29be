/**
 * `tcpfuzz run --stack linux`: the differential suite against the live kernel. Generated
 * single-SUT scripts (src/arbitraries/script.ts, the generator of the recorded corpus) are
 * recorded on this machine's kernel over TUN and diffed field by field against the model under
 * the scripts' profile; differences listed in corpus/linux/known-differences count as known.
 * Every differing trace is written to `<out>/<name>.jsonl.gz` so `tcpfuzz replay` shows it again
 * without root. Exit 1 when a difference is not known.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK } from '../command.js';
import { generateScripts } from '../../arbitraries/script.js';
import { LinuxStack, linuxUnavailableReason } from '../../stacks/linux/index.js';
import { parseKnownDifferences } from '../../oracle/known.js';
import { agreement } from '../../oracle/agreement.js';
import { modelTraceFor } from '../../oracle/replay-model.js';
import { formatDifference } from '../../oracle/diff.js';
import { writeTraceFile } from '../../trace/io.js';

export interface LinuxRunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly outDir: string;
  readonly knownPath: string;
  readonly json: boolean;
}

export async function runAgainstLinux(io: CliIo, o: LinuxRunOptions): Promise<number> {
  const why = linuxUnavailableReason();
  if (why !== null) {
    io.err(`${why}\n`);
    return EXIT_FAILURE;
  }
  const known = parseKnownDifferences(fs.existsSync(o.knownPath) ? fs.readFileSync(o.knownPath, 'utf8') : '');
  if (!known.ok) {
    io.err(`${o.knownPath}:${known.line}: ${known.message}\n`);
    return EXIT_FAILURE;
  }
  const scripts = generateScripts(o.runs, o.seed);
  if (!o.json) io.out(`tcpfuzz run: ${scripts.length} generated scripts on the live kernel vs the model, seed ${o.seed}\n`);
  const t0 = performance.now();
  const stack = new LinuxStack({ workers: 2, concurrency: 4 });
  let traces;
  try {
    traces = await Promise.all(scripts.map((s) => stack.run(s)));
  } finally {
    await stack.close();
  }
  const s = agreement(traces, known.entries, (t) => modelTraceFor(t));
  const secs = (performance.now() - t0) / 1000;
  const differing = s.scenarios.filter((x) => x.verdict === 'differs');
  for (const d of differing) {
    const t = traces.find((x) => x.header.scenario.header.name === d.name);
    if (t !== undefined) writeTraceFile(path.join(o.outDir, `${d.name}.jsonl.gz`), t);
  }
  if (o.json) {
    io.out(`${JSON.stringify({ stack: 'linux', seed: o.seed, runs: traces.length, identical: s.identical, known: s.known, differs: s.differs, seconds: secs, differing: differing.map((d) => ({ name: d.name, first: d.error ?? (d.unexplained[0] !== undefined ? formatDifference(d.unexplained[0]) : '') })) })}\n`);
  } else {
    for (const d of differing) {
      const first = d.error ?? (d.unexplained[0] !== undefined ? formatDifference(d.unexplained[0]) : '');
      io.out(`DIFF ${d.name}: ${first}\n  replay: tcpfuzz replay ${path.join(o.outDir, `${d.name}.jsonl.gz`)}\n`);
    }
    io.out(`linux vs model: ${traces.length} scripts, ${s.identical} identical, ${s.known} known differences, ${s.differs} differ (${secs.toFixed(1)} s)\n`);
  }
  return s.differs > 0 ? EXIT_FAILURE : EXIT_OK;
}
