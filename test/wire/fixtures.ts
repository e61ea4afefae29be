/**
 * Known-answer byte strings laid out like Linux 6.18 sends them (linux-reference.md §2), built
 * independently of our codec by a python3 one-off (struct.pack for the headers and an RFC 1071
 * checksum written inline: sum the 16-bit big-endian words of pseudo-header + segment, fold the
 * carries, complement) and pasted here as hex: test/wire/known-answers.py prints them. Shared by
 * the known-answer, codec, checksum and pcap tests.
 */

export const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** SYN 192.0.2.1:40000 → 192.0.2.2:8080, ISN 0x1a2b3c4d, id 0x5a3c, DF, TTL 64, window 64240, doff 10. */
export const SYN_V4 =
  '4500003c5a3c400040065c7cc0000201c00002029c401f901a2b3c4d00000000a002faf054b50000' +
  '020405b40402080a00bc614e000000000103030a';
/** SYN-ACK 192.0.2.2:8080 → 192.0.2.1:40000, ISN 0x9e3779b9, ack 0x1a2b3c4e, id 0, DF, window 65160. */
export const SYNACK_V4 =
  '4500003c000040004006b6b8c0000202c00002011f909c409e3779b91a2b3c4ea012fe8856d90000' +
  '020405b40402080a0001e24000bc614e0103030a';
/** RST|ACK 192.0.2.2:8080 → 192.0.2.1:40001 (no listener, HS-11): seq 0, ack ISN+1, window 0, no options. */
export const RSTACK_V4 = '45000028000040004006b6ccc0000202c00002011f909c41000000001a2b3c4e5014000019820000';
/** IPv6 SYN 2001:db8::1:40000 → 2001:db8::2:8080, flow label 0x12345, hop limit 64, mss 1440, window 64800. */
export const SYN_V6 =
  '600123450028064020010db800000000000000000000000120010db8000000000000000000000002' +
  '9c401f901a2b3c4d00000000a002fd207b280000020405a00402080a00bc614e000000000103030a';
