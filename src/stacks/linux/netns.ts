/**
 * Network namespaces for the Linux recorder, seen from the parent process: create one per worker
 * (`tcpfuzz-<pid>-<random>`), delete it, and sweep namespaces left behind by processes that died
 * (a SIGKILLed run cannot clean up after itself). Every namespace this process creates is
 * registered, and handlers for exit, SIGINT, SIGTERM, SIGHUP and fatal uncaught errors delete the
 * registered ones synchronously, so a run leaves nothing behind however it ends.
 *
 * Only `ip netns` is used (iproute2); the namespace's contents (TUN device, addresses, sysctls) are
 * set up by the worker from inside (see `setup.ts`).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const NAMESPACE_PREFIX = 'tcpfuzz-';

const live = new Set<string>();
let handlersInstalled = false;

function ip(args: readonly string[]): { ok: true; out: string } | { ok: false; message: string } {
  try {
    const out = execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, out };
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return { ok: false, message: (err.stderr ?? err.message ?? String(e)).trim() };
  }
}

/** Names of all namespaces that start with `tcpfuzz-`. */
export function listTcpfuzzNamespaces(): string[] {
  const r = ip(['netns', 'list']);
  if (!r.ok) return [];
  const names: string[] = [];
  for (const line of r.out.split('\n')) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    if (name.startsWith(NAMESPACE_PREFIX)) names.push(name);
  }
  return names;
}

/** The pid embedded in a `tcpfuzz-<pid>-<random>` name, or null. */
export function ownerPid(name: string): number | null {
  const m = /^tcpfuzz-(\d+)-[0-9a-z]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM means it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Create a fresh namespace owned by this process; returns its name or an error line. */
export function createNamespace(): { ok: true; name: string } | { ok: false; message: string } {
  const name = `${NAMESPACE_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const r = ip(['netns', 'add', name]);
  if (!r.ok) return { ok: false, message: `ip netns add ${name}: ${r.message}` };
  live.add(name);
  installHandlers();
  return { ok: true, name };
}

/** Delete a namespace (idempotent). Processes still inside keep it alive until they exit. */
export function deleteNamespace(name: string): void {
  live.delete(name);
  ip(['netns', 'delete', name]);
}

/** Stop tracking a namespace without deleting it (kept for debugging; a later sweep removes it). */
export function forgetNamespace(name: string): void {
  live.delete(name);
}

/** Delete every registered namespace of this process (synchronous; safe in exit handlers). */
export function deleteAllOwned(): void {
  for (const name of [...live]) deleteNamespace(name);
}

/**
 * Delete `tcpfuzz-<pid>-*` namespaces whose pid is no longer alive. Names of another shape are
 * left alone. Returns the names removed.
 */
export function sweepStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const name of listTcpfuzzNamespaces()) {
    const pid = ownerPid(name);
    if (pid === null || pid === process.pid || pidAlive(pid)) continue;
    const r = ip(['netns', 'delete', name]);
    if (r.ok) removed.push(name);
  }
  return removed;
}

function onSignal(signal: NodeJS.Signals): void {
  deleteAllOwned();
  process.removeListener(signal, onSignal);
  // Keep the default behaviour (terminate) unless somebody else handles the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', deleteAllOwned);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  // A fatal uncaught error skips 'exit' handlers; the monitor sees it first. Only clean up when
  // the process is really going to die (nobody else handles uncaught exceptions).
  process.on('uncaughtExceptionMonitor', () => {
    if (process.listenerCount('uncaughtException') === 0) deleteAllOwned();
  });
}
