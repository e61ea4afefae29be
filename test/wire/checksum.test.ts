/**
 * Internet checksum (RFC 1071) against a naive reference: the RFC's worked example, random data at
 * every alignment and length (the fast path sums aligned 32-bit words, the slow path bytes), the
 * IPv4 header checksum, and the TCP pseudo-header sums for IPv4 (RFC 9293 §3.1) and IPv6
 * (RFC 8200 §8.1). DT-4.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumMatches, corruptTcpChecksum, decodePacket, internetChecksum, ipv4HeaderChecksum, tcpChecksum } from '../../src/wire/index.js';
import { hex, SYN_V4, SYN_V6 } from './fixtures.js';

/** Reference: sum big-endian 16-bit words one by one, fold after each add, complement. */
function naive(bytes: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    s += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
    s = (s & 0xffff) + (s >>> 16);
  }
  return ~s & 0xffff;
}

describe('RFC 1071 Internet checksum', () => {
  it('worked example of RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2', () => {
    expect(internetChecksum(hex('0001f203f4f5f6f7'))).toBe(~0xddf2 & 0xffff);
  });

  it('equals the naive word-by-word sum at every alignment and length', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 255 }), { maxLength: 400 }), fc.nat({ max: 7 }), (data, shift) => {
        // Place the data at byte offset `shift` inside a larger buffer so byteOffset varies too.
        const backing = new Uint8Array(data.length + 16);
        backing.set(data, shift);
        const view = backing.subarray(shift, shift + data.length);
        expect(internetChecksum(view)).toBe(naive(data));
      }),
      { numRuns: 3000 },
    );
  });

  it('all-0xff data and all-zero data', () => {
    expect(internetChecksum(new Uint8Array(1000).fill(0xff))).toBe(0);
    expect(internetChecksum(new Uint8Array(1000))).toBe(0xffff);
  });

  it('0x0000 and 0xFFFF are the same checksum (RFC 1624 §3)', () => {
    expect(checksumMatches(0xffff, 0)).toBe(true);
    expect(checksumMatches(0, 0)).toBe(true);
    expect(checksumMatches(0x1234, 0x1234)).toBe(true);
    expect(checksumMatches(0x1234, 0x1235)).toBe(false);
  });
});

describe('IPv4 header and TCP pseudo-header checksums', () => {
  it('IPv4 header checksum of the known SYN ignores the stored field', () => {
    const b = hex(SYN_V4);
    expect(ipv4HeaderChecksum(b, 0, 20)).toBe(0x5c7c);
    b[10] = 0xde;
    b[11] = 0xad;
    expect(ipv4HeaderChecksum(b, 0, 20)).toBe(0x5c7c);
  });

  it('tcpChecksum over v4 and v6 pseudo-headers matches the known packets', () => {
    const v4 = hex(SYN_V4);
    expect(tcpChecksum(v4.subarray(12, 16), v4.subarray(16, 20), v4.subarray(20))).toBe(0x54b5);
    const v6 = hex(SYN_V6);
    expect(tcpChecksum(v6.subarray(8, 24), v6.subarray(24, 40), v6.subarray(40))).toBe(0x7b28);
  });

  it('tcpChecksum equals the naive sum over an explicit pseudo-header, for any segment', () => {
    const arb = fc.record({
      v6: fc.boolean(),
      src: fc.array(fc.nat({ max: 255 }), { minLength: 16, maxLength: 16 }),
      dst: fc.array(fc.nat({ max: 255 }), { minLength: 16, maxLength: 16 }),
      seg: fc.array(fc.nat({ max: 255 }), { minLength: 20, maxLength: 300 }),
    });
    fc.assert(
      fc.property(arb, ({ v6, src, dst, seg }) => {
        const n = v6 ? 16 : 4;
        const s = src.slice(0, n);
        const d = dst.slice(0, n);
        const zeroed = [...seg.slice(0, 16), 0, 0, ...seg.slice(18)];
        const len = seg.length;
        const pseudo = v6
          ? [...s, ...d, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, 0, 0, 0, 6]
          : [...s, ...d, 0, 6, len >>> 8, len & 0xff];
        expect(tcpChecksum(Uint8Array.from(s), Uint8Array.from(d), Uint8Array.from(seg))).toBe(naive([...pseudo, ...zeroed]));
      }),
      { numRuns: 2000 },
    );
  });

  it('bad address lengths are a -1 result, not an exception', () => {
    expect(tcpChecksum(new Uint8Array(4), new Uint8Array(16), new Uint8Array(20))).toBe(-1);
    expect(tcpChecksum(new Uint8Array(4), new Uint8Array(4), new Uint8Array(10))).toBe(-1);
  });
});

describe('corruptTcpChecksum (DT-4 test segments)', () => {
  it('DT-4 leaves a packet that still decodes, with the TCP checksum reported wrong and the IP header intact (IPv4 and IPv6)', () => {
    for (const h of [SYN_V4, SYN_V6]) {
      const bytes = hex(h);
      const before = decodePacket(bytes);
      expect(before.ok && before.packet.checksumOk).toBe(true);
      const after = decodePacket(corruptTcpChecksum(hex(h)));
      expect(after.ok).toBe(true);
      if (!after.ok || !before.ok) return;
      expect(after.packet.checksumOk).toBe(false);
      expect(after.packet.tcp).toEqual({ ...before.packet.tcp });
      if (after.packet.ip.version === 4) expect(after.packet.ipChecksumOk).toBe(true);
    }
  });
});

