/**
 * The parts of the linux recorder that need no root: sysctl naming and merging, namespace-name
 * parsing, TCP_INFO parsing, payload stream offsets and trace file names. Runs everywhere.
 */
import { describe, expect, it } from 'vitest';
import { traceFileStem } from '../../src/cli/commands/record.js';
import { errnoName, parseTcpInfo, toScenarioErrno } from '../../src/stacks/linux/tcpinfo.js';
import { ownerPid } from '../../src/stacks/linux/netns.js';
import { streamOffset } from '../../src/stacks/linux/runner.js';
import { effectiveSysctls, fullSysctlName, normaliseValue, sysctlKey } from '../../src/stacks/linux/sysctl.js';
import { ACK, SYN } from '../../src/wire/types.js';

describe('linux recorder: pure helpers', () => {
  it('names sysctls: tcp_* under net.ipv4, somaxconn and buffers under net.core, dotted names as given', () => {
    expect(fullSysctlName('tcp_sack')).toBe('net.ipv4.tcp_sack');
    expect(fullSysctlName('somaxconn')).toBe('net.core.somaxconn');
    expect(fullSysctlName('rmem_max')).toBe('net.core.rmem_max');
    expect(fullSysctlName('net.ipv4.tcp_ecn')).toBe('net.ipv4.tcp_ecn');
  });

  it('merges recorder defaults < stack overrides < scenario sysctls; congestion is not a sysctl', () => {
    const s = effectiveSysctls({ tcp_sack: 0, tcp_ecn: 1 }, { tcp_sack: 1, tcp_rmem: '4096\t87380  6291456', congestion: 'cubic' });
    expect(s['net.ipv4.tcp_no_metrics_save']).toBe('1');
    expect(s['net.ipv4.tcp_autocorking']).toBe('0');
    expect(s['net.ipv4.tcp_sack']).toBe('1');
    expect(s['net.ipv4.tcp_ecn']).toBe('1');
    expect(s['net.ipv4.tcp_rmem']).toBe('4096 87380 6291456');
    expect(Object.keys(s).some((k) => k.includes('congestion') && k !== 'net.ipv4.tcp_congestion_control')).toBe(false);
    expect(sysctlKey(s)).toBe(sysctlKey({ ...s }));
    expect(sysctlKey(s)).not.toBe(sysctlKey(effectiveSysctls(undefined, undefined)));
    expect(normaliseValue(' 1\t2 ')).toBe('1 2');
  });

  it('reads the owner pid from tcpfuzz-<pid>-<random> names only', () => {
    expect(ownerPid('tcpfuzz-1234-a1b2c3d4')).toBe(1234);
    expect(ownerPid('tcpfuzz-smoke-1')).toBeNull();
    expect(ownerPid('other-1234-aa')).toBeNull();
  });

  it('parses struct tcp_info at the 6.18 offsets; fields past the returned length read 0', () => {
    const b = Buffer.alloc(280);
    b[0] = 1;
    b[6] = 0xa7; // rcv_wscale 10, snd_wscale 7
    b.writeUInt32LE(204000, 8);
    b.writeUInt32LE(1448, 16);
    b.writeUInt32LE(10, 80);
    b.writeUInt32LE(63 << 10, 232);
    const i = parseTcpInfo(b, 280);
    expect([i.state, i.snd_wscale, i.rcv_wscale, i.rto, i.snd_mss, i.snd_cwnd, i.rcv_wnd]).toEqual([1, 7, 10, 204000, 1448, 10, 64512]);
    expect(parseTcpInfo(b, 104).rcv_wnd).toBe(0);
  });

  it('maps errno numbers to the scenario names, and others to null', () => {
    expect(toScenarioErrno(104)).toBe('ECONNRESET');
    expect(toScenarioErrno(111)).toBe('ECONNREFUSED');
    expect(toScenarioErrno(115)).toBe('EINPROGRESS');
    expect(toScenarioErrno(13)).toBeNull();
    expect(errnoName(13)).toBe('EACCES');
    expect(errnoName(999)).toBe('E999');
  });

  it('stream offsets: data after the SYN starts at 0, a SYN carrying data at 0 too, across wraparound', () => {
    expect(streamOffset(1000, 1001, ACK)).toBe(0);
    expect(streamOffset(1000, 2001, ACK)).toBe(1000);
    expect(streamOffset(1000, 1000, SYN)).toBe(0);
    expect(streamOffset(0xffff_fff0, 0x0000_0010, ACK)).toBe(0x1f);
  });

  it('trace file names keep letters, digits, dot, dash and underscore', () => {
    expect(traceFileStem('passive open/HS-1')).toBe('passive_open_HS-1');
    expect(traceFileStem('..')).toBe('_');
    expect(traceFileStem('')).toBe('scenario');
  });
});
