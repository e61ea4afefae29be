/**
 * Codec throughput: encode and decode packets/s for a typical IPv4 data segment with timestamps
 * (1448 payload bytes, nop,nop,TS), the same without payload bytes (a pure ACK), a Linux SYN, and
 * an IPv6 data segment. Plain tsx script (not vitest bench):
 *
 *   npx tsx bench/codec.bench.ts [seconds per case, default 1]
 */
import { decodePacket, encodePacket } from '../src/wire/index.js';
import type { Packet } from '../src/wire/index.js';

const v4 = { version: 4 as const, src: '192.0.2.1', dst: '192.0.2.2', tos: 0, id: 0x1234, ipFlags: 2, fragOffset: 0, ttl: 64, options: [] };
const v6 = { version: 6 as const, src: '2001:db8::1', dst: '2001:db8::2', trafficClass: 0, flowLabel: 0x12345, hopLimit: 64 };
const data = { srcPort: 40000, dstPort: 8080, seq: 0x1a2b3c4e, ack: 0x9e3779ba, flags: 0x18, window: 502, urgent: 0 };
const tsOpts = [{ kind: 'nop' as const }, { kind: 'nop' as const }, { kind: 'ts' as const, val: 12345678, ecr: 123456 }];

const cases: [string, Packet][] = [
  ['IPv4 data 1448 B + TS', { ip: v4, tcp: { ...data, options: tsOpts, len: 1448 } }],
  ['IPv4 ACK + TS', { ip: v4, tcp: { ...data, flags: 0x10, options: tsOpts, len: 0 } }],
  [
    'IPv4 SYN (Linux options)',
    {
      ip: v4,
      tcp: {
        ...data,
        flags: 0x02,
        ack: 0,
        window: 64240,
        len: 0,
        options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'ts', val: 12345678, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 10 }],
      },
    },
  ],
  ['IPv6 data 1428 B + TS', { ip: v6, tcp: { ...data, options: tsOpts, len: 1428 } }],
];

let sink = 0;

function measure(label: string, seconds: number, op: () => void): number {
  // Warm up, then run batches until the time is used.
  for (let i = 0; i < 20_000; i++) op();
  const batch = 10_000;
  let ops = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < batch; i++) op();
    ops += batch;
    elapsed = process.hrtime.bigint() - t0;
  }
  const rate = ops / (Number(elapsed) / 1e9);
  console.log(`  ${label.padEnd(8)} ${Math.round(rate).toLocaleString('en').padStart(12)} packets/s  (${(1e9 / rate).toFixed(0)} ns/packet)`);
  return rate;
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 1);
  console.log(`codec throughput, node ${process.version}, ${seconds} s per measurement`);
  for (const [name, p] of cases) {
    const bytes = encodePacket(p);
    const r = decodePacket(bytes);
    if (!r.ok || !r.packet.checksumOk) throw new Error(`${name}: does not round-trip`);
    console.log(`${name} (${bytes.length} bytes)`);
    measure('encode', seconds, () => {
      sink += encodePacket(p).length;
    });
    measure('decode', seconds, () => {
      const d = decodePacket(bytes);
      if (d.ok) sink += d.packet.tcp.len;
    });
  }
  if (sink === 42) console.log('');
}

main();
