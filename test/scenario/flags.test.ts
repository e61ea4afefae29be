/** Flag strings in tcpdump's letters: parse, format, round-trip for every byte value. */
import { describe, expect, it } from 'vitest';
import { formatFlags, parseFlags } from '../../src/scenario/flags.js';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../../src/wire/types.js';

describe('flags strings', () => {
  it('parses the usual forms', () => {
    expect(parseFlags('S')).toEqual({ ok: true, flags: SYN });
    expect(parseFlags('S.')).toEqual({ ok: true, flags: SYN | ACK });
    expect(parseFlags('P.')).toEqual({ ok: true, flags: PSH | ACK });
    expect(parseFlags('F.')).toEqual({ ok: true, flags: FIN | ACK });
    expect(parseFlags('R.')).toEqual({ ok: true, flags: RST | ACK });
    expect(parseFlags('.')).toEqual({ ok: true, flags: ACK });
    expect(parseFlags('SEW')).toEqual({ ok: true, flags: SYN | ECE | CWR });
    expect(parseFlags('U.')).toEqual({ ok: true, flags: URG | ACK });
    expect(parseFlags('none')).toEqual({ ok: true, flags: 0 });
  });

  it('rejects unknown and repeated letters', () => {
    expect(parseFlags('s')).toEqual({ ok: false, message: 'flags "s": unknown letter "s" (use F S R P . U E W)' });
    expect(parseFlags('S.S')).toEqual({ ok: false, message: 'flags "S.S": letter "S" repeated' });
  });

  it('formats in tcpdump order and round-trips all 256 values', () => {
    expect(formatFlags(SYN | ACK)).toBe('S.');
    expect(formatFlags(FIN | PSH | ACK)).toBe('FP.');
    expect(formatFlags(0)).toBe('none');
    for (let f = 0; f < 256; f++) expect(parseFlags(formatFlags(f))).toEqual({ ok: true, flags: f });
  });
});
