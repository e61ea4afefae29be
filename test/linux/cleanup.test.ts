/**
 * Clean-up guarantees of the linux recorder: after a run, after close(), after SIGTERM and after
 * SIGKILL of the recording process (followed by the start-up sweep), `ip netns list` holds exactly
 * the tcpfuzz namespaces it held before, and no worker process survives its parent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LinuxStack } from '../../src/stacks/linux/index.js';
import { listTcpfuzzNamespaces, ownerPid, sweepStaleNamespaces } from '../../src/stacks/linux/netns.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import { linuxTestsEnabled, outs, scenario, seg } from './helpers.js';

const enabled = linuxTestsEnabled();
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/**
 * Namespaces owned by this process (test files run in parallel, each with its own stacks, so
 * counts are compared per owner).
 */
function mine(): string[] {
  return listTcpfuzzNamespaces().filter((n) => ownerPid(n) === process.pid);
}

/** Namespaces whose owner is dead (what a sweep removes). */
function orphaned(): string[] {
  return listTcpfuzzNamespaces().filter((n) => {
    const pid = ownerPid(n);
    if (pid === null) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function nsPids(ns: string): string {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Start the fixture and resolve with its namespace name once it has one. */
function startHangingRecorder(): Promise<{ pid: number; ns: string; kill: (sig: NodeJS.Signals) => void; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'hang-recorder.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ns (\S+)/.exec(line);
      if (m) resolve({ pid: child.pid!, ns: m[1]!, kill: (sig) => child.kill(sig), exited });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
  });
}

describe.skipIf(!enabled)('linux stack clean-up', () => {
  it('removes its namespace after a run and close()', async () => {
    const before = mine().length;
    const stack = new LinuxStack({ workers: 2 });
    const trace = await stack.run(scenario('cleanup-rst', [{ kind: 'inject', t: 0, seg: seg({ srcPort: 1234, dstPort: 80, flags: SYN }) }]));
    expect(outs(trace.events).map((s) => s.flags)).toEqual([RST | ACK]);
    const created = stack.namespaces();
    expect(created).toHaveLength(2);
    expect(mine()).toEqual(expect.arrayContaining(created));
    expect(mine().length).toBe(before + 2);
    await stack.close();
    expect(mine().length).toBe(before);
    for (const ns of created) expect(listTcpfuzzNamespaces()).not.toContain(ns);
  });

  it('after kill -9 of the recording process: the worker exits and the sweep removes the namespace', async () => {
    const rec = await startHangingRecorder();
    expect(listTcpfuzzNamespaces()).toContain(rec.ns);
    // The worker is up inside the namespace.
    expect(await until(() => nsPids(rec.ns) !== '', 10_000)).toBe(true);
    const workerPids = nsPids(rec.ns).split(/\s+/).map(Number);
    rec.kill('SIGKILL');
    await rec.exited;
    // SIGKILL runs no handler, but the worker dies with its stdin.
    expect(await until(() => workerPids.every((p) => !alive(p)), 5_000)).toBe(true);
    // The namespace is left behind as an orphan, unless another test file's stack has already
    // swept it (their start-up sweep runs concurrently); either way the sweep leaves none.
    if (listTcpfuzzNamespaces().includes(rec.ns)) expect(orphaned()).toContain(rec.ns);
    sweepStaleNamespaces();
    expect(listTcpfuzzNamespaces()).not.toContain(rec.ns);
    expect(orphaned()).toEqual([]);
  });

  it('after SIGTERM of the recording process: its own handler removes the namespace', async () => {
    const rec = await startHangingRecorder();
    expect(listTcpfuzzNamespaces()).toContain(rec.ns);
    rec.kill('SIGTERM');
    await rec.exited;
    expect(listTcpfuzzNamespaces()).not.toContain(rec.ns);
    expect(listTcpfuzzNamespaces().filter((n) => ownerPid(n) === rec.pid)).toEqual([]);
    expect(await until(() => nsPids(rec.ns) === '', 5_000)).toBe(true);
  });

  it('a run after close() is refused with a clear message', async () => {
    const stack = new LinuxStack();
    await stack.close();
    await expect(stack.run(scenario('x', [{ kind: 'wait', t: 0 }]))).rejects.toThrow(/after close/);
  });
});
