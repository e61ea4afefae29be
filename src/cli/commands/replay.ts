/**
 * `tcpfuzz replay <file>`: run a scenario (or the scenario inside a trace) on a stack and check it.
 * - A scenario with `expect` steps or expected call results is checked against them (packetdrill
 *   style).
 * - A trace is compared with the fresh run field by field (the oracle): the fresh run is the
 *   expectation, the file's trace the actual behaviour. For a Linux recording replayed on the model
 *   that is exactly "does the model agree with the kernel".
 * - A pair case (`{"type": "pair"}`, e.g. a file in corpus/regressions/) runs on the two-endpoint
 *   model simulator (on its mutant when it names one) with every invariant checked again; the
 *   ladder of both endpoints is printed with the violating step marked. A regression file is a
 *   failure we keep: exit 1 while it still fails, 0 once the model is fixed.
 * Exit 0 when nothing differs, 1 on any difference or a bad file, 2 on bad usage.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { readAnyFile } from '../../trace/io.js';
import { formatTrace } from '../../report/text.js';
import type { Scenario } from '../../scenario/types.js';
import type { Trace } from '../../trace/types.js';
import type { Stack } from '../../stacks/types.js';
import { ModelStack, resolveProfile } from '../../stacks/model.js';
import { modelOptionsFor } from '../../oracle/replay-model.js';
import { RecordedStack } from '../../stacks/recorded.js';
import { checkExpectations, hasExpectations } from '../../oracle/expect.js';
import { diffTraces, formatDifference } from '../../oracle/diff.js';
import type { Difference } from '../../oracle/diff.js';
import type { PairDocument } from '../../scenario/pair-schema.js';
import { replayPair } from '../../harness/regression.js';
import { formatRun } from '../../harness/ladder.js';

function replayPairFile(file: string, d: PairDocument, quiet: boolean, io: CliIo): number {
  const r = replayPair(d);
  if (!r.ok) {
    io.err(`${file}:1: ${r.error}\n`);
    return EXIT_FAILURE;
  }
  const verdict = r.run.verdict;
  const where = r.mutant !== undefined ? `model with mutant ${r.mutant.name} (${r.mutant.title})` : 'model';
  io.out(`pair case ${d.name}: profile ${d.profile}, ${d.scenario.calls.length} calls, ${d.injections.length} forged segments, on the ${where}\n`);
  if (!quiet && r.run.sim !== undefined) io.out(formatRun(r.run.sim.record, r.violation).map((l) => `${l}\n`).join(''));
  io.out(`ran ${verdict.steps} steps (${verdict.outcome}), ${verdict.checks} invariant checks\n`);
  if (r.violation === null) {
    io.out(`ok: no invariant violated${d.invariant !== undefined ? ` (the file recorded ${d.invariant}: fixed)` : ''}\n`);
    return EXIT_OK;
  }
  const x = r.violation;
  const at = x.step !== undefined ? ` at step ${x.step}${x.time !== undefined ? ` (t=${(x.time / 1e6).toFixed(6)} s` : ''}${x.node !== undefined ? `, node ${x.node}` : ''}${x.time !== undefined ? ')' : ''}` : '';
  io.out(`FAIL: ${x.id}${at}: ${x.message}\n`);
  if (d.invariant !== undefined && d.invariant !== x.id) io.out(`  (the file recorded ${d.invariant}; it now fails differently)\n`);
  return EXIT_FAILURE;
}

const usage = `usage: tcpfuzz replay <scenario-or-trace-or-pair> [--stack model|linux|recorded] [--profile P] [--seed N] [--quiet]
  Run the file's scenario on a stack (default: model) and check it:
  against the scenario's expect steps, and, for a trace file, against the trace (field by field).
  A pair case (corpus/regressions/*.jsonl) runs on the model simulator and re-checks the invariants.
  --stack S     model (default), linux (live kernel over TUN; root), recorded (corpus/linux)
  --profile P   model profile (default: the file's, else linux)
  --seed N      model seed (ISNs, secrets), default 1
  --quiet       print only the differences and the verdict`;

async function makeStack(name: string, recorded: Trace | null): Promise<Stack | string> {
  switch (name) {
    case 'model':
      // Replaying a recording: the recorder's grace period and host clock origin, as the oracle does.
      return new ModelStack(recorded === null ? {} : modelOptionsFor(recorded));
    case 'recorded':
      return new RecordedStack();
    case 'linux': {
      const mod = await import('../../stacks/linux/index.js');
      const why = mod.linuxUnavailableReason();
      if (why !== null) return why;
      return new mod.LinuxStack();
    }
    default:
      return `unknown stack "${name}" (model, linux, recorded)`;
  }
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'run a scenario or a trace\'s scenario on a stack and diff the result',
  usage,
  async run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: { stack: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' } },
    });
    if (!args.ok) return usageError(io, `replay: ${args.message}`, usage);
    const files = args.value.positionals;
    if (files.length !== 1) return usageError(io, `replay: expected one file, got ${files.length}`, usage);
    const v = args.value.values;
    const seed = v.seed === undefined ? 1 : Number(v.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) return usageError(io, `replay: --seed must be a non-negative integer, got "${v.seed}"`, usage);
    if (v.profile !== undefined && typeof resolveProfile(v.profile) === 'string') {
      return usageError(io, `replay: ${resolveProfile(v.profile) as string}`, usage);
    }
    const file = files[0]!;
    const doc = readAnyFile(file);
    if (!doc.ok) {
      io.err(`${doc.error.message}\n`);
      return EXIT_FAILURE;
    }
    if (doc.value.kind === 'pair') {
      if (v.stack !== undefined && v.stack !== 'model') return usageError(io, `replay: a pair case runs on the model simulator only, not --stack ${v.stack}`, usage);
      if (v.profile !== undefined || v.seed !== undefined) return usageError(io, 'replay: a pair case carries its own profile and seeds (no --profile/--seed)', usage);
      return replayPairFile(file, doc.value.pair, v.quiet === true, io);
    }
    const scenario: Scenario = doc.value.kind === 'scenario' ? doc.value.scenario : doc.value.trace.header.scenario;
    const recorded: Trace | null = doc.value.kind === 'trace' ? doc.value.trace : null;
    const profile = v.profile ?? recorded?.header.profile ?? scenario.header.profile;
    if (profile !== undefined && typeof resolveProfile(profile) === 'string') {
      io.err(`${file}:1: ${resolveProfile(profile) as string}\n`);
      return EXIT_FAILURE;
    }

    const stack = await makeStack(v.stack ?? 'model', recorded);
    if (typeof stack === 'string') {
      if (stack.startsWith('unknown stack')) return usageError(io, `replay: ${stack}`, usage);
      io.err(`tcpfuzz: ${stack}\n`);
      return EXIT_FAILURE;
    }
    let fresh: Trace;
    try {
      fresh = await stack.run(scenario, profile === undefined ? { seed } : { profile, seed });
    } catch (e) {
      io.err(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILURE;
    } finally {
      await stack.close?.();
    }

    if (v.quiet !== true) io.out(formatTrace(fresh).map((l) => `${l}\n`).join(''));
    const diffs: { what: string; list: Difference[] }[] = [];
    if (hasExpectations(scenario)) {
      diffs.push({ what: 'against the scenario\'s expectations', list: checkExpectations(scenario, fresh, { timing: stack.info.time === 'real' }) });
    }
    if (recorded !== null) {
      diffs.push({ what: `${recorded.header.stack} trace vs ${stack.info.name}`, list: diffTraces(fresh, recorded) });
    }
    let failed = false;
    for (const d of diffs) {
      if (d.list.length === 0) {
        io.out(`ok: ${d.what}: no differences\n`);
        continue;
      }
      failed = true;
      io.out(`FAIL: ${d.what}: ${d.list.length} difference(s)\n`);
      for (const x of d.list) io.out(`  ${formatDifference(x)}\n`);
    }
    if (diffs.length === 0) io.out(`ran on ${stack.info.name}: nothing to compare (no expectations in the scenario)\n`);
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
