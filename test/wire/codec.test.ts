/**
 * Codec round trips (fast-check): encode→decode gives back every field of arbitrary well-formed
 * IPv4 and IPv6 packets with every option kind in random order; decode→encode is byte-identical
 * for anything that decodes, including `raw` option tails and junk IP options. Plus the decode
 * error codes for each malformation, checksum corruption, and the payload pattern. HD-1, HD-3, DT-4.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPayload,
  decodePacket,
  encodePacket,
  fillPayload,
  fixChecksums,
  payloadByte,
} from '../../src/wire/index.js';
import type { DecodeErrorCode, Packet } from '../../src/wire/index.js';
import { arbPacket, arbU8 } from './arb.js';
import { hex, RSTACK_V4, SYN_V4, SYN_V6, toHex } from './fixtures.js';

function expectedPayload(p: Packet): Uint8Array {
  if (p.payload !== undefined) return p.payload;
  const b = new Uint8Array(p.tcp.len);
  fillPayload(b, 0);
  return b;
}

function errorCode(bytes: Uint8Array): DecodeErrorCode | 'ok' {
  const r = decodePacket(bytes);
  return r.ok ? 'ok' : r.error.code;
}

describe('HD-1 encode → decode round trip', () => {
  for (const version of [4, 6] as const) {
    it(`IPv${version}: every field, options in random order, payload bytes`, () => {
      fc.assert(
        fc.property(arbPacket(version), (p) => {
          const bytes = encodePacket(p);
          const r = decodePacket(bytes);
          if (!r.ok) throw new Error(`decode failed: ${JSON.stringify(r.error)}`);
          const q = r.packet;
          expect(q.ip).toEqual(p.ip);
          expect(q.tcp).toEqual(p.tcp);
          expect(q.reserved).toBe(p.reserved ?? 0);
          expect(q.checksumOk).toBe(true);
          expect(q.ipChecksumOk).toBe(true);
          expect(q.tcp.len).toBe(q.payload?.length);
          expect(toHex(q.payload!)).toBe(toHex(expectedPayload(p)));
          // Re-encoding the decoded packet is byte-identical.
          expect(toHex(encodePacket(q))).toBe(toHex(bytes));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('covers every option kind (sanity check of the arbitrary)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbPacket(), (p) => {
        for (const o of p.tcp.options) seen.add(o.kind);
      }),
      { numRuns: 500 },
    );
    expect([...seen].sort()).toEqual(['eol', 'mss', 'nop', 'raw', 'sack', 'sackOk', 'ts', 'unknown', 'wscale']);
  });
});

describe('decode → encode byte identity for anything that decodes', () => {
  it('random option areas and IP options survive byte for byte', () => {
    const arb = fc.record({
      base: fc.constantFrom(SYN_V4, SYN_V6, RSTACK_V4),
      optWords: fc.nat({ max: 10 }),
      optBytes: fc.array(arbU8, { minLength: 40, maxLength: 40 }),
      ipOptWords: fc.nat({ max: 10 }),
      ipOptBytes: fc.array(arbU8, { minLength: 40, maxLength: 40 }),
      payload: fc.array(arbU8, { maxLength: 64 }),
      fix: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ base, optWords, optBytes, ipOptWords, ipOptBytes, payload, fix }) => {
        const b0 = hex(base);
        const v4 = b0[0]! >>> 4 === 4;
        const ipLen = v4 ? 20 + ipOptWords * 4 : 40;
        const tcpHdr = 20 + optWords * 4;
        const out = new Uint8Array(ipLen + tcpHdr + payload.length);
        out.set(b0.subarray(0, v4 ? 20 : 40), 0);
        if (v4) {
          out[0] = 0x40 | (ipLen / 4);
          out.set(ipOptBytes.slice(0, ipOptWords * 4), 20);
          out[2] = out.length >>> 8;
          out[3] = out.length & 0xff;
        } else {
          out[4] = (out.length - 40) >>> 8;
          out[5] = (out.length - 40) & 0xff;
        }
        const t0 = v4 ? 20 : 40;
        out.set(b0.subarray(t0, t0 + 20), ipLen);
        out[ipLen + 12] = (tcpHdr / 4) << 4;
        out.set(optBytes.slice(0, optWords * 4), ipLen + 20);
        out.set(payload, ipLen + tcpHdr);
        if (fix) expect(fixChecksums(out)).toBe(true);
        const r = decodePacket(out);
        if (!r.ok) throw new Error(`decode failed: ${JSON.stringify(r.error)}`);
        if (fix) expect([r.packet.checksumOk, r.packet.ipChecksumOk]).toEqual([true, true]);
        expect(r.packet.tcp.len).toBe(payload.length);
        expect(toHex(encodePacket(r.packet))).toBe(toHex(out));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps broken options as a raw tail', () => {
    // SYN with its wscale option given length 2 (wrong for kind 3): mss, sackOK, TS, nop, then raw.
    const b = hex(SYN_V4);
    b[58] = 2;
    const r = decodePacket(b);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.packet.tcp.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'raw']);
    expect(r.packet.tcp.options[4]).toEqual({ kind: 'raw', data: [3, 2, 10] });
    expect(r.packet.checksumOk).toBe(false);
    expect(toHex(encodePacket(r.packet))).toBe(toHex(b));
  });
});

describe('DT-4 checksum verification', () => {
  it('any single corrupted TCP byte makes checksumOk false; IP header corruption makes ipChecksumOk false', () => {
    const base = hex(SYN_V4);
    for (let i = 20; i < base.length; i++) {
      const b = Uint8Array.from(base);
      b[i] = b[i]! ^ 0x01;
      const r = decodePacket(b);
      if (!r.ok) {
        // Only the data-offset nibble can turn a bit flip into a decode error; flip 0x01 leaves it.
        throw new Error(`byte ${i}: ${r.error.code}`);
      }
      expect(r.packet.checksumOk, `byte ${i}`).toBe(false);
      expect(r.packet.ipChecksumOk).toBe(true);
    }
    for (const i of [1, 4, 5, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]) {
      const b = Uint8Array.from(base);
      b[i] = b[i]! ^ 0x01;
      const r = decodePacket(b);
      expect(r.ok, `byte ${i}`).toBe(true);
      if (!r.ok) continue;
      expect(r.packet.ipChecksumOk, `byte ${i}`).toBe(false);
      // Address bytes are in the TCP pseudo-header too.
      expect(r.packet.checksumOk, `byte ${i}`).toBe(!(i >= 12));
    }
  });

  it('IPv6: corrupting a pseudo-header address or a TCP byte makes checksumOk false', () => {
    for (const i of [8, 23, 39, 40, 57, 79]) {
      const b = hex(SYN_V6);
      b[i] = b[i]! ^ 0x80;
      const r = decodePacket(b);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.packet.checksumOk, `byte ${i}`).toBe(false);
    }
  });

  it('a given checksum is written verbatim; 0xFFFF verifies where 0x0000 was computed (RFC 1624)', () => {
    const r = decodePacket(hex(SYN_V4));
    if (!r.ok) throw new Error('decode');
    const bad = encodePacket({ ...r.packet, checksum: 0xbeef });
    expect(toHex(bad.subarray(36, 38))).toBe('beef');
    const r2 = decodePacket(bad);
    expect(r2.ok && r2.packet.checksumOk).toBe(false);
    expect(r2.ok && r2.packet.checksum).toBe(0xbeef);
    // Find a payload byte making the computed checksum 0, then store it as 0xFFFF.
    for (let v = 0; v < 0x10000; v++) {
      const bytes = encodePacket({ ip: r.packet.ip, tcp: { ...r.packet.tcp, len: 2 }, payload: Uint8Array.of(v >>> 8, v & 0xff) });
      if (bytes[36] === 0 && bytes[37] === 0) {
        bytes[36] = 0xff;
        bytes[37] = 0xff;
        const r3 = decodePacket(bytes);
        expect(r3.ok && r3.packet.checksumOk).toBe(true);
        return;
      }
    }
    throw new Error('no payload gives checksum 0');
  });
});

describe('decode errors name the malformation', () => {
  const syn = (): Uint8Array => hex(SYN_V4);
  const cases: [string, () => Uint8Array, DecodeErrorCode | 'ok'][] = [
    ['empty', () => new Uint8Array(0), 'truncated'],
    ['IPv4 header cut', () => syn().subarray(0, 19), 'truncated'],
    ['IPv6 header cut', () => hex(SYN_V6).subarray(0, 39), 'truncated'],
    ['version 5', () => Object.assign(syn(), { 0: 0x55 }), 'bad-version'],
    ['IHL 4', () => Object.assign(syn(), { 0: 0x44 }), 'bad-ihl'],
    ['IHL 15 leaves no room for the TCP header', () => Object.assign(syn(), { 0: 0x4f }), 'truncated'],
    ['total length > buffer', () => syn().subarray(0, 59), 'bad-total-length'],
    ['total length < IP header', () => Object.assign(syn(), { 2: 0, 3: 19 }), 'bad-total-length'],
    ['total length leaves < 20 TCP bytes', () => Object.assign(syn(), { 2: 0, 3: 39 }), 'truncated'],
    ['total length < buffer: trailing bytes ignored', () => Object.assign(syn(), { 2: 0, 3: 40, 32: 0x50 }), 'ok'],
    ['protocol 17', () => Object.assign(syn(), { 9: 17 }), 'not-tcp'],
    ['IPv6 next header 0', () => Object.assign(hex(SYN_V6), { 6: 0 }), 'not-tcp'],
    ['MF set', () => Object.assign(syn(), { 6: 0x60 }), 'fragment'],
    ['fragment offset 1', () => Object.assign(syn(), { 7: 1 }), 'fragment'],
    ['data offset 4', () => Object.assign(syn(), { 32: 0x40 }), 'bad-data-offset'],
    ['data offset 11 beyond segment', () => Object.assign(syn(), { 32: 0xb0 }), 'bad-data-offset'],
    ['IPv6 payload length > buffer', () => Object.assign(hex(SYN_V6), { 5: 0x29 }), 'bad-total-length'],
  ];
  for (const [name, make, code] of cases) {
    it(`${name} → ${code}`, () => {
      expect(errorCode(make())).toBe(code);
    });
  }

  it('errors carry the offset of the offending field', () => {
    const r = decodePacket(Object.assign(hex(SYN_V4), { 32: 0x40 }));
    expect(r).toEqual({ ok: false, error: { code: 'bad-data-offset', offset: 32, message: expect.stringContaining('data offset 4') } });
  });
});

describe('payload pattern', () => {
  it('(o * 31 + 7) & 0xff by stream offset; fill and check agree at any offset', () => {
    expect([0, 1, 2, 255, 256].map(payloadByte)).toEqual([7, 38, 69, (255 * 31 + 7) & 0xff, 7]);
    expect(payloadByte(2 ** 40 + 1)).toBe(payloadByte(1));
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 3000 }), (off, n) => {
        const b = new Uint8Array(n);
        fillPayload(b, off);
        let firstBad = -1;
        for (let i = 0; i < n && firstBad < 0; i++) if (b[i] !== payloadByte(off + i)) firstBad = i;
        expect(firstBad).toBe(-1);
        expect(checkPayload(b, off)).toBe(-1);
        if (n > 0) {
          b[n >> 1] = b[n >> 1]! ^ 0x40;
          expect(checkPayload(b, off)).toBe(n >> 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('encode without payload uses the pattern from offset 0', () => {
    const r = decodePacket(hex(RSTACK_V4));
    if (!r.ok) throw new Error('decode');
    const bytes = encodePacket({ ip: r.packet.ip, tcp: { ...r.packet.tcp, len: 300 } });
    const q = decodePacket(bytes);
    expect(q.ok && checkPayload(q.packet.payload!, 0)).toBe(-1);
    expect(q.ok && q.packet.tcp.len).toBe(300);
  });
});

describe('encode refuses our own impossible data with a clear message', () => {
  const r = decodePacket(hex(SYN_V4));
  if (!r.ok) throw new Error('decode');
  const { ip, tcp } = r.packet;
  it('bad address text', () => {
    expect(() => encodePacket({ ip: { ...ip, src: '192.0.2.300' }, tcp })).toThrow(/bad IPv4 source address "192\.0\.2\.300"/);
    expect(() => encodePacket({ ip: { version: 6, src: '2001:db8::1', dst: 'nope', trafficClass: 0, flowLabel: 0, hopLimit: 1 }, tcp })).toThrow(
      /bad IPv6 destination address "nope"/,
    );
  });
  it('more than 40 bytes of options', () => {
    const ts = { kind: 'ts' as const, val: 0, ecr: 0 };
    expect(() => encodePacket({ ip, tcp: { ...tcp, options: [ts, ts, ts, ts, { kind: 'nop' }] } })).toThrow(/TCP options take 44 bytes, at most 40/);
  });
});
