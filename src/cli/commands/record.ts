/**
 * `tcpfuzz record <scenario files or directories…>`: run scenarios on the live kernel of this
 * machine (the `linux` stack: TUN device in private network namespaces, needs root) and write one
 * trace per scenario, `<out>/<scenario-name>.jsonl.gz`. Directories are searched recursively for
 * `.jsonl` / `.jsonl.gz` scenario files. A bad file is one line `path:line: problem`; the others
 * are still recorded and the exit code is 1. Without root or /dev/net/tun: one line, exit 1.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { listDocumentFiles, readScenarioFile, writeTraceFile } from '../../trace/io.js';
import { LinuxStack, linuxUnavailableReason } from '../../stacks/linux/index.js';
import type { Scenario } from '../../scenario/types.js';
import { generateScripts } from '../../arbitraries/script.js';

const usage = `usage: tcpfuzz record <scenario files or directories…> [-o DIR] [--workers N] [--keep-netns]
       tcpfuzz record --generate N [--seed S] [-o DIR] …
  Run each scenario on the live Linux kernel (root, /dev/net/tun) and write its trace
  to DIR/<scenario-name>.jsonl.gz.
  --generate N         record N generated single-SUT scripts (src/arbitraries/script.ts)
  --seed S             seed of the generated scripts (default 1); names are gen-<S>-<i>
  -o, --out DIR        output directory (default corpus/linux)
  --workers N          namespaces (worker processes) in parallel (default 1)
  --concurrency N      scenarios one worker runs at once on distinct ports (default 32)
  --grace-ms MS        capture time after the last step (default 20)
  --sysctl KEY=VALUE   sysctl for every run, under the scenario's own (repeatable)
  --keep-netns         keep the namespaces afterwards for debugging`;

function positiveInt(text: string | undefined, name: string): { ok: true; value: number | undefined } | { ok: false; message: string } {
  if (text === undefined) return { ok: true, value: undefined };
  if (!/^\d+$/.test(text) || Number(text) < 1) return { ok: false, message: `record: ${name} must be a positive integer, got "${text}"` };
  return { ok: true, value: Number(text) };
}

/** A file-system-safe file stem for a scenario name. */
export function traceFileStem(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return s === '' ? 'scenario' : s;
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'record scenarios on the live Linux kernel (root) into traces',
  usage,
  async run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        workers: { type: 'string' },
        concurrency: { type: 'string' },
        'grace-ms': { type: 'string' },
        sysctl: { type: 'string', multiple: true },
        'keep-netns': { type: 'boolean' },
        generate: { type: 'string' },
        seed: { type: 'string' },
      },
    });
    if (!args.ok) return usageError(io, `record: ${args.message}`, usage);
    const v = args.value.values;
    const inputs = args.value.positionals;
    const generate = positiveInt(v.generate, '--generate');
    if (!generate.ok) return usageError(io, generate.message, usage);
    if (v.seed !== undefined && !/^\d+$/.test(v.seed)) return usageError(io, `record: --seed must be a non-negative integer, got "${v.seed}"`, usage);
    if (inputs.length === 0 && generate.value === undefined) {
      return usageError(io, 'record: expected at least one scenario file or directory, or --generate N', usage);
    }
    const workers = positiveInt(v.workers, '--workers');
    if (!workers.ok) return usageError(io, workers.message, usage);
    const concurrency = positiveInt(v.concurrency, '--concurrency');
    if (!concurrency.ok) return usageError(io, concurrency.message, usage);
    let graceMs: number | undefined;
    if (v['grace-ms'] !== undefined) {
      graceMs = Number(v['grace-ms']);
      if (!Number.isFinite(graceMs) || graceMs < 0) return usageError(io, `record: --grace-ms must be a number ≥ 0, got "${v['grace-ms']}"`, usage);
    }
    const sysctls: Record<string, string> = {};
    for (const kv of v.sysctl ?? []) {
      const m = /^([A-Za-z0-9_.]+)=(.+)$/.exec(kv);
      if (m === null) return usageError(io, `record: --sysctl expects KEY=VALUE, got "${kv}"`, usage);
      sysctls[m[1]!] = m[2]!;
    }
    const outDir = v.out ?? path.join('corpus', 'linux');

    // Collect the scenarios; bad files are reported and skipped.
    let failed = false;
    const scenarios: { file: string; scenario: Scenario }[] = [];
    for (const input of inputs) {
      let files: string[];
      let stat: fs.Stats;
      try {
        stat = fs.statSync(input);
      } catch {
        io.err(`${input}: no such file or directory\n`);
        failed = true;
        continue;
      }
      if (stat.isDirectory()) {
        const l = listDocumentFiles(input);
        if (!l.ok) {
          io.err(`${l.error.message}\n`);
          failed = true;
          continue;
        }
        files = l.value;
      } else {
        files = [input];
      }
      for (const f of files) {
        const r = readScenarioFile(f);
        if (!r.ok) {
          io.err(`${r.error.message}\n`);
          failed = true;
          continue;
        }
        scenarios.push({ file: f, scenario: r.value });
      }
    }
    if (generate.value !== undefined) {
      const seed = v.seed === undefined ? 1 : Number(v.seed);
      for (const sc of generateScripts(generate.value, seed)) scenarios.push({ file: `--generate ${generate.value} --seed ${seed}`, scenario: sc });
    }
    const stems = new Map<string, string>();
    for (const s of scenarios) {
      const stem = traceFileStem(s.scenario.header.name);
      const other = stems.get(stem);
      if (other !== undefined) {
        io.err(`${s.file}: scenario name "${s.scenario.header.name}" also used by ${other}; its trace would overwrite the other\n`);
        failed = true;
      } else {
        stems.set(stem, s.file);
      }
    }
    if (failed && scenarios.length === 0) return EXIT_FAILURE;
    if (scenarios.length === 0) {
      io.err('record: no scenario files found\n');
      return EXIT_FAILURE;
    }
    const why = linuxUnavailableReason();
    if (why !== null) {
      io.err(`${why}\n`);
      return EXIT_FAILURE;
    }
    try {
      fs.mkdirSync(outDir, { recursive: true });
    } catch (e) {
      io.err(`${outDir}: cannot create: ${(e as Error).message}\n`);
      return EXIT_FAILURE;
    }

    const stack = new LinuxStack({
      ...(workers.value !== undefined ? { workers: workers.value } : {}),
      ...(concurrency.value !== undefined ? { concurrency: concurrency.value } : {}),
      ...(graceMs !== undefined ? { graceMs } : {}),
      ...(Object.keys(sysctls).length > 0 ? { sysctls } : {}),
      keepNamespace: v['keep-netns'] === true,
    });
    const started = Date.now();
    let written = 0;
    try {
      await Promise.all(
        scenarios.map(async ({ file, scenario }) => {
          try {
            const trace = await stack.run(scenario);
            const target = path.join(outDir, `${traceFileStem(scenario.header.name)}.jsonl.gz`);
            const w = writeTraceFile(target, trace);
            if (!w.ok) {
              io.err(`${w.error.path}: ${w.error.message}\n`);
              failed = true;
              return;
            }
            written++;
            io.out(`${target}  ${trace.events.length} events\n`);
          } catch (e) {
            io.err(`${file}: ${(e as Error).message}\n`);
            failed = true;
          }
        }),
      );
    } finally {
      if (v['keep-netns'] === true) io.err(`record: kept namespaces ${stack.namespaces().join(' ')}\n`);
      await stack.close();
    }
    const secs = (Date.now() - started) / 1000;
    io.out(`recorded ${written}/${scenarios.length} scenarios in ${secs.toFixed(2)} s (${(written / Math.max(secs, 1e-3)).toFixed(1)}/s)\n`);
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};

export const command = recordCommand;
