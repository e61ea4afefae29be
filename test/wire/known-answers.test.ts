/**
 * Known answers for Linux 6.18 handshake layouts (bytes in ./fixtures.ts, built by an independent
 * python3 one-off). Each must decode to the expected fields with both checksums good, and encoding
 * the decoded packet must give back the same bytes. HS-1, HS-11, HD-1, HD-3.
 */
import { describe, expect, it } from 'vitest';
import { ACK, decodePacket, encodePacket, RST, SYN } from '../../src/wire/index.js';
import type { Packet, TcpOption } from '../../src/wire/index.js';
import { hex, RSTACK_V4, SYN_V4, SYN_V6, SYNACK_V4, toHex } from './fixtures.js';

const synOptions = (mss: number, val: number, ecr: number): TcpOption[] => [
  { kind: 'mss', mss },
  { kind: 'sackOk' },
  { kind: 'ts', val, ecr },
  { kind: 'nop' },
  { kind: 'wscale', shift: 10 },
];

function decodeOk(h: string): Packet {
  const r = decodePacket(hex(h));
  if (!r.ok) throw new Error(`decode failed: ${r.error.code} at ${r.error.offset}: ${r.error.message}`);
  return r.packet;
}

describe('known answers: Linux 6.18 handshake layouts', () => {
  it('HS-1 SYN (IPv4): fields, checksums, byte-identical re-encode', () => {
    const p = decodeOk(SYN_V4);
    expect(p.ip).toEqual({
      version: 4,
      src: '192.0.2.1',
      dst: '192.0.2.2',
      tos: 0,
      id: 0x5a3c,
      ipFlags: 2,
      fragOffset: 0,
      ttl: 64,
      options: [],
    });
    expect(p.tcp).toEqual({
      srcPort: 40000,
      dstPort: 8080,
      seq: 0x1a2b3c4d,
      ack: 0,
      flags: SYN,
      window: 64240,
      urgent: 0,
      options: synOptions(1460, 0x00bc614e, 0),
      len: 0,
    });
    expect(p.dataOffset).toBe(10);
    expect(p.reserved).toBe(0);
    expect(p.checksum).toBe(0x54b5);
    expect(p.checksumOk).toBe(true);
    expect(p.ipChecksumOk).toBe(true);
    expect(p.payload?.length).toBe(0);
    expect(toHex(encodePacket(p))).toBe(SYN_V4);
    // Built from scratch (no checksum given), the encoder computes the same checksums.
    expect(toHex(encodePacket({ ip: p.ip, tcp: p.tcp }))).toBe(SYN_V4);
  });

  it('HS-1 SYN-ACK (IPv4): fields, checksums, byte-identical re-encode', () => {
    const p = decodeOk(SYNACK_V4);
    expect(p.ip).toMatchObject({ version: 4, src: '192.0.2.2', dst: '192.0.2.1', id: 0, ipFlags: 2, ttl: 64 });
    expect(p.tcp).toEqual({
      srcPort: 8080,
      dstPort: 40000,
      seq: 0x9e3779b9,
      ack: 0x1a2b3c4e,
      flags: SYN | ACK,
      window: 65160,
      urgent: 0,
      options: synOptions(1460, 0x0001e240, 0x00bc614e),
      len: 0,
    });
    expect(p.dataOffset).toBe(10);
    expect(p.checksumOk).toBe(true);
    expect(p.ipChecksumOk).toBe(true);
    expect(toHex(encodePacket(p))).toBe(SYNACK_V4);
    expect(toHex(encodePacket({ ip: p.ip, tcp: p.tcp }))).toBe(SYNACK_V4);
  });

  it('HS-11 RST|ACK with window 0 and no options', () => {
    const p = decodeOk(RSTACK_V4);
    expect(p.tcp).toEqual({
      srcPort: 8080,
      dstPort: 40001,
      seq: 0,
      ack: 0x1a2b3c4e,
      flags: RST | ACK,
      window: 0,
      urgent: 0,
      options: [],
      len: 0,
    });
    expect(p.dataOffset).toBe(5);
    expect(p.checksum).toBe(0x1982);
    expect(p.checksumOk).toBe(true);
    expect(p.ipChecksumOk).toBe(true);
    expect(toHex(encodePacket(p))).toBe(RSTACK_V4);
    expect(toHex(encodePacket({ ip: p.ip, tcp: p.tcp }))).toBe(RSTACK_V4);
  });

  it('HS-1 SYN over IPv6', () => {
    const p = decodeOk(SYN_V6);
    expect(p.ip).toEqual({
      version: 6,
      src: '2001:db8::1',
      dst: '2001:db8::2',
      trafficClass: 0,
      flowLabel: 0x12345,
      hopLimit: 64,
    });
    expect(p.tcp).toMatchObject({ srcPort: 40000, dstPort: 8080, seq: 0x1a2b3c4d, ack: 0, flags: SYN, window: 64800, len: 0 });
    expect(p.tcp.options).toEqual(synOptions(1440, 0x00bc614e, 0));
    expect(p.checksum).toBe(0x7b28);
    expect(p.checksumOk).toBe(true);
    expect(p.ipChecksumOk).toBe(true);
    expect(toHex(encodePacket(p))).toBe(SYN_V6);
    expect(toHex(encodePacket({ ip: p.ip, tcp: p.tcp }))).toBe(SYN_V6);
  });

  it('ignores link padding after the IPv4 total length (Ethernet minimum frame)', () => {
    const r = decodePacket(hex(RSTACK_V4 + '000000000000'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.packet.tcp.len).toBe(0);
      expect(r.packet.checksumOk).toBe(true);
      expect(toHex(encodePacket(r.packet))).toBe(RSTACK_V4);
    }
  });
});
