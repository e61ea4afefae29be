/**
 * TCP flags as text, in tcpdump's style: one letter per flag — F=FIN S=SYN R=RST P=PSH .=ACK U=URG
 * E=ECE W=CWR — so a SYN-ACK is "S.", a data segment "P.", a reset "R." and a bare ACK ".". Zero
 * flags read and write as "none" (tcpdump prints "[none]"). Scenario and trace files store flags in
 * this form; the in-memory `Segment.flags` is always the number (RFC 9293 §3.1 control bits).
 *
 * Parsing accepts the letters in any order and rejects repeats and unknown letters; formatting
 * writes them in tcpdump's order (F S R P . U E W), so "S." round-trips.
 */
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../wire/types.js';

/** Letters in tcpdump's print order with their bits. */
const LETTERS: readonly (readonly [string, number])[] = [
  ['F', FIN],
  ['S', SYN],
  ['R', RST],
  ['P', PSH],
  ['.', ACK],
  ['U', URG],
  ['E', ECE],
  ['W', CWR],
];

export type FlagsParse = { readonly ok: true; readonly flags: number } | { readonly ok: false; readonly message: string };

/** Parse a flags string such as "S." or "FP."; "none" is 0. */
export function parseFlags(text: string): FlagsParse {
  if (text === 'none') return { ok: true, flags: 0 };
  if (text === '') return { ok: false, message: 'flags string is empty (write "none" for no flags)' };
  let flags = 0;
  for (const ch of text) {
    const entry = LETTERS.find(([letter]) => letter === ch);
    if (entry === undefined) {
      return { ok: false, message: `flags "${text}": unknown letter "${ch}" (use F S R P . U E W)` };
    }
    if ((flags & entry[1]) !== 0) return { ok: false, message: `flags "${text}": letter "${ch}" repeated` };
    flags |= entry[1];
  }
  return { ok: true, flags };
}

/** Format a flags byte as letters in tcpdump's order; 0 is "none". Bits above 0xff are ignored. */
export function formatFlags(flags: number): string {
  let out = '';
  for (const [letter, bit] of LETTERS) if ((flags & bit) !== 0) out += letter;
  return out === '' ? 'none' : out;
}
