/**
 * Script space back to the wire: absolute sequence numbers from the trace header's ISNs, addresses
 * from the scenario header, literal ack/ecr before the SUT has sent anything (HS-1 passive open).
 */
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/trace/io.js';
import { toAbsolute, tracePackets } from '../../src/trace/packets.js';
import { ACK, SYN } from '../../src/wire/types.js';

describe('tracePackets', () => {
  const r = readTraceFile('test/fixtures/good/passive-open.trace.jsonl');
  if (!r.ok) throw new Error(r.error.message);
  const trace = r.value;

  it('emits the in and out segments in order with times and addresses', () => {
    const ps = tracePackets(trace);
    expect(ps.map((p) => [p.tUs, p.dir])).toEqual([
      [100000, 'in'],
      [100037, 'out'],
      [200000, 'in'],
      [210000, 'in'],
      [210120, 'out'],
    ]);
    expect(ps[0]?.packet.ip).toMatchObject({ version: 4, src: '192.0.2.2', dst: '192.0.2.1' });
    expect(ps[1]?.packet.ip).toMatchObject({ version: 4, src: '192.0.2.1', dst: '192.0.2.2' });
  });

  it('translates seq/ack/TS with the ISNs, wrapping mod 2^32 (DT-2)', () => {
    const ps = tracePackets(trace).map((p) => p.packet.tcp);
    // Peer SYN: seq = remote ISN; ack and ecr literal (the SUT has not chosen its ISN yet).
    expect(ps[0]).toMatchObject({ seq: 4294967000, ack: 0, options: expect.arrayContaining([{ kind: 'ts', val: 100, ecr: 0 }]) });
    // SUT SYN-ACK: seq = local ISN, ack = remote ISN + 1, TS val = tsBase + 0.
    expect(ps[1]).toMatchObject({ seq: 3000000000, ack: 4294967001, options: expect.arrayContaining([{ kind: 'ts', val: 12345, ecr: 100 }]) });
    // Peer ACK: ack and ecr now in the SUT's space.
    expect(ps[2]).toMatchObject({ seq: 4294967001, ack: 3000000001, options: expect.arrayContaining([{ kind: 'ts', val: 110, ecr: 12345 }]) });
    // Data 1:1001 starting at remote ISN + 1.
    expect(ps[3]).toMatchObject({ seq: 4294967001, len: 1000 });
    // SUT ACK of 1000 bytes wraps past 2^32.
    expect(ps[4]).toMatchObject({ seq: 3000000001, ack: (4294967000 + 1001) % 2 ** 32 });
  });

  it('leaves segments alone without an isn entry, and ack alone without the ACK flag', () => {
    const seg = { srcPort: 1, dstPort: 2, seq: 5, ack: 7, flags: SYN, window: 0, urgent: 0, options: [], len: 0 };
    expect(toAbsolute(seg, 'out', undefined, true)).toBe(seg);
    expect(toAbsolute(seg, 'out', { local: 100, remote: 200 }, true)).toMatchObject({ seq: 105, ack: 7 });
    expect(toAbsolute({ ...seg, flags: SYN | ACK }, 'out', { local: 100, remote: 200 }, true)).toMatchObject({ seq: 105, ack: 207 });
    expect(
      toAbsolute({ ...seg, flags: ACK, options: [{ kind: 'sack', blocks: [{ left: 1, right: 2 }] }] }, 'in', { local: 100, remote: 200 }, true),
    ).toMatchObject({ seq: 205, ack: 107, options: [{ kind: 'sack', blocks: [{ left: 101, right: 102 }] }] });
  });
});
