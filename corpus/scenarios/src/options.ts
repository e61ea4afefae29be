/**
 * Header and options family: unusual SYN option layouts (other orders, EOL padding, unknown kinds,
 * a duplicated MSS, odd MSS values, a full 40 bytes of options), timestamps after the handshake
 * (PAWS dropping an old TSval, a segment without TS, ecr 0), SACK blocks that are not negotiated or
 * make no sense, the URG flag, and ECN negotiation flags. Behaviours HD-1…HD-4, HS-8, HS-9
 * (RFC 9293 §3.1–3.2, RFC 7323 §5, RFC 2018, RFC 3168; kernel tcp_input.c:tcp_parse_options,
 * tcp_paws_discard).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import type { TcpOption } from '../../../src/wire/types.js';
import { eol, mss, nop, sack, sackOk, ts, unknownOption, wscale } from '../../../src/scenario/builder.js';
import { Peer, listen, ok, passiveOpen } from './kit.js';

/** A passive open with a hand-made SYN option list; the third ACK and a data exchange follow. */
function synLayout(name: string, description: string, behaviours: string[], opts: (p: Peer) => TcpOption[], peer: ConstructorParameters<typeof Peer>[2] = {}): Scenario {
  const p = new Peer(name, { behaviours, description }, peer);
  listen(p);
  p.at(0.01);
  p.t0Us = p.tUs;
  p.inject('S', 0, 0, { rawOpts: opts(p) });
  p.at(0.02);
  p.echoFirst = true;
  p.ack(1, 1);
  p.call({ op: 'accept', fd: 3 }, ok(4));
  p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
  p.at('+0.02').ack(1, 3001);
  return p.wait('+0.2').build();
}

function synLayouts(): Scenario[] {
  const v = 1010;
  return [
    synLayout('hd-syn-options-reordered', 'SYN options in an unusual order (wscale, TS, MSS, SACK-permitted): all are recognised regardless of order.', ['HD-3', 'HS-9'],
      () => [nop(), wscale(7), ts(v, 0), mss(1460), sackOk(), nop(), nop()]),
    synLayout('hd-syn-options-eol-padding', 'SYN options ending with EOL and padding: parsing stops at EOL and the options before it count.', ['HD-3', 'HD-1'],
      () => [mss(1200), nop(), wscale(7), eol(), { kind: 'raw', data: [0, 0, 0] }], { opts: 'nots', mss: 1200 }),
    synLayout('hd-syn-unknown-option', 'A SYN carrying an unknown option kind 99 among the usual ones: the unknown option is skipped.', ['HD-3', 'HD-1'],
      () => [mss(1460), unknownOption(99, [1, 2]), sackOk(), ts(v, 0), nop(), wscale(7)]),
    synLayout('hd-syn-duplicate-mss', 'A SYN with two MSS options (1000, then 500): the SUT uses one of them consistently.', ['HD-3', 'HS-8'],
      () => [mss(1000), mss(500)], { opts: 'none', mss: 500 }),
    synLayout('hd-syn-mss-tiny', 'A SYN announcing MSS 40: the SUT clamps its send MSS to its minimum (tcp_min_snd_mss).', ['HS-8', 'HD-3'],
      () => [mss(40)], { opts: 'none', mss: 40 }),
    synLayout('hd-syn-mss-zero', 'A SYN announcing MSS 0: treated as no usable MSS option.', ['HS-8', 'HD-3'],
      () => [mss(0)], { opts: 'none', mss: null }),
    synLayout('hd-syn-mss-65535', 'A SYN announcing MSS 65535: the SUT still sends segments no larger than its own MTU − 40.', ['HS-8', 'HD-3'],
      () => [mss(65535)], { opts: 'none', mss: 65535 }),
    synLayout('hd-syn-40-bytes-options', 'A SYN with the maximum 40 bytes of options (the usual ones plus NOP filling): accepted as usual.', ['HD-1', 'HD-3'],
      () => [mss(1460), sackOk(), ts(v, 0), nop(), wscale(7), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop()]),
    synLayout('hd-syn-wscale-without-ts', 'A SYN with MSS and window scale only: the SYN-ACK mirrors exactly those, laid out with NOPs.', ['HD-3', 'HS-9'],
      () => [mss(1460), nop(), wscale(5)], { opts: 'nots', ws: 5 }),
    synLayout('hd-syn-ts-only', 'A SYN with MSS and timestamps only: timestamps are used, SACK and scaling are not.', ['HD-3', 'HD-4', 'HS-9'],
      (p) => [mss(1460), nop(), nop(), ts(p.tsVal(), 0)], { opts: 'nosack' }),
    synLayout('hd-syn-sackok-only', 'A SYN with MSS and SACK-permitted only.', ['HD-3', 'HS-9'],
      () => [mss(1460), nop(), nop(), sackOk()], { opts: 'nows' }),
  ];
}

