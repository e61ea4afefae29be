/**
 * Decoder totality at scale: N hostile inputs (default 1,000,000) from the same generator as
 * test/wire/totality.test.ts (random bytes; valid packets truncated, bit-flipped, with bad IHL,
 * total-length lies, bad data offsets, broken option lengths, wrong versions/protocols, fragments).
 * Every result must be one of the two DecodeResult shapes; any exception is reported with the input
 * as hex and exits 1. Prints counts by result code and by mutation, and the time taken.
 *
 *   npx tsx bench/decode-totality.ts [N] [seed]
 */
import { decodePacket } from '../src/wire/index.js';
import type { DecodeErrorCode } from '../src/wire/index.js';
import { MUTATIONS, mutate, prng, seedPackets } from '../test/wire/mutate.js';

const CODES: ReadonlySet<DecodeErrorCode> = new Set<DecodeErrorCode>([
  'truncated',
  'bad-version',
  'bad-ihl',
  'bad-total-length',
  'not-tcp',
  'fragment',
  'bad-data-offset',
]);

function main(): number {
  const n = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(seed)) {
    console.error('usage: npx tsx bench/decode-totality.ts [N > 0] [integer seed]');
    return 2;
  }
  const seeds = seedPackets();
  const rnd = prng(seed);
  const byCode = new Map<string, number>();
  const byMutation = new Map<string, Map<string, number>>();
  let decodeNs = 0n;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const kind = MUTATIONS[i % MUTATIONS.length]!;
    const input = mutate(seeds, rnd, kind);
    let key: string;
    const d0 = process.hrtime.bigint();
    try {
      const r = decodePacket(input);
      if (r.ok === true) {
        if (r.packet.payload?.length !== r.packet.tcp.len) throw new Error('payload length differs from tcp.len');
        key = r.packet.checksumOk ? 'ok' : 'ok (bad checksum)';
      } else if (r.ok === false && CODES.has(r.error.code) && typeof r.error.offset === 'number') {
        key = r.error.code;
      } else {
        throw new Error(`result of unexpected shape: ${JSON.stringify(r)}`);
      }
    } catch (err) {
      console.error(`FAIL input #${i} (${kind}, seed ${seed}): ${Buffer.from(input).toString('hex')}\n  ${String(err)}`);
      return 1;
    }
    decodeNs += process.hrtime.bigint() - d0;
    byCode.set(key, (byCode.get(key) ?? 0) + 1);
    const m = byMutation.get(kind) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    byMutation.set(kind, m);
  }
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`decode totality: ${n.toLocaleString('en')} inputs, seed ${seed}, no exceptions, every result well-shaped`);
  console.log('by result:');
  for (const [k, v] of [...byCode].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(20)} ${String(v).padStart(9)}`);
  console.log('by mutation:');
  for (const [kind, m] of byMutation) {
    const parts = [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`  ${kind.padEnd(14)} ${parts.join(', ')}`);
  }
  console.log(`time: ${totalMs.toFixed(0)} ms total (generation + decode), decode alone ${(Number(decodeNs) / 1e6).toFixed(0)} ms (timer overhead included)`);
  return 0;
}

process.exitCode = main();
