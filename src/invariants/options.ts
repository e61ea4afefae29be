/**
 * Option invariants (family OPT): SYN-only options (MSS, window scale, SACK-permitted) appear only
 * on SYNs; a SYN-ACK offers only what the SYN offered; after the handshake, timestamps appear on
 * every non-RST segment exactly when negotiated and SACK blocks only when SACK was negotiated; no
 * segment exceeds the effective MSS; the option block fits 40 bytes; SACK blocks describe data
 * really held; TSecr echoes TS.Recent. RFC 9293 §3.7.1, RFC 7323, RFC 2018, RFC 2883, RFC 6691.
 */
import { ACK, RST, SYN } from '../wire/types.js';
import { paddedOptionsLength } from '../wire/options.js';
import { seqLe, seqLt } from '../wire/seq.js';
import type { Conn } from '../model/types.js';
import type { StepInvariant } from './types.js';
import { eachSegment, flagStr, has, rel, synchronized, violation } from './util.js';

export const opt1: StepInvariant = {
  kind: 'step',
  id: 'OPT-1',
  title: 'MSS, window-scale and SACK-permitted options only on SYN segments',
  rfc: 'RFC 7323 §2.2; RFC 2018 §2; RFC 9293 §3.7.1',
  behaviours: ['HS-9', 'HD-3'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (has(o.seg.flags, SYN)) return null;
      for (const opt of o.seg.options) {
        if (opt.kind === 'mss' || opt.kind === 'wscale' || opt.kind === 'sackOk') {
          return violation(ctx, 'OPT-1', c?.id ?? null, `${opt.kind} option on a non-SYN segment [${flagStr(o.seg.flags)}]`);
        }
      }
      return null;
    });
  },
};

export const opt2: StepInvariant = {
  kind: 'step',
  id: 'OPT-2',
  title: 'A SYN-ACK carries window scale, SACK-permitted and timestamps only if the SYN offered them',
  rfc: 'RFC 7323 §2.2, §3.2; RFC 2018 §2; tcp_output.c:tcp_synack_options',
  behaviours: ['HS-9'],
  check(ctx) {
    const p = ctx.before.profile;
    return eachSegment(ctx, (o, c) => {
      if (c === null || !has(o.seg.flags, SYN) || !has(o.seg.flags, ACK)) return null;
      // Documented profile exception: a SYN-ACK from an active-open connection is a simultaneous
      // open (HS-10). Linux re-sends its own SYN with ACK added, options built from the sysctls as
      // for the SYN (tcp_input.c:tcp_rcv_synsent_state_process SYN branch → tcp_output.c:
      // tcp_send_synack → tcp_syn_options), whatever the peer's SYN offered (corpus trace
      // hs-simultaneous-open-none). Under `simultaneousOpenKeepsOwnOptions` it may therefore repeat
      // our SYN's offer, but never offer more than that.
      if (c.activeOpen && p.simultaneousOpenKeepsOwnOptions) {
        for (const opt of o.seg.options) {
          if ((opt.kind === 'wscale' && !p.offerWscale) || (opt.kind === 'sackOk' && !p.offerSack) || (opt.kind === 'ts' && !p.offerTimestamps)) {
            return violation(ctx, 'OPT-2', c.id, `simultaneous-open SYN-ACK carries ${opt.kind}, which our own SYN does not offer`);
          }
        }
        return null;
      }
      const po = c.peerOffered;
      for (const opt of o.seg.options) {
        if (opt.kind === 'wscale' && po.wscale === null) return violation(ctx, 'OPT-2', c.id, 'SYN-ACK carries window scale but the SYN did not offer it');
        if (opt.kind === 'sackOk' && !po.sack) return violation(ctx, 'OPT-2', c.id, 'SYN-ACK carries SACK-permitted but the SYN did not offer it');
        if (opt.kind === 'ts' && !po.ts) return violation(ctx, 'OPT-2', c.id, 'SYN-ACK carries timestamps but the SYN did not offer them');
      }
      return null;
    });
  },
};

export const opt3: StepInvariant = {
  kind: 'step',
  id: 'OPT-3',
  title: 'After the handshake: timestamps on every non-RST segment iff negotiated; SACK blocks only if negotiated',
  rfc: 'RFC 7323 §3.2 ("MUST be sent in every non-<RST> segment"); RFC 2018 §3',
  behaviours: ['HS-9', 'HD-4', 'DT-7'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || has(o.seg.flags, SYN) || !synchronized(c.state)) return null;
      let ts = false;
      for (const opt of o.seg.options) {
        if (opt.kind === 'ts') ts = true;
        if (opt.kind === 'sack' && !c.sackOk) return violation(ctx, 'OPT-3', c.id, `SACK blocks on [${flagStr(o.seg.flags)}] but SACK was not negotiated`);
      }
      if (ts && !c.tsOk) return violation(ctx, 'OPT-3', c.id, `timestamps on [${flagStr(o.seg.flags)}] but they were not negotiated`);
      if (!ts && c.tsOk && !has(o.seg.flags, RST)) return violation(ctx, 'OPT-3', c.id, `[${flagStr(o.seg.flags)}] at ${rel(o.seg.seq, c.iss, 'iss')} without timestamps, which were negotiated`);
      return null;
    });
  },
};

