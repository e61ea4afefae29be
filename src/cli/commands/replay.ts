/**
 * `tcpfuzz replay <file>`: run a scenario (or the scenario inside a trace) on a stack and check it.
 * - A scenario with `expect` steps or expected call results is checked against them (packetdrill
 *   style).
 * - A trace is compared with the fresh run field by field (the oracle): the fresh run is the
 *   expectation, the file's trace the actual behaviour. For a Linux recording replayed on the model
 *   that is exactly "does the model agree with the kernel".
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
import { RecordedStack } from '../../stacks/recorded.js';
import { checkExpectations, hasExpectations } from '../../oracle/expect.js';
import { diffTraces, formatDifference } from '../../oracle/diff.js';
import type { Difference } from '../../oracle/diff.js';

const usage = `usage: tcpfuzz replay <scenario-or-trace> [--stack model|linux|recorded] [--profile P] [--seed N] [--quiet]
  Run the file's scenario on a stack (default: model) and check it:
  against the scenario's expect steps, and, for a trace file, against the trace (field by field).
  --stack S     model (default), linux (live kernel over TUN; root), recorded (corpus/linux)
  --profile P   model profile (default: the file's, else linux)
  --seed N      model seed (ISNs, secrets), default 1
  --quiet       print only the differences and the verdict`;

async function makeStack(name: string): Promise<Stack | string> {
  switch (name) {
    case 'model':
      return new ModelStack();
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
    const scenario: Scenario = doc.value.kind === 'scenario' ? doc.value.scenario : doc.value.trace.header.scenario;
    const recorded: Trace | null = doc.value.kind === 'trace' ? doc.value.trace : null;
    const profile = v.profile ?? recorded?.header.profile ?? scenario.header.profile;
    if (profile !== undefined && typeof resolveProfile(profile) === 'string') {
      io.err(`${file}:1: ${resolveProfile(profile) as string}\n`);
      return EXIT_FAILURE;
    }

    const stack = await makeStack(v.stack ?? 'model');
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
