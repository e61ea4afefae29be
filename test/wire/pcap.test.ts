/**
 * pcap files: write → read round trip, both byte orders, nanosecond magic, raw-IP link types, total
 * reading of bad files, and (when tcpdump is installed) tcpdump reading our file and showing the
 * flags and sequence numbers we wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, readPcap, writePcap } from '../../src/wire/index.js';
import { hex, RSTACK_V4, SYN_V4, SYN_V6, SYNACK_V4, toHex } from './fixtures.js';

const hasTcpdump = spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTcpdump) console.log('pcap.test: tcpdump not on PATH; skipping the tcpdump cross-check (apt-get install tcpdump)');

const records = [
  { tUs: 1_700_000_000_000_000, bytes: hex(SYN_V4) },
  { tUs: 1_700_000_000_000_250, bytes: hex(SYNACK_V4) },
  { tUs: 1_700_000_001_500_000, bytes: hex(RSTACK_V4) },
  { tUs: 1_700_000_002_000_001, bytes: hex(SYN_V6) },
];

describe('pcap', () => {
  it('writes the classic little-endian header: magic a1b2c3d4, v2.4, snaplen 262144, LINKTYPE_RAW', () => {
    const f = writePcap(records);
    expect(toHex(f.subarray(0, 24))).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '65000000');
    // First record header: seconds, microseconds, captured and original length.
    const dv = new DataView(f.buffer, f.byteOffset);
    expect(dv.getUint32(24, true)).toBe(1_700_000_000);
    expect(dv.getUint32(28, true)).toBe(0);
    expect(dv.getUint32(32, true)).toBe(60);
    expect(dv.getUint32(36, true)).toBe(60);
    expect(f.length).toBe(24 + 4 * 16 + 60 + 60 + 40 + 80);
  });

  it('round trip: read gives back times and bytes, and the bytes decode', () => {
    const r = readPcap(writePcap(records));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.linkType).toBe(101);
    expect(r.records.map((x) => x.tUs)).toEqual(records.map((x) => x.tUs));
    expect(r.records.map((x) => toHex(x.bytes))).toEqual(records.map((x) => toHex(x.bytes)));
    expect(r.records.map((x) => decodePacket(x.bytes).ok)).toEqual([true, true, true, true]);
  });

  it('round trip for arbitrary records', () => {
    const rec = fc.record({ tUs: fc.nat({ max: 2 ** 50 }), bytes: fc.uint8Array({ maxLength: 200 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 10 }), (rs) => {
        const r = readPcap(writePcap(rs));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.records.map((x) => x.tUs)).toEqual(rs.map((x) => x.tUs));
        expect(r.records.map((x) => toHex(x.bytes))).toEqual(rs.map((x) => toHex(x.bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('reads big-endian files, nanosecond magic and link types 228/229', () => {
    const body = hex(RSTACK_V4);
    const f = new Uint8Array(24 + 16 + body.length);
    const dv = new DataView(f.buffer);
    dv.setUint32(0, 0xa1b23c4d, false);
    dv.setUint16(4, 2, false);
    dv.setUint16(6, 4, false);
    dv.setUint32(16, 65535, false);
    dv.setUint32(20, 228, false);
    dv.setUint32(24, 10, false);
    dv.setUint32(28, 123_456_789, false);
    dv.setUint32(32, body.length, false);
    dv.setUint32(36, body.length, false);
    f.set(body, 40);
    const r = readPcap(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.linkType).toBe(228);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.tUs).toBe(10_123_456);
    expect(toHex(r.records[0]!.bytes)).toBe(RSTACK_V4);
  });

  it('bad files are errors with an offset, never exceptions', () => {
    const good = writePcap(records);
    const ethernet = Uint8Array.from(good);
    ethernet[20] = 1;
    const cases: [Uint8Array, number][] = [
      [new Uint8Array(0), 0],
      [good.subarray(0, 23), 0],
      [Uint8Array.from(good).fill(0, 0, 4), 0],
      [ethernet, 20],
      [good.subarray(0, 24 + 10), 24],
      [good.subarray(0, good.length - 1), 24 + 3 * 16 + 160 + 8],
    ];
    for (const [bytes, offset] of cases) {
      const r = readPcap(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.offset).toBe(offset);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 250 }), (junk, cut) => {
        const spliced = Uint8Array.of(...good.subarray(0, Math.min(cut, good.length)), ...junk);
        const r = readPcap(spliced);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it.skipIf(!hasTcpdump)('tcpdump reads our file and shows the flags and sequence numbers (HS-1, HS-11)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpfuzz-pcap-'));
    try {
      const file = join(dir, 'handshake.pcap');
      writeFileSync(file, writePcap(records));
      const out = execFileSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/IP 192\.0\.2\.1\.40000 > 192\.0\.2\.2\.8080: Flags \[S\], seq 439041101, win 64240, options \[mss 1460,sackOK,TS val 12345678 ecr 0,nop,wscale 10\], length 0/);
      expect(lines[1]).toMatch(/IP 192\.0\.2\.2\.8080 > 192\.0\.2\.1\.40000: Flags \[S\.\], seq 2654435769, ack 439041102, win 65160, options \[mss 1460,sackOK,TS val 123456 ecr 12345678,nop,wscale 10\], length 0/);
      expect(lines[2]).toMatch(/IP 192\.0\.2\.2\.8080 > 192\.0\.2\.1\.40001: Flags \[R\.\], seq 0, ack 439041102, win 0, length 0/);
      expect(lines[3]).toMatch(/IP6 2001:db8::1\.40000 > 2001:db8::2\.8080: Flags \[S\], seq 439041101, win 64800, options \[mss 1440,sackOK,TS val 12345678 ecr 0,nop,wscale 10\], length 0/);
      // -vv verifies checksums: tcpdump must call every one of them correct.
      const vv = execFileSync('tcpdump', ['-nn', '-vv', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(vv).not.toMatch(/incorrect/);
      expect((vv.match(/cksum 0x[0-9a-f]+ \(correct\)/g) ?? []).length).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
