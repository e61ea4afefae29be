/**
 * The RFC 9293 connection state diagram as data: every allowed edge (from, to, cause kind), each
 * citing where it comes from — RFC 9293 §3.3.2 Figure 5 for the diagram's own edges, the event
 * processing text (§3.10) for edges the figure leaves out, and the `linux` profile's documented
 * extras (linux-reference.md) — plus an FSM coverage counter fed by the model's `transition`
 * outputs: which edges a run exercised, which it never touched, and any transition the table does
 * not allow (an FSM invariant violation or a missing table entry).
 *
 * Cause kinds are coarse on purpose: the model's `cause` strings ("rcv SYN", "call close",
 * "timer TIME-WAIT") are classified by `classifyCause`.
 */
import type { Output, TcpStateName } from '../model/api.js';
import { TCP_STATE_NAMES } from '../trace/types.js';

export type CauseKind =
  | 'open-passive' // listen()
  | 'open-active' // connect()
  | 'send' // SEND in LISTEN (RFC only)
  | 'close' // close() / shutdown(SHUT_WR)
  | 'abort' // ABORT, SO_LINGER {1, 0}, close with unread data
  | 'rcv-syn'
  | 'rcv-syn-ack'
  | 'rcv-ack'
  | 'rcv-fin'
  | 'rcv-rst'
  | 'timeout'; // 2MSL, retransmission give-up, user timeout, FIN-WAIT-2 timeout, keepalive

export const CAUSE_KINDS: readonly CauseKind[] = [
  'open-passive',
  'open-active',
  'send',
  'close',
  'abort',
  'rcv-syn',
  'rcv-syn-ack',
  'rcv-ack',
  'rcv-fin',
  'rcv-rst',
  'timeout',
];

export const STATES: readonly TcpStateName[] = TCP_STATE_NAMES;

export interface FsmEdge {
  /** Stable id "FROM>TO:kind". */
  readonly id: string;
  readonly from: TcpStateName;
  readonly to: TcpStateName;
  readonly cause: CauseKind;
  /** True for the edges drawn in RFC 9293 Figure 5. */
  readonly figure5: boolean;
  /** Where the edge comes from. */
  readonly source: string;
}

function edge(from: TcpStateName, to: TcpStateName, cause: CauseKind, figure5: boolean, source: string): FsmEdge {
  return { id: `${from}>${to}:${cause}`, from, to, cause, figure5, source };
}

const FIG5 = 'RFC 9293 §3.3.2 Figure 5';

/** The edges drawn in RFC 9293 §3.3.2 Figure 5. */
export const FIGURE5_EDGES: readonly FsmEdge[] = [
  edge('CLOSED', 'LISTEN', 'open-passive', true, `${FIG5}: passive OPEN, create TCB`),
  edge('CLOSED', 'SYN-SENT', 'open-active', true, `${FIG5}: active OPEN, create TCB, snd SYN`),
  edge('LISTEN', 'CLOSED', 'close', true, `${FIG5}: CLOSE, delete TCB`),
  edge('LISTEN', 'SYN-RECEIVED', 'rcv-syn', true, `${FIG5}: rcv SYN, snd SYN,ACK`),
  edge('LISTEN', 'SYN-SENT', 'send', true, `${FIG5}: SEND, snd SYN`),
  edge('SYN-SENT', 'CLOSED', 'close', true, `${FIG5}: CLOSE, delete TCB`),
  edge('SYN-SENT', 'SYN-RECEIVED', 'rcv-syn', true, `${FIG5}: rcv SYN, snd ACK (simultaneous open, HS-10)`),
  edge('SYN-SENT', 'ESTABLISHED', 'rcv-syn-ack', true, `${FIG5}: rcv SYN,ACK, snd ACK (HS-1)`),
  edge('SYN-RECEIVED', 'ESTABLISHED', 'rcv-ack', true, `${FIG5}: rcv ACK of SYN (HS-1)`),
  edge('SYN-RECEIVED', 'FIN-WAIT-1', 'close', true, `${FIG5}: CLOSE, snd FIN`),
  edge('SYN-RECEIVED', 'LISTEN', 'rcv-rst', true, `${FIG5}: rcv RST (note 1: connection came from a passive OPEN)`),
  edge('ESTABLISHED', 'FIN-WAIT-1', 'close', true, `${FIG5}: CLOSE, snd FIN (CT-1)`),
  edge('ESTABLISHED', 'CLOSE-WAIT', 'rcv-fin', true, `${FIG5}: rcv FIN, snd ACK (CT-1)`),
  edge('FIN-WAIT-1', 'FIN-WAIT-2', 'rcv-ack', true, `${FIG5}: rcv ACK of FIN (CT-1)`),
  edge('FIN-WAIT-1', 'CLOSING', 'rcv-fin', true, `${FIG5}: rcv FIN, snd ACK (simultaneous close, CT-4)`),
  edge('FIN-WAIT-2', 'TIME-WAIT', 'rcv-fin', true, `${FIG5}: rcv FIN, snd ACK (CT-1)`),
  edge('CLOSING', 'TIME-WAIT', 'rcv-ack', true, `${FIG5}: rcv ACK of FIN (CT-4)`),
  edge('CLOSE-WAIT', 'LAST-ACK', 'close', true, `${FIG5}: CLOSE, snd FIN (CT-1)`),
  edge('LAST-ACK', 'CLOSED', 'rcv-ack', true, `${FIG5}: rcv ACK of FIN, delete TCB (CT-1)`),
  edge('TIME-WAIT', 'CLOSED', 'timeout', true, `${FIG5}: Timeout = 2MSL, delete TCB (CT-2)`),
];

