/**
 * `tcpfuzz minimize <file> [--stack model] [--out FILE]`: delta-debug a failing case from anywhere
 * down to a small one that fails the same way, and write it (atomically) next to the input as
 * `<name>.min.jsonl` (or `--out`).
 * - A pair case (corpus/regressions/*.jsonl): same invariant ID on the model simulator (on its
 *   mutant when it names one); ddmin over calls, forged segments and faults, then smaller numbers.
 * - A scenario (or a trace's scenario) with expectations: same first oracle difference (kind and
 *   field) on the stack; ddmin over its steps.
 * Prints the sizes before and after and the command that replays the result. Exit 0 when a
 * minimized file was written, 1 when the input does not fail or is bad, 2 on bad usage.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { readAnyFile, writeScenarioFile } from '../../trace/io.js';
import { ModelStack, resolveProfile } from '../../stacks/model.js';
import { minimizeScenario } from '../../minimize/scenario.js';
import { minimizeCase } from '../../minimize/case.js';
import { caseOf, invariantsFor, judge, writePairDocument } from '../../harness/regression.js';
import { findMutant } from '../../harness/mutants.js';
import { caseSize } from '../../harness/case.js';
import { formatDifference } from '../../oracle/diff.js';

const usage = `usage: tcpfuzz minimize <file> [--stack model] [--out FILE] [--profile P] [--seed N]
  Delta-debug (ddmin) a failing case, keeping the same failure:
  a pair case keeps its invariant; a scenario keeps its first difference from its expectations.
  --stack S    stack to run on (model; pair cases always run on the model simulator)
  --out FILE   where to write the result (default <file>.min.jsonl)`;

function defaultOut(file: string): string {
  return file.replace(/(\.jsonl)?(\.gz)?$/, '') + '.min.jsonl';
}

export const minimizeCommand: Command = {
  name: 'minimize',
  summary: 'delta-debug a failing scenario or pair case down to a minimal one with the same failure',
  usage,
  async run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: { stack: { type: 'string' }, out: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' } },
    });
    if (!args.ok) return usageError(io, `minimize: ${args.message}`, usage);
    const files = args.value.positionals;
    if (files.length !== 1) return usageError(io, `minimize: expected one file, got ${files.length}`, usage);
    const v = args.value.values;
    const stackName = v.stack ?? 'model';
    if (stackName !== 'model') return usageError(io, `minimize: stack "${stackName}" is not supported yet (model)`, usage);
    const seed = v.seed === undefined ? undefined : Number(v.seed);
    if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) return usageError(io, `minimize: --seed must be a non-negative integer, got "${v.seed}"`, usage);
    if (v.profile !== undefined && typeof resolveProfile(v.profile) === 'string') return usageError(io, `minimize: ${resolveProfile(v.profile) as string}`, usage);
    const file = files[0]!;
    const out = v.out ?? defaultOut(file);
    const doc = readAnyFile(file);
    if (!doc.ok) {
      io.err(`${doc.error.message}\n`);
      return EXIT_FAILURE;
    }
    const d = doc.value;
    if (d.kind === 'pair') {
      const mutant = d.pair.mutant !== undefined ? findMutant(d.pair.mutant) : undefined;
      if (d.pair.mutant !== undefined && mutant === undefined) {
        io.err(`${file}:1: unknown mutant "${d.pair.mutant}"\n`);
        return EXIT_FAILURE;
      }
      const inv = invariantsFor(d.pair);
      const c = caseOf(d.pair);
      const first = judge(c, inv, mutant).violation;
      if (first === null) {
        io.out(`${file}: passes on the model: nothing to minimize\n`);
        return EXIT_FAILURE;
      }
      const m = minimizeCase(c, (x) => judge(x, inv, mutant).violation?.id === first.id);
      const after = judge(m.case, inv, mutant).violation ?? first;
      const { direct: _old, ...rest } = d.pair;
      const doc = { ...rest, scenario: m.case.pair, injections: m.case.injections, invariant: first.id, message: after.message, minimized: true };
      const w = writePairDocument(out, m.case.direct !== undefined && m.case.direct.length > 0 ? { ...doc, direct: m.case.direct } : doc);
      if (!w.ok) {
        io.err(`${w.error.message}\n`);
        return EXIT_FAILURE;
      }
      io.out(`${first.id}: ${caseSize(c)} steps → ${caseSize(m.case)} steps (${m.tests} runs${m.complete ? '' : ', budget exhausted'})\n${after.id}: ${after.message}\nwritten to ${out}\nreplay: tcpfuzz replay ${out}\n`);
      return EXIT_OK;
    }
    const scenario = d.kind === 'scenario' ? d.scenario : d.trace.header.scenario;
    const r = await minimizeScenario(new ModelStack(), scenario, { ...(v.profile !== undefined ? { profile: v.profile } : {}), ...(seed !== undefined ? { seed } : {}) });
    if (!r.ok) {
      io.out(`${file}: ${r.error}\n`);
      return EXIT_FAILURE;
    }
    const w = writeScenarioFile(out, r.scenario);
    if (!w.ok) {
      io.err(`${w.error.message}\n`);
      return EXIT_FAILURE;
    }
    io.out(`${r.key}: ${scenario.steps.length} steps → ${r.scenario.steps.length} steps (${r.tests} runs${r.complete ? '' : ', budget exhausted'})\n  ${formatDifference(r.difference)}\nwritten to ${out}\nreplay: tcpfuzz replay ${out}\n`);
    return EXIT_OK;
  },
};
