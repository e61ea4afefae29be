/**
 * Decoder totality (h11's law): any byte array either decodes or gives a typed decode error, never
 * an exception and never another shape. 120,000 hostile inputs: random bytes and valid packets
 * truncated at every length, with flipped bytes, bad IHL, total-length lies, bad data offsets,
 * broken option lengths, wrong versions, protocols and fragments (see ./mutate.ts). Plus every
 * truncation of each seed packet. bench/decode-totality.ts runs the same generator at scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket } from '../../src/wire/index.js';
import type { DecodeErrorCode, DecodeResult } from '../../src/wire/index.js';
import { MUTATIONS, mutate, prng, seedPackets } from './mutate.js';

const CODES: ReadonlySet<DecodeErrorCode> = new Set<DecodeErrorCode>([
  'truncated',
  'bad-version',
  'bad-ihl',
  'bad-total-length',
  'not-tcp',
  'fragment',
  'bad-data-offset',
]);

/** Throws unless `r` is exactly one of the two result shapes, well-typed. */
function checkShape(r: DecodeResult, input: Uint8Array): void {
  if (r.ok) {
    const p = r.packet;
    if (p.ip.version !== 4 && p.ip.version !== 6) throw new Error('bad ip version in packet');
    if (p.payload === undefined || p.payload.length !== p.tcp.len) throw new Error('payload/len mismatch');
    if (typeof p.checksumOk !== 'boolean' || typeof p.ipChecksumOk !== 'boolean') throw new Error('checksum flags missing');
    if (!Array.isArray(p.tcp.options)) throw new Error('options not an array');
    // Whatever decodes re-encodes to the bytes it came from (up to the stated length).
    const again = encodePacket(p);
    if (again.length > input.length) throw new Error('re-encode longer than input');
    for (let i = 0; i < again.length; i++) if (again[i] !== input[i]) throw new Error(`re-encode differs at byte ${i}`);
  } else {
    const e = r.error;
    if (!CODES.has(e.code)) throw new Error(`unknown error code ${String(e.code)}`);
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > input.length) throw new Error(`bad offset ${e.offset}`);
    if (typeof e.message !== 'string' || e.message.length === 0) throw new Error('empty message');
  }
}

describe('decodePacket is total', () => {
  it('120,000 mutated and random inputs: always one of the two result shapes, never a throw', () => {
    const seeds = seedPackets();
    const rnd = prng(0x7c9f_0001);
    const counts = new Map<string, number>();
    const N = 120_000;
    for (let i = 0; i < N; i++) {
      const kind = MUTATIONS[i % MUTATIONS.length]!;
      const input = mutate(seeds, rnd, kind);
      let r: DecodeResult;
      try {
        r = decodePacket(input);
        checkShape(r, input);
      } catch (err) {
        throw new Error(`input #${i} (${kind}) ${Buffer.from(input).toString('hex')}: ${String(err)}`);
      }
      const key = r.ok ? 'ok' : r.error.code;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Every outcome is reached, so the generator really exercises each path.
    expect([...counts.keys()].sort()).toEqual(['ok', ...CODES].sort());
  });

  it('every truncation of every seed packet', () => {
    for (const seed of seedPackets()) {
      for (let n = 0; n <= seed.length; n++) {
        const input = seed.subarray(0, n);
        const r = decodePacket(input);
        checkShape(r, input);
        // Cut anywhere short of the end, the IP length check fires; complete packets decode.
        expect(r.ok).toBe(n === seed.length);
      }
    }
  });

  it('fast-check: arbitrary byte arrays (including IP-looking ones)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 100 }),
      fc.tuple(fc.constantFrom(0x45, 0x46, 0x4f, 0x60, 0x41), fc.uint8Array({ minLength: 19, maxLength: 120 })).map(([b0, rest]) => Uint8Array.of(b0, ...rest)),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        checkShape(decodePacket(input), input);
      }),
      { numRuns: 5000 },
    );
  });
});