const SYNCHRONIZED: readonly TcpStateName[] = ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];

/** Edges from the RFC text and the profiles that Figure 5 does not draw. */
export const EXTRA_EDGES: readonly FsmEdge[] = [
  edge('FIN-WAIT-1', 'TIME-WAIT', 'rcv-fin', false, 'RFC 9293 §3.10.7.4 eighth check (FIN bit): FIN-WAIT-1 with our FIN acked (FIN+ACK) enters TIME-WAIT (CT-3)'),
  edge('SYN-RECEIVED', 'CLOSE-WAIT', 'rcv-fin', false, 'RFC 9293 §3.10.7.4 eighth check: a FIN in SYN-RECEIVED enters CLOSE-WAIT (ACK and FIN in one segment)'),
  edge('SYN-RECEIVED', 'CLOSED', 'rcv-rst', false, 'RFC 9293 §3.10.7.4 second check: RST in SYN-RECEIVED from an active OPEN → connection refused; Linux frees the request sock (tcp_minisocks.c:tcp_check_req)'),
  edge('SYN-SENT', 'CLOSED', 'rcv-rst', false, 'RFC 9293 §3.10.7.3: RST with an acceptable ACK in SYN-SENT → connection reset, CLOSED (RS-4, HS-11)'),
  edge('SYN-SENT', 'CLOSED', 'abort', false, 'RFC 9293 §3.10.5 ABORT in SYN-SENT'),
  edge('SYN-SENT', 'CLOSED', 'timeout', false, 'RFC 9293 §3.10.8 / §3.8.3 R2 for SYN: SYN retransmissions exhausted → ETIMEDOUT (HS-5, HS-12)'),
  edge('SYN-RECEIVED', 'CLOSED', 'timeout', false, 'RFC 9293 §3.10.8; Linux inet_connection_sock.c:reqsk_timer_handler drops the request after tcp_synack_retries (HS-6, LQ-7)'),
  edge('SYN-RECEIVED', 'CLOSED', 'abort', false, 'RFC 9293 §3.10.5 ABORT in SYN-RECEIVED (and Linux: listener closed with requests pending)'),
  edge('SYN-RECEIVED', 'CLOSED', 'close', false, 'Linux: closing a listener frees its not-yet-accepted children (inet_connection_sock.c:inet_csk_listen_stop)'),
  edge('LISTEN', 'CLOSED', 'abort', false, 'RFC 9293 §3.10.5 ABORT in LISTEN'),
  edge('TIME-WAIT', 'SYN-RECEIVED', 'rcv-syn', false, 'RFC 9293 §3.10.7.4 / RFC 1122 §4.2.2.13; Linux tcp_minisocks.c:tcp_timewait_state_process: a new SYN above the old RCV.NXT reopens the 4-tuple (CT-12)'),
  edge('SYN-RECEIVED', 'CLOSED', 'rcv-syn', false, 'RFC 9293 §3.10.7.4 fourth check without the RFC 5961 §4 mitigation: an in-window SYN resets the connection'),
  edge('TIME-WAIT', 'CLOSED', 'rcv-syn', false, 'RFC 1122 §4.2.2.13; Linux tcp_minisocks.c:tcp_timewait_state_process: an acceptable new SYN ends TIME-WAIT and starts a new connection (CT-12)'),
  ...SYNCHRONIZED.filter((s) => s !== 'TIME-WAIT').map((s) =>
    edge(s, 'CLOSED', 'rcv-syn', false, `RFC 9293 §3.10.7.4 fourth check without the RFC 5961 §4 mitigation: an in-window SYN in ${s} resets the connection`),
  ),
  edge('FIN-WAIT-2', 'CLOSED', 'timeout', false, 'Linux tcp.h:tcp_fin_time / tcp_fin_timeout: orphaned FIN-WAIT-2 expires (CT-6); RFC 9293 §3.10.8 user timeout'),
  ...SYNCHRONIZED.map((s) => edge(s, 'CLOSED', 'rcv-rst', false, `RFC 9293 §3.10.7.4 second check: acceptable RST in ${s} → CLOSED (RS-2, RS-3)`)),
  ...SYNCHRONIZED.filter((s) => s !== 'TIME-WAIT').map((s) =>
    edge(s, 'CLOSED', 'abort', false, `RFC 9293 §3.10.5 ABORT in ${s}: send RST, delete TCB (CT-9; RFC 2525 §2.17 close with unread data, CT-8; RFC 1122 §4.2.2.13 data after close, CT-7)`),
  ),
  ...SYNCHRONIZED.filter((s) => s !== 'TIME-WAIT' && s !== 'FIN-WAIT-2').map((s) =>
    edge(s, 'CLOSED', 'timeout', false, `RFC 9293 §3.8.3 R2 / §3.10.8 user timeout in ${s}: retransmissions or keepalive exhausted → ETIMEDOUT (KA-1, KA-3, CT-5)`),
  ),
  ...(['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK'] as const).map((s) =>
    edge(s, 'CLOSED', 'close', false, `RFC 2525 §2.17; Linux tcp.c:__tcp_close: close() in ${s} with unread data (or SO_LINGER {1, 0}) sends RST and frees the connection (CT-8, CT-9)`),
  ),
  edge('SYN-RECEIVED', 'CLOSED', 'rcv-ack', false, 'Linux tcp_minisocks.c:tcp_check_req: final ACK with an accept queue full and tcp_abort_on_overflow=1 → RST (LQ-3)'),
];

