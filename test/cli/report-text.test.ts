/**
 * Ladder text (src/report/text.ts): segment lines, options in wire order, calls, events, notes,
 * states, and the time-precision rule (3 decimals when every time is a whole millisecond, else 6).
 */
import { describe, expect, it } from 'vitest';
import { formatEvent, formatOption, formatScenario, formatSegmentBody, timeFormatter } from '../../src/report/text.js';
import { eol, mss, nop, ok, rawOption, sack, sackOk, scenario, ts, unknownOption, wscale } from '../../src/scenario/builder.js';
import { ACK, FIN, PSH, SYN, URG } from '../../src/wire/types.js';

const seg = { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: SYN, window: 65535, urgent: 0, options: [], len: 0 };

describe('segment lines', () => {
  it('SYN-ACK with options (HS-9), ack only when ACK is set', () => {
    const opts = [mss(1460), sackOk(), ts(1, 5), nop(), wscale(10)];
    expect(formatSegmentBody({ ...seg, flags: SYN | ACK, ack: 1, window: 65160, options: opts })).toBe(
      'S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 1 ecr 5,nop,wscale 10>',
    );
    expect(formatSegmentBody({ ...seg, ack: 99 })).toBe('S 0:0(0) win 65535');
  });

  it('data ranges wrap mod 2^32 (DT-2); urgent shown with URG', () => {
    expect(formatSegmentBody({ ...seg, flags: PSH | ACK, seq: 4294967000, ack: 1, len: 1000 })).toBe('P. 4294967000:704(1000) ack 1 win 65535');
    expect(formatSegmentBody({ ...seg, flags: URG | ACK | FIN, urgent: 3 })).toBe('F.U 0:0(0) ack 0 win 65535 urg 3');
  });

  it('every option kind', () => {
    expect([sack([1, 2], [3, 4]), eol(), unknownOption(30, [1, 0xab]), rawOption([2, 9])].map(formatOption)).toEqual([
      'sack 1:2 3:4',
      'eol',
      'opt-30[01ab]',
      'raw[0209]',
    ]);
  });
});

describe('other lines', () => {
  const t = '0.120';
  it('calls, events, notes, states', () => {
    expect(formatEvent({ type: 'call', t: 0, step: 0, call: { op: 'connect', fd: 3, port: 8080 }, result: { ok: false, errno: 'EINPROGRESS' } }, '0.000')).toBe(
      '0.000 connect(3, port 8080) = -1 EINPROGRESS',
    );
    expect(formatEvent({ type: 'call', t: 0, step: 0, call: { op: 'socket', fd: 3 }, result: { ok: true, value: 3 } }, '0.000')).toBe('0.000 socket(3) = 3');
    expect(formatEvent({ type: 'call', t: 0, step: 0, call: { op: 'setsockopt', fd: 3, opt: 'TCP_NODELAY', value: 1 }, result: { ok: true, value: 0 } }, t)).toBe(
      '0.120 setsockopt(3, TCP_NODELAY, 1) = 0',
    );
    expect(formatEvent({ type: 'event', t: 0, fd: 3, event: 'connected' }, t)).toBe('0.120 event fd 3 connected');
    expect(formatEvent({ type: 'event', t: 0, fd: 3, event: 'error', errno: 'ECONNREFUSED' }, t)).toBe('0.120 event fd 3 error ECONNREFUSED');
    expect(formatEvent({ type: 'note', t: 0, fd: 4, rule: 'rst-in-window', text: 'RST accepted' }, t)).toBe('0.120 note fd 4: rst-in-window: RST accepted');
    expect(formatEvent({ type: 'state', t: 0, fd: 3, state: 'SYN-SENT' }, '0.200')).toBe('0.200 state fd 3 SYN-SENT');
  });

  it('time precision: 3 decimals for whole milliseconds, 6 otherwise', () => {
    expect(timeFormatter([0, 100_000, 1_500_000])(100_000)).toBe('0.100');
    const six = timeFormatter([0, 100_037]);
    expect(six(0)).toBe('0.000000');
    expect(six(100_037)).toBe('0.100037');
  });

  it('formatScenario: header block, ladder, unusual ports and notes', () => {
    const s = scenario('two clients', { behaviours: ['LQ-1'], local: { port: 80 } })
      .inject('S', { seq: 0 })
      .at('+0.001')
      .inject('S', { seq: 0, srcPort: 40001, note: 'second client' })
      .call({ op: 'accept', fd: 3 }, ok(4))
      .build();
    expect(formatScenario(s)).toEqual([
      '# scenario: two clients',
      '# behaviours: LQ-1',
      '# profile: linux  local 192.0.2.1  remote 192.0.2.2  peer ISN 0',
      '0.000 < S 0:0(0) win 65535',
      '0.001 < S 0:0(0) win 65535 (ports 40001 > 80)  // second client',
      '0.001 accept(3) = 4',
    ]);
  });
});
