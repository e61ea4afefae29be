/**
 * Hostile inputs for decoder totality checks, shared by test/wire/totality.test.ts and
 * bench/decode-totality.ts: random byte arrays, and valid packets truncated, with flipped bytes,
 * bad IHL, total-length lies, bad data offsets and broken option lengths. Deterministic: a small
 * seeded PRNG (mulberry32) drives everything, so a failing input can be regenerated from its seed.
 */
import { encodePacket, fixChecksums } from '../../src/wire/index.js';
import type { Packet, TcpOption } from '../../src/wire/index.js';

/** mulberry32: a tiny, fast 32-bit PRNG. Returns a function giving integers in [0, 2^32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const synOptions: TcpOption[] = [
  { kind: 'mss', mss: 1460 },
  { kind: 'sackOk' },
  { kind: 'ts', val: 12345, ecr: 0 },
  { kind: 'nop' },
  { kind: 'wscale', shift: 10 },
];

/** A few valid packets (v4/v6, SYN, data with TS and SACK, RST, IP options) used as mutation seeds. */
export function seedPackets(): Uint8Array[] {
  const v4 = { version: 4 as const, src: '192.0.2.1', dst: '192.0.2.2', tos: 0, id: 1, ipFlags: 2, fragOffset: 0, ttl: 64, options: [] };
  const v6 = { version: 6 as const, src: '2001:db8::1', dst: '2001:db8::2', trafficClass: 0, flowLabel: 0x12345, hopLimit: 64 };
  const seg = { srcPort: 40000, dstPort: 8080, seq: 0xfffffff0, ack: 0x10, flags: 0x18, window: 502, urgent: 0, len: 100 };
  const packets: Packet[] = [
    { ip: v4, tcp: { ...seg, flags: 0x02, ack: 0, len: 0, window: 64240, options: synOptions } },
    { ip: v4, tcp: { ...seg, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 1, ecr: 2 }] } },
    {
      ip: v4,
      tcp: {
        ...seg,
        flags: 0x10,
        len: 0,
        options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 1, ecr: 2 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [{ left: 1, right: 2 }, { left: 5, right: 9 }] }],
      },
    },
    { ip: { ...v4, options: [0x94, 0x04, 0, 0] }, tcp: { ...seg, flags: 0x14, window: 0, options: [], len: 0 } },
    { ip: v6, tcp: { ...seg, flags: 0x02, ack: 0, len: 0, options: synOptions } },
    { ip: v6, tcp: { ...seg, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 7, ecr: 8 }], len: 40 } },
  ];
  return packets.map(encodePacket);
}

/** The mutation kinds, in the order `mutate` picks them. */
export const MUTATIONS = [
  'random',
  'truncate',
  'flip',
  'bad-ihl',
  'total-length',
  'data-offset',
  'option-length',
  'ip-version',
  'protocol',
  'fragment',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

function ipHeaderLen(b: Uint8Array): number {
  return b[0]! >>> 4 === 6 ? 40 : (b[0]! & 0x0f) * 4;
}

/**
 * One hostile input derived from `seeds` using `rnd`. Where a mutation keeps the packet parseable
 * up to the TCP header, checksums are fixed half the time so decoding gets past them too.
 */
export function mutate(seeds: readonly Uint8Array[], rnd: () => number, kind: Mutation): Uint8Array {
  const base = seeds[rnd() % seeds.length]!;
  const b = Uint8Array.from(base);
  const t = ipHeaderLen(b);
  switch (kind) {
    case 'random': {
      const n = rnd() % 120;
      const r = new Uint8Array(n);
      for (let i = 0; i < n; i++) r[i] = rnd() & 0xff;
      // Half the time make it look like IP to get past the version check.
      if (n > 0 && rnd() & 1) r[0] = (rnd() & 1 ? 0x40 : 0x60) | (r[0]! & 0x0f);
      return r;
    }
    case 'truncate':
      return b.subarray(0, rnd() % (b.length + 1));
    case 'flip': {
      const flips = 1 + (rnd() % 4);
      for (let k = 0; k < flips; k++) {
        const at = rnd() % b.length;
        b[at] = b[at]! ^ (1 << (rnd() % 8));
      }
      return b;
    }
    case 'bad-ihl':
      if (b[0]! >>> 4 === 4) b[0] = 0x40 | (rnd() & 0x0f);
      else b[0] = 0x40 | (rnd() & 0x0f); // an IPv6 packet relabelled as IPv4 with random IHL
      return b;
    case 'total-length': {
      const v = rnd() & 0xffff;
      const small = rnd() % (b.length + 8);
      const len = rnd() & 1 ? v : small;
      if (b[0]! >>> 4 === 4) {
        b[2] = len >>> 8;
        b[3] = len & 0xff;
      } else {
        b[4] = len >>> 8;
        b[5] = len & 0xff;
      }
      if (rnd() & 1) fixChecksums(b);
      return b;
    }
    case 'data-offset': {
      b[t + 12] = ((rnd() & 0x0f) << 4) | (b[t + 12]! & 0x0f);
      if (rnd() & 1) fixChecksums(b);
      return b;
    }
    case 'option-length': {
      // Corrupt an option length byte (0, 1, overrun or random) or an option kind.
      const doff = (b[t + 12]! >>> 4) * 4;
      if (doff <= 20) {
        b[t + 12] = (15 << 4) | (b[t + 12]! & 0x0f);
        return b;
      }
      const at = t + 20 + (rnd() % (doff - 20));
      const choice = rnd() % 4;
      b[at] = choice === 0 ? 0 : choice === 1 ? 1 : choice === 2 ? 0xff : rnd() & 0xff;
      if (rnd() & 1) fixChecksums(b);
      return b;
    }
    case 'ip-version':
      b[0] = ((rnd() & 0x0f) << 4) | (b[0]! & 0x0f);
      return b;
    case 'protocol':
      if (b[0]! >>> 4 === 4) b[9] = rnd() & 0xff;
      else b[6] = rnd() & 0xff;
      return b;
    case 'fragment':
      if (b[0]! >>> 4 === 4) {
        b[6] = (b[6]! & 0xc0) | (rnd() & 0x3f);
        b[7] = rnd() & 0xff;
      }
      return b;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
