/**
 * A trace's segments as IP packets on the wire: the `in` and `out` events, moved from script space
 * back to absolute sequence numbers with the header's `isn` table, and wrapped in IPv4/IPv6
 * headers with the scenario's addresses. Used for pcap export. Pure.
 *
 * Script space is described in `src/scenario/types.ts`. Per connection (keyed by the SUT's port):
 * outbound `seq` += local ISN, outbound `ack` and SACK blocks += remote ISN, outbound TS val +=
 * tsBase; inbound `seq` += remote ISN; inbound `ack`, SACK blocks and TS ecr name the SUT's space,
 * which exists only once the SUT has sent something on that connection, so before that they are
 * literal (a peer SYN's ack 0 stays 0). `ack` is only translated when the ACK flag is set (RFC 9293
 * §3.1: the field is meaningful only then). Without an `isn` entry the values are left as they are.
 */
import type { Trace } from './types.js';
import type { Ipv4Header, Ipv6Header, Packet, Segment } from '../wire/types.js';
import { shiftSegment } from '../scenario/space.js';
import { ACK } from '../wire/types.js';

export interface WirePacket {
  /** Microseconds since the scenario start. */
  readonly tUs: number;
  readonly dir: 'in' | 'out';
  readonly packet: Packet;
  /** The scenario injected it with a wrong TCP checksum (DT-4); the wire bytes should carry one. */
  readonly badChecksum?: boolean;
}

interface Isn {
  readonly local: number;
  readonly remote: number;
  readonly tsBase?: number;
}

/** One segment from script space to absolute numbers. `sutStarted`: the SUT has sent on this connection. */
export function toAbsolute(seg: Segment, dir: 'in' | 'out', isn: Isn | undefined, sutStarted: boolean): Segment {
  if (isn === undefined) return seg;
  const hasAck = (seg.flags & ACK) !== 0;
  const ts = isn.tsBase ?? 0;
  // The inverse of src/scenario/space.ts, with the ISNs known up front from the header.
  if (dir === 'out') return shiftSegment(seg, isn.local, hasAck ? isn.remote : 0, ts, 0);
  const sutBase = sutStarted ? isn.local : 0;
  return shiftSegment(seg, isn.remote, hasAck ? sutBase : 0, 0, sutStarted ? ts : 0);
}

function ipHeader(version: 4 | 6, src: string, dst: string): Ipv4Header | Ipv6Header {
  return version === 4
    ? { version: 4, src, dst, tos: 0, id: 0, ipFlags: 0x2, fragOffset: 0, ttl: 64, options: [] }
    : { version: 6, src, dst, trafficClass: 0, flowLabel: 0, hopLimit: 64 };
}

/** The trace's `in` and `out` segments as absolute packets, in event order. */
export function tracePackets(trace: Trace): WirePacket[] {
  const sc = trace.header.scenario.header;
  const local = sc.local.addr;
  const remote = sc.remote.addr;
  const started = new Set<number>();
  const out: WirePacket[] = [];
  for (const e of trace.events) {
    if (e.type !== 'in' && e.type !== 'out') continue;
    const localPort = e.type === 'in' ? e.seg.dstPort : e.seg.srcPort;
    const remotePort = e.type === 'in' ? e.seg.srcPort : e.seg.dstPort;
    const isn = trace.header.isn?.[`${localPort}/${remotePort}`];
    const seg = toAbsolute(e.seg, e.type, isn, started.has(localPort));
    if (e.type === 'out') started.add(localPort);
    const ip = e.type === 'in' ? ipHeader(sc.ipVersion, remote, local) : ipHeader(sc.ipVersion, local, remote);
    const st = e.type === 'in' ? trace.header.scenario.steps[e.step] : undefined;
    const bad = st !== undefined && st.kind === 'inject' && st.corrupt === 'tcp-checksum';
    out.push(bad ? { tUs: e.t, dir: e.type, packet: { ip, tcp: seg }, badChecksum: true } : { tUs: e.t, dir: e.type, packet: { ip, tcp: seg } });
  }
  return out;
}
