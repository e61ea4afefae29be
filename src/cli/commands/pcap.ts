/**
 * `tcpfuzz pcap <trace> -o out.pcap`: write a trace's segments (`in` and `out` events) as a pcap
 * file that tcpdump and Wireshark open. Sequence numbers go back to absolute values with the
 * header's `isn` table when it has one (see `src/trace/packets.ts`); times are the event times.
 * The file is written atomically.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { readTraceFile, writeFileAtomic } from '../../trace/io.js';
import { tracePackets } from '../../trace/packets.js';
import { encodePacket } from '../../wire/codec.js';
import { writePcap } from '../../wire/pcap.js';
import { corruptTcpChecksum } from '../../wire/checksum.js';

const usage = `usage: tcpfuzz pcap <trace> -o <out.pcap>
  Write the trace's segments as a pcap file (raw IP link type, microsecond times
  since the scenario start).
  -o, --output <file>   where to write the pcap (required)`;

export const pcapCommand: Command = {
  name: 'pcap',
  summary: "write a trace's segments as a pcap file",
  usage,
  run(argv: string[], ioArg?: CliIo): Promise<number> {
    const io = ioOrDefault(ioArg);
    const args = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: { output: { type: 'string', short: 'o' } },
    });
    if (!args.ok) return Promise.resolve(usageError(io, `pcap: ${args.message}`, usage));
    const files = args.value.positionals;
    if (files.length !== 1) return Promise.resolve(usageError(io, `pcap: expected one trace file, got ${files.length}`, usage));
    const output = args.value.values.output;
    if (output === undefined || output === '') return Promise.resolve(usageError(io, 'pcap: missing -o <out.pcap>', usage));
    const r = readTraceFile(files[0]!);
    if (!r.ok) {
      io.err(`${r.error.message}\n`);
      return Promise.resolve(EXIT_FAILURE);
    }
    const records = tracePackets(r.value).map((p) => ({ tUs: p.tUs, bytes: p.badChecksum === true ? corruptTcpChecksum(encodePacket(p.packet)) : encodePacket(p.packet) }));
    const w = writeFileAtomic(output, writePcap(records));
    if (!w.ok) {
      io.err(`${w.error.message}\n`);
      return Promise.resolve(EXIT_FAILURE);
    }
    io.out(`wrote ${records.length} packets to ${output}\n`);
    return Promise.resolve(EXIT_OK);
  },
};