function timestamps(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('hd-paws-old-tsval-dropped', {
      behaviours: ['HD-4', 'DT-3'],
      description: 'PAWS: a data segment whose TSval is older than the last one accepted is dropped and answered with a duplicate ACK.',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1);
    p.at('+0.01').data(101, 100, 1, { tsVal: 5 });
    p.at('+0.01').data(101, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(200));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-paws-old-tsval-rst', {
      behaviours: ['HD-4', 'RS-2'],
      description: 'An RST with an old TSval at exactly RCV.NXT: RSTs are exempt from PAWS (the connection is reset).',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1);
    p.at('+0.01').inject('R', 101, 0, { tsVal: 5 });
    p.at('+0.05').call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('hd-ts-missing-on-data', {
      behaviours: ['HD-4'],
      description: 'Timestamps were negotiated but a data segment arrives without the option: how the SUT treats it (RFC 7323 §3.2 allows dropping it).',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1, { noTs: true });
    p.at('+0.01').data(1, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-ts-ecr-zero', {
      behaviours: ['HD-4', 'DT-5'],
      description: 'The peer echoes TSecr 0 on its ACKs: the SUT takes no RTT sample from the echo and keeps working.',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
    p.at('+0.02').ack(1, 3001, { ecr: 0 });
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hd-ts-on-unnegotiated', {
      behaviours: ['HD-4', 'HS-9'],
      description: 'Timestamps were not negotiated but the peer\'s data carries them: the option is ignored and the SUT sends none.',
    }, { opts: 'nots' });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1, { opts: [nop(), nop(), ts(5000, 1)] });
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-ts-val-jumps-forward', {
      behaviours: ['HD-4'],
      description: 'The peer\'s TSval jumps forward by 2^30: still newer under PAWS, accepted, and echoed back.',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1, { tsVal: 1000 + 2 ** 30 });
    p.at('+0.01').data(101, 100, 1, { tsVal: 1001 + 2 ** 30 });
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(200));
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function sackOddities(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('hd-sack-not-negotiated', {
      behaviours: ['DT-7', 'HS-9'],
      description: 'SACK blocks on ACKs of a connection that did not negotiate SACK are ignored.',
    }, { opts: 'nosack' });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 4 * mss }, ok(4 * mss));
    p.at('+0.02').ack(1, 1, { opts: [nop(), nop(), sack([1 + mss, 1 + 4 * mss])] });
    p.at('+0.02').ack(1, 1 + 4 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-sack-invalid-blocks', {
      behaviours: ['DT-7', 'HD-3'],
      description: 'SACK blocks beyond SND.NXT and with left > right are ignored; the cumulative ACK still works.',
    });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 3 * mss }, ok(3 * mss));
    p.at('+0.02').ack(1, 1, { opts: [nop(), nop(), sack([100000, 200000], [3000, 2000])] });
    p.at('+0.02').ack(1, 1 + 3 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-sack-four-blocks-no-ts', {
      behaviours: ['DT-7', 'HD-3'],
      description: 'Without timestamps the SUT reports up to 4 SACK blocks for 4 separate out-of-order ranges.',
    }, { opts: 'nots' });
    passiveOpen(p);
    for (const i of [1, 3, 5, 7, 9]) p.at('+0.003').data(1 + i * 500, 500, 1);
    p.at('+0.01').data(1, 500, 1);
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function flags(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('hd-urgent-data', {
      behaviours: ['HD-1'],
      description: 'A data segment with URG and an urgent pointer: the segment is ACKed normally (the urgent byte handling is the application\'s business).',
    });
    passiveOpen(p);
    p.at('+0.01').inject('P.U', 1, 1, { len: 100, urg: 50 });
    p.call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hd-syn-ece-cwr-ecn-passive', {
      behaviours: ['HD-1', 'HS-9'],
      description: 'A SYN with ECE|CWR (ECN setup) to a listener with tcp_ecn=2: the SYN-ACK carries ECE (ECN accepted) or not, per the sysctl.',
    });
    listen(p);
    p.at(0.01);
    p.t0Us = p.tUs;
    p.inject('SEW', 0, 0, { rawOpts: p.synOpts() });
    p.at(0.02);
    p.echoFirst = true;
    p.ack(1, 1);
    p.call({ op: 'accept', fd: 3 }, ok(4));
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('hd-ack-flag-on-every-segment', {
      behaviours: ['HD-2', 'HD-1'],
      description: 'After the SYN every SUT segment has ACK set: data, FIN and pure ACKs of an exchange.',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
    p.call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
    p.call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.02').fin(101, 102);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hd-data-without-ack-flag', {
      behaviours: ['HD-2', 'RS-1'],
      description: 'A data segment without the ACK flag on an established connection is dropped (RFC 9293: segments without ACK are discarded).',
    });
    passiveOpen(p);
    p.at('+0.01').inject('P', 1, 0, { len: 100 });
    p.at('+0.05').data(1, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.3').build());
  }
  return out;
}

export function optionsScenarios(): Scenario[] {
  return [...synLayouts(), ...timestamps(), ...sackOddities(), ...flags()];
}
