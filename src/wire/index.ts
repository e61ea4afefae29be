/**
 * The wire layer: sequence arithmetic, segment types, the IPv4/IPv6 + TCP codec, checksums,
 * the deterministic payload pattern, and pcap files. Pure: no I/O, no clock.
 */
export * from './types.js';
