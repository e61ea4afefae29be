/**
 * The wire layer: sequence arithmetic, segment types, the IPv4/IPv6 + TCP codec, checksums,
 * the deterministic payload pattern, and pcap files. Pure: no I/O, no clock.
 */
export * from './types.js';
export * from './seq.js';
export * from './checksum.js';
export * from './addr.js';
export * from './options.js';
export * from './payload.js';
export * from './codec.js';
export * from './pcap.js';
