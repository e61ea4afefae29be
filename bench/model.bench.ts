/**
 * Model throughput: input events per second on one core.
 *
 * Two `linux`-profile endpoints wired back to back (FIFO delivery, 50 µs per hop) run repeated
 * connections: handshake, a bulk transfer, close, TIME-WAIT expiry. Every `step` call counts as one
 * event (segments, socket calls, timer firings).
 *
 *   npx tsx bench/model.bench.ts [megabytes per connection = 20] [connections = 5] [warm-up megabytes = 30]
 */
import { performance } from 'node:perf_hooks';
import type { Input } from '../src/model/api.js';
import type { Endpoint } from '../src/model/types.js';
import { createEndpoint, step } from '../src/model/step.js';
import { linux } from '../src/model/profiles.js';

const MB = Number(process.argv[2] ?? 20);
const CONNS = Number(process.argv[3] ?? 5);
const WARMUP_MB = Number(process.argv[4] ?? 30);
const A = '192.0.2.1';
const B = '192.0.2.2';

interface Side {
  ep: Endpoint;
  deadline: number | null;
}

let events = 0;
let now = 0;
const queue: { to: 0 | 1; input: Input }[] = [];
let qHead = 0;

function run(sides: [Side, Side], i: 0 | 1, input: Input): { ok: boolean; value: number } | null {
  const s = sides[i];
  const r = step(s.ep, input, now);
  events++;
  s.ep = r.endpoint;
  s.deadline = r.deadline;
  let result: { ok: boolean; value: number } | null = null;
  for (const o of r.outputs) {
    if (o.kind === 'segment') queue.push({ to: i === 0 ? 1 : 0, input: { kind: 'segment', src: o.src, dst: o.dst, seg: o.seg } });
    else if (o.kind === 'result') result = o.result.ok ? { ok: true, value: o.result.value } : { ok: false, value: 0 };
  }
  return result;
}

function pump(sides: [Side, Side]): boolean {
  if (qHead < queue.length) {
    const q = queue[qHead++]!;
    // Drop delivered entries promptly: segments kept reachable here survive young-generation GCs
    // and get promoted, which charged the bench's own bookkeeping to the model's GC time.
    if (qHead === queue.length) {
      queue.length = 0;
      qHead = 0;
    } else if (qHead > 256) {
      queue.splice(0, qHead);
      qHead = 0;
    }
    now += 50;
    run(sides, q.to, q.input);
    return true;
  }
  return false;
}

function fireEarliest(sides: [Side, Side]): boolean {
  let next: number | null = null;
  for (const s of sides) if (s.deadline !== null && (next === null || s.deadline < next)) next = s.deadline;
  if (next === null) return false;
  now = Math.max(now, next);
  for (const i of [0, 1] as const) {
    const d = sides[i].deadline;
    if (d !== null && d <= now) run(sides, i, { kind: 'timer' });
  }
  return true;
}

function oneConnection(sides: [Side, Side], port: number, total: number): number {
  const call = (i: 0 | 1, c: Input & { kind: 'call' }) => run(sides, i, c);
  call(1, { kind: 'call', call: { op: 'socket', fd: 3 } });
  call(1, { kind: 'call', call: { op: 'bind', fd: 3, port } });
  call(1, { kind: 'call', call: { op: 'listen', fd: 3, backlog: 16 } });
  call(0, { kind: 'call', call: { op: 'socket', fd: 3 } });
  call(0, { kind: 'call', call: { op: 'connect', fd: 3, port } });
  while (pump(sides));
  const acc = call(1, { kind: 'call', call: { op: 'accept', fd: 3 } });
  if (acc === null || !acc.ok) throw new Error('accept failed');
  const sfd = acc.value;
  let sent = 0;
  let read = 0;
  while (read < total) {
    if (sent < total) {
      const r = call(0, { kind: 'call', call: { op: 'send', fd: 3, bytes: Math.min(65536, total - sent) } });
      if (r !== null && r.ok) sent += r.value;
    }
    for (let k = 0; k < 8 && pump(sides); k++);
    const r = call(1, { kind: 'call', call: { op: 'recv', fd: sfd, bytes: 1 << 20 } });
    if (r !== null && r.ok) read += r.value;
    else if (qHead >= queue.length && !fireEarliest(sides)) {
      // Idle with the writer blocked on a full send buffer that has drained since: retry, as the
      // 'writable' wake-up would make an application do; stalled only if that fails too.
      const r2 = sent < total ? call(0, { kind: 'call', call: { op: 'send', fd: 3, bytes: Math.min(65536, total - sent) } }) : null;
      if (r2 === null || !r2.ok) throw new Error('stalled');
      sent += r2.value;
    }
  }
  call(0, { kind: 'call', call: { op: 'close', fd: 3 } });
  while (pump(sides));
  call(1, { kind: 'call', call: { op: 'recv', fd: sfd, bytes: 1 << 20 } });
  call(1, { kind: 'call', call: { op: 'close', fd: sfd } });
  call(1, { kind: 'call', call: { op: 'close', fd: 3 } });
  for (;;) {
    while (pump(sides));
    if (!fireEarliest(sides)) break;
  }
  return read;
}

const sides: [Side, Side] = [
  { ep: createEndpoint({ profile: linux, addr: A, peerAddr: B, seed: 1 }), deadline: null },
  { ep: createEndpoint({ profile: linux, addr: B, peerAddr: A, seed: 2 }), deadline: null },
];
// Warm-up: let the JIT settle before measuring.
if (WARMUP_MB > 0) oneConnection(sides, 1000, WARMUP_MB * 1_000_000);
events = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
for (let c = 0; c < CONNS; c++) bytes += oneConnection(sides, 2000 + c, MB * 1_000_000);
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
console.log(`model bench: ${CONNS} connections × ${MB} MB, ${events} step calls in ${secs.toFixed(2)} s (${cpuSecs.toFixed(2)} s CPU)`);
console.log(`  ${(events / secs).toFixed(0)} events/s, ${(bytes / secs / 1e6).toFixed(1)} MB/s of simulated payload`);
// CPU time of all this process's threads (GC helpers and tsx's loader thread included, so it can exceed
// wall time): less disturbed by other processes on a shared machine; compare it only between runs
// of the same command.
console.log(`  ${(events / cpuSecs).toFixed(0)} events per CPU second`);