export const opt4: StepInvariant = {
  kind: 'step',
  id: 'OPT-4',
  title: 'No segment larger than the effective MSS: data + TCP options ≤ min(peer MSS, MTU − 40)',
  rfc: 'RFC 9293 §3.7.1 (Eff.snd.MSS); RFC 6691 §2',
  behaviours: ['HS-8', 'DT-9'],
  check(ctx) {
    const mtuMss = ctx.before.profile.mtu - 40;
    return eachSegment(ctx, (o, c) => {
      if (c === null || o.seg.len === 0 || has(o.seg.flags, SYN)) return null;
      const limit = Math.min(c.peerMss, mtuMss);
      const optLen = paddedOptionsLength(o.seg.options);
      if (o.seg.len + optLen > limit) {
        return violation(ctx, 'OPT-4', c.id, `segment of ${o.seg.len} data bytes + ${optLen} option bytes exceeds min(peer MSS ${c.peerMss}, MTU − 40 = ${mtuMss}) = ${limit}`);
      }
      return null;
    });
  },
};

export const opt5: StepInvariant = {
  kind: 'step',
  id: 'OPT-5',
  title: 'The option block fits 40 bytes; at most 4 SACK blocks (3 with timestamps); MSS option non-zero',
  rfc: 'RFC 9293 §3.1 (data offset); RFC 2018 §3; RFC 7323 §3.2',
  behaviours: ['HD-1', 'HD-3'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      const len = paddedOptionsLength(o.seg.options);
      if (len > 40) return violation(ctx, 'OPT-5', c?.id ?? null, `options take ${len} bytes on [${flagStr(o.seg.flags)}], more than 40`);
      let ts = false;
      for (const opt of o.seg.options) if (opt.kind === 'ts') ts = true;
      for (const opt of o.seg.options) {
        if (opt.kind === 'sack' && (opt.blocks.length === 0 || opt.blocks.length > (ts ? 3 : 4))) {
          return violation(ctx, 'OPT-5', c?.id ?? null, `SACK option with ${opt.blocks.length} blocks${ts ? ' beside timestamps' : ''}`);
        }
        if (opt.kind === 'mss' && !(opt.mss > 0 && opt.mss <= 0xffff)) return violation(ctx, 'OPT-5', c?.id ?? null, `MSS option value ${opt.mss}`);
      }
      return null;
    });
  },
};

function heldBlock(c: Conn, left: number, right: number): boolean {
  for (const r of c.ooo) if (seqLe(r.left, left) && seqLe(right, r.right)) return true;
  return false;
}

export const opt6: StepInvariant = {
  kind: 'step',
  id: 'OPT-6',
  title: 'SACK blocks describe data really held: out-of-order blocks above RCV.NXT, or a first D-SACK block',
  rfc: 'RFC 2018 §4; RFC 2883 §4',
  behaviours: ['DT-7', 'DT-8'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null) return null;
      for (const opt of o.seg.options) {
        if (opt.kind !== 'sack') continue;
        for (let i = 0; i < opt.blocks.length; i++) {
          const blk = opt.blocks[i]!;
          if (!seqLt(blk.left, blk.right)) return violation(ctx, 'OPT-6', c.id, `SACK block ${i} [${blk.left}, ${blk.right}) is empty or reversed`);
          if (heldBlock(c, blk.left, blk.right)) continue;
          // RFC 2883 §4: the first block may report a duplicate: below the ACK, or inside a later block.
          if (i === 0 && (seqLe(blk.right, o.seg.ack) || inLater(opt.blocks, blk.left, blk.right))) continue;
          return violation(ctx, 'OPT-6', c.id, `SACK block ${i} [${rel(blk.left, c.irs, 'irs')}, ${rel(blk.right, c.irs, 'irs')}) is not data held out of order (RCV.NXT ${rel(c.rcvNxt, c.irs, 'irs')}, ${c.ooo.length} blocks held)`);
        }
      }
      return null;
    });
  },
};

function inLater(blocks: readonly { readonly left: number; readonly right: number }[], left: number, right: number): boolean {
  for (let j = 1; j < blocks.length; j++) {
    const b = blocks[j]!;
    if (seqLe(b.left, left) && seqLe(right, b.right)) return true;
  }
  return false;
}

export const opt7: StepInvariant = {
  kind: 'step',
  id: 'OPT-7',
  title: 'TSecr echoes TS.Recent on every ACK-bearing segment',
  rfc: 'RFC 7323 §4.3',
  behaviours: ['HD-4'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || !has(o.seg.flags, ACK) || !(synchronized(c.state) || c.state === 'SYN-RECEIVED')) return null;
      for (const opt of o.seg.options) {
        if (opt.kind === 'ts' && opt.ecr !== c.tsRecent) {
          return violation(ctx, 'OPT-7', c.id, `[${flagStr(o.seg.flags)}] echoes TSecr ${opt.ecr}, TS.Recent is ${c.tsRecent}`);
        }
      }
      return null;
    });
  },
};

export const optionInvariants: readonly StepInvariant[] = [opt1, opt2, opt3, opt4, opt5, opt6, opt7];