export const FSM_EDGES: readonly FsmEdge[] = [...FIGURE5_EDGES, ...EXTRA_EDGES];

const BY_ID: ReadonlyMap<string, FsmEdge> = new Map(FSM_EDGES.map((e) => [e.id, e]));
const BY_PAIR: ReadonlyMap<string, readonly FsmEdge[]> = (() => {
  const m = new Map<string, FsmEdge[]>();
  for (const e of FSM_EDGES) {
    const k = `${e.from}>${e.to}`;
    const l = m.get(k);
    if (l) l.push(e);
    else m.set(k, [e]);
  }
  return m;
})();

/**
 * Map the model's free-text cause ("rcv SYN", "rcv SYN,ACK", "call close", "timer TIME-WAIT",
 * "rcv RST") to a cause kind; null when nothing matches.
 */
export function classifyCause(cause: string): CauseKind | null {
  const c = cause.toLowerCase();
  if (/ack of (syn|fin)|overflow/.test(c)) return 'rcv-ack';
  if (/data after close/.test(c)) return 'abort';
  if (/\brst\b|reset/.test(c)) return 'rcv-rst';
  if (/abort|linger/.test(c)) return 'abort';
  if (/timer|timeout|expire|give.?up|retries|keepalive|2msl/.test(c)) return 'timeout';
  if (/\blisten\b/.test(c)) return 'open-passive';
  if (/\bconnect\b/.test(c)) return 'open-active';
  if (/\bclosed?\b|shutdown/.test(c)) return 'close';
  if (/\bsend\b/.test(c)) return 'send';
  const syn = /\bsyn\b/.test(c);
  const ack = /\back\b/.test(c);
  const fin = /\bfin\b/.test(c);
  if (syn && ack) return 'rcv-syn-ack';
  if (syn) return 'rcv-syn';
  if (fin) return 'rcv-fin';
  if (ack) return 'rcv-ack';
  return null;
}

