/**
 * TCP option parsing and serialisation (RFC 9293 §3.2, RFC 7323, RFC 2018): each kind, Linux's
 * layouts, and every way an option area can be malformed, which must come back as a lossless `raw`
 * tail rather than an error. HD-3.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOptions, paddedOptionsLength, serializeOptions } from '../../src/wire/index.js';
import type { TcpOption } from '../../src/wire/index.js';
import { arbOptions, arbU8 } from './arb.js';
import { hex, toHex } from './fixtures.js';

const parseHex = (h: string): TcpOption[] => parseOptions(hex(h));

describe('HD-3 option kinds', () => {
  it('parses the Linux SYN layout mss, sackOK, TS, nop, wscale', () => {
    expect(parseHex('020405b40402080a00bc614e000000000103030a')).toEqual([
      { kind: 'mss', mss: 1460 },
      { kind: 'sackOk' },
      { kind: 'ts', val: 0x00bc614e, ecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 10 },
    ]);
  });

  it('parses nop, nop, TS, nop, nop, SACK with two blocks (Linux data ACK)', () => {
    const h = '0101080a000000010000000201010512' + '00000001' + '00000002' + 'fffffff0' + '00000010';
    expect(parseHex(h)).toEqual([
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'ts', val: 1, ecr: 2 },
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'sack', blocks: [{ left: 1, right: 2 }, { left: 0xfffffff0, right: 0x10 }] },
    ]);
  });

  it('keeps unknown kinds with their data (e.g. TCP-AO 29, MPTCP 30, fast open 34)', () => {
    expect(parseHex('1e0401021c02010122020000')).toEqual([
      { kind: 'unknown', code: 30, data: [1, 2] },
      { kind: 'unknown', code: 28, data: [] },
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'unknown', code: 34, data: [] },
      { kind: 'eol' },
    ]);
  });

  it('serialises with zero padding to a multiple of 4', () => {
    expect(toHex(serializeOptions([{ kind: 'mss', mss: 536 }, { kind: 'wscale', shift: 7 }]))).toBe('02040218' + '03030700');
    expect(toHex(serializeOptions([]))).toBe('');
    expect(toHex(serializeOptions([{ kind: 'nop' }]))).toBe('01000000');
    expect(paddedOptionsLength([{ kind: 'ts', val: 0, ecr: 0 }])).toBe(12);
  });

  it('drops only the < 4 zero bytes of padding after EOL', () => {
    expect(parseHex('02040218' + '00000000')).toEqual([{ kind: 'mss', mss: 536 }, { kind: 'eol' }]);
    expect(parseHex('0204021801000000')).toEqual([{ kind: 'mss', mss: 536 }, { kind: 'nop' }, { kind: 'eol' }]);
  });
});

describe('malformed option areas become a raw tail (never an error)', () => {
  const cases: [string, string, TcpOption[]][] = [
    ['length 0', '0101' + '0200' + 'ffffabcd', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'raw', data: [2, 0, 0xff, 0xff, 0xab, 0xcd] }]],
    ['length 1', '0801' + '0000', [{ kind: 'raw', data: [8, 1, 0, 0] }]],
    ['overrun', '010108ff', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'raw', data: [8, 0xff] }]],
    ['kind without a length byte', '01010108', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'raw', data: [8] }]],
    ['MSS of length 3', '02030501', [{ kind: 'raw', data: [2, 3, 5, 1] }]],
    ['wscale of length 4', '03040701', [{ kind: 'raw', data: [3, 4, 7, 1] }]],
    ['sackOK of length 3', '04030001', [{ kind: 'raw', data: [4, 3, 0, 1] }]],
    ['SACK without blocks', '01010502', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'raw', data: [5, 2] }]],
    ['SACK with a partial block', '01010506' + '00000001', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'raw', data: [5, 6, 0, 0, 0, 1] }]],
    ['TS of length 8', '080800000001000000020000', [{ kind: 'raw', data: [8, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0] }]],
    ['junk after EOL', '0000ab00', [{ kind: 'eol' }, { kind: 'raw', data: [0, 0xab, 0] }]],
    ['4+ zero bytes after EOL', '0101010000000000', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'eol' }, { kind: 'raw', data: [0, 0, 0, 0] }]],
  ];
  for (const [name, h, expected] of cases) {
    it(`${name}: ${h}`, () => {
      const opts = parseHex(h);
      expect(opts).toEqual(expected);
      expect(toHex(serializeOptions(opts))).toBe(h);
    });
  }

  it('parse then serialise is byte-identical for any area whose length is a multiple of 4', () => {
    const area = fc.nat({ max: 10 }).chain((w) => fc.array(fc.oneof(arbU8, fc.constantFrom(0, 1, 2, 3, 4, 5, 8, 10)), { minLength: 4 * w, maxLength: 4 * w }));
    fc.assert(
      fc.property(area, (bytes) => {
        const b = Uint8Array.from(bytes);
        expect(toHex(serializeOptions(parseOptions(b)))).toBe(toHex(b));
      }),
      { numRuns: 5000 },
    );
  });

  it('serialise then parse gives back any well-formed list', () => {
    fc.assert(
      fc.property(arbOptions, (opts) => {
        expect(parseOptions(serializeOptions(opts))).toEqual(opts);
      }),
      { numRuns: 3000 },
    );
  });
});
