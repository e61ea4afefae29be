/**
 * The `recorded` stack: answers a scenario with the Linux trace recorded for it (in
 * `corpus/linux/`), so every machine can check against the kernel without root. A scenario is
 * matched by name and must be identical to the one stored in the trace header; otherwise the run
 * fails with one line saying so (a stale recording is a result you must not trust).
 */
import type { Scenario } from '../scenario/types.js';
import type { Trace } from '../trace/types.js';
import { readDocumentDir } from '../trace/io.js';
import type { RunOptions, Stack, StackInfo } from './types.js';

export const DEFAULT_CORPUS_DIR = 'corpus/linux';

function canonical(s: Scenario): string {
  return JSON.stringify(s);
}

export class RecordedStack implements Stack {
  readonly info: StackInfo = { name: 'recorded', version: '1', time: 'virtual', supports: ['ipv4', 'tcp_info'] };
  private byName: Map<string, Trace> | null = null;

  constructor(private readonly dir: string = DEFAULT_CORPUS_DIR) {}

  /** Load the corpus; returns the problems found (unreadable files), one line each. */
  load(): string[] {
    const r = readDocumentDir(this.dir);
    this.byName = new Map();
    if (!r.ok) return [r.error.message];
    for (const d of r.value.documents) {
      if (d.document.kind === 'trace') this.byName.set(d.document.trace.header.scenario.header.name, d.document.trace);
    }
    return r.value.errors.map((e) => e.message);
  }

  traces(): readonly Trace[] {
    if (this.byName === null) this.load();
    return [...this.byName!.values()];
  }

  run(scenario: Scenario, _options?: RunOptions): Promise<Trace> {
    if (this.byName === null) this.load();
    const t = this.byName!.get(scenario.header.name);
    if (t === undefined) return Promise.reject(new Error(`no recorded trace for scenario "${scenario.header.name}" in ${this.dir}`));
    if (canonical(t.header.scenario) !== canonical(scenario)) {
      return Promise.reject(new Error(`the recorded trace of "${scenario.header.name}" was made from a different version of the scenario; record it again`));
    }
    return Promise.resolve(t);
  }
}
