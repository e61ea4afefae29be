/**
 * Address text ↔ bytes: dotted quads, IPv6 input forms (RFC 4291 §2.2) and canonical output
 * (RFC 5952 §4: lowercase, no leading zeros, longest zero run as `::`, first on ties, never for a
 * single group; §5 IPv4-mapped as dotted tail).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIpv6,
  formatIpv4,
  formatIpv4Cached,
  formatIpv6,
  formatIpv6Cached,
  parseIpv4,
  parseIpv6,
  writeIpv4Cached,
  writeIpv6Cached,
} from '../../src/wire/index.js';
import { arbU8 } from './arb.js';

describe('IPv4 addresses', () => {
  it('parses dotted quads and rejects everything else', () => {
    expect(Array.from(parseIpv4('192.0.2.1')!)).toEqual([192, 0, 2, 1]);
    expect(Array.from(parseIpv4('0.0.0.0')!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(parseIpv4('255.255.255.255')!)).toEqual([255, 255, 255, 255]);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4.', 'a.b.c.d', ' 1.2.3.4', '1.2.3.-4']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });

  it('format ∘ parse is the identity on bytes', () => {
    fc.assert(
      fc.property(fc.array(arbU8, { minLength: 4, maxLength: 4 }), (bytes) => {
        const b = Uint8Array.from(bytes);
        expect(Array.from(parseIpv4(formatIpv4(b, 0))!)).toEqual(bytes);
      }),
    );
  });
});

describe('IPv6 addresses', () => {
  const canonical: [string, string][] = [
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group stays
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first run on a tie
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['fe80::1:2:3:4', 'fe80::1:2:3:4'],
  ];
  for (const [input, out] of canonical) {
    it(`${input} → ${out}`, () => {
      expect(canonicalIpv6(input)).toBe(out);
    });
  }

  it('rejects bad text', () => {
    for (const bad of ['', ':', ':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:8::', '::1:', '1.2.3.4', '::ffff:1.2.3', 'fe80::1%eth0']) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
  });

  it('parse ∘ format is the identity on bytes, and the text is canonical (stable)', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const b = new Uint8Array(16);
        groups.forEach((g, k) => {
          b[2 * k] = g >>> 8;
          b[2 * k + 1] = g & 0xff;
        });
        const text = formatIpv6(b, 0);
        expect(Array.from(parseIpv6(text)!)).toEqual(Array.from(b));
        expect(canonicalIpv6(text)).toBe(text);
        expect(text).toBe(text.toLowerCase());
        expect(text.split('::').length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('address caches (codec hot path) give the same answers as the plain functions', () => {
  it('across evictions and collisions', () => {
    const addr = fc.array(arbU8, { minLength: 16, maxLength: 16 }).map((b) => Uint8Array.from(b));
    // Few distinct addresses, repeated, so hits, misses and slot collisions all happen.
    fc.assert(
      fc.property(fc.array(addr, { minLength: 1, maxLength: 8 }), fc.array(fc.nat({ max: 7 }), { maxLength: 200 }), (pool, picks) => {
        for (const k of picks) {
          const b = pool[k % pool.length]!;
          expect(formatIpv4Cached(b, 0)).toBe(formatIpv4(b, 0));
          expect(formatIpv6Cached(b, 0)).toBe(formatIpv6(b, 0));
          const out4 = new Uint8Array(4);
          expect(writeIpv4Cached(formatIpv4(b, 0), out4, 0)).toBe(true);
          expect(Array.from(out4)).toEqual(Array.from(b.subarray(0, 4)));
          const out6 = new Uint8Array(16);
          expect(writeIpv6Cached(formatIpv6(b, 0), out6, 0)).toBe(true);
          expect(Array.from(out6)).toEqual(Array.from(b));
        }
      }),
      { numRuns: 200 },
    );
    expect(writeIpv4Cached('300.1.1.1', new Uint8Array(4), 0)).toBe(false);
    expect(writeIpv6Cached('1::2::3', new Uint8Array(16), 0)).toBe(false);
  });
});