/** Is from → to allowed for any cause? */
export function isAllowed(from: TcpStateName, to: TcpStateName): boolean {
  return BY_PAIR.has(`${from}>${to}`);
}

/**
 * The table edge for a transition. With a recognised cause, the edge of that kind; when the cause
 * is unrecognised or its kind is not listed for the pair, null (the caller decides whether that
 * counts as a violation). `strict: false` falls back to the pair's only edge when it has one.
 */
export function findEdge(from: TcpStateName, to: TcpStateName, cause: string, strict = true): FsmEdge | null {
  const kind = classifyCause(cause);
  if (kind !== null) {
    const e = BY_ID.get(`${from}>${to}:${kind}`);
    if (e) return e;
  }
  if (strict) return null;
  const l = BY_PAIR.get(`${from}>${to}`);
  return l !== undefined && l.length === 1 ? l[0]! : null;
}

/** Coverage counts: edge id → times seen, plus transitions the table does not list. */
export interface FsmCoverage {
  readonly counts: Readonly<Record<string, number>>;
  readonly unlisted: Readonly<Record<string, number>>;
}

export const EMPTY_COVERAGE: FsmCoverage = { counts: {}, unlisted: {} };

/**
 * Count one transition. A transition whose cause kind is not listed for its (from, to) pair but
 * whose pair is allowed counts for the pair's edge when it has only one (`strict: false` of
 * `findEdge`), otherwise it is recorded as unlisted under "FROM>TO:cause".
 */
export function recordTransition(cov: FsmCoverage, from: TcpStateName, to: TcpStateName, cause: string): FsmCoverage {
  const e = findEdge(from, to, cause, false);
  if (e !== null) return { ...cov, counts: { ...cov.counts, [e.id]: (cov.counts[e.id] ?? 0) + 1 } };
  const k = `${from}>${to}:${cause}`;
  return { ...cov, unlisted: { ...cov.unlisted, [k]: (cov.unlisted[k] ?? 0) + 1 } };
}

/** Count every `transition` output. */
export function coverOutputs(cov: FsmCoverage, outputs: readonly Output[]): FsmCoverage {
  let c = cov;
  for (const o of outputs) if (o.kind === 'transition') c = recordTransition(c, o.from, o.to, o.cause);
  return c;
}

/** Merge two coverage counters (e.g. from parallel runs). */
export function mergeCoverage(x: FsmCoverage, y: FsmCoverage): FsmCoverage {
  const counts: Record<string, number> = { ...x.counts };
  for (const [k, v] of Object.entries(y.counts)) counts[k] = (counts[k] ?? 0) + v;
  const unlisted: Record<string, number> = { ...x.unlisted };
  for (const [k, v] of Object.entries(y.unlisted)) unlisted[k] = (unlisted[k] ?? 0) + v;
  return { counts, unlisted };
}

export interface CoverageSummary {
  readonly seen: number;
  readonly total: number;
  readonly figure5Seen: number;
  readonly figure5Total: number;
  readonly untouched: readonly FsmEdge[];
  readonly unlisted: readonly { readonly transition: string; readonly count: number }[];
}

export function coverageSummary(cov: FsmCoverage): CoverageSummary {
  const untouched = FSM_EDGES.filter((e) => (cov.counts[e.id] ?? 0) === 0);
  const fig5Untouched = untouched.filter((e) => e.figure5).length;
  return {
    seen: FSM_EDGES.length - untouched.length,
    total: FSM_EDGES.length,
    figure5Seen: FIGURE5_EDGES.length - fig5Untouched,
    figure5Total: FIGURE5_EDGES.length,
    untouched,
    unlisted: Object.entries(cov.unlisted)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([transition, count]) => ({ transition, count })),
  };
}
