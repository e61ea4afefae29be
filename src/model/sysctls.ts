/**
 * Linux sysctls → profile fields. A scenario names the kernel settings it needs (header `sysctls`,
 * names without `net.ipv4.` / `net.core.`); the recorder pins them in its namespace, and the model
 * must run under the same settings, so the oracle compares like with like. Each entry maps one
 * sysctl onto the profile field that models it. Sysctls the model does not (yet) model are
 * returned as `ignored`, so callers can say so instead of silently comparing different settings.
 * Pure.
 */
import type { Profile } from './profile-type.js';

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type Apply = (p: Mut<Profile>, value: string) => string | null;

const MS = 1000;
const S = 1_000_000;

function int(v: string): number | null {
  const n = Number(v.trim());
  return Number.isInteger(n) ? n : null;
}

function triple(v: string): [number, number, number] | null {
  const parts = v.trim().split(/\s+/).map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x) || x < 0)) return null;
  return [parts[0]!, parts[1]!, parts[2]!];
}

const intField =
  (set: (p: Mut<Profile>, n: number) => void, min = 0): Apply =>
  (p, v) => {
    const n = int(v);
    if (n === null || n < min) return `expected an integer ≥ ${min}, got "${v}"`;
    set(p, n);
    return null;
  };

const boolField =
  (set: (p: Mut<Profile>, b: boolean) => void): Apply =>
  (p, v) => {
    const n = int(v);
    if (n === null || n < 0) return `expected 0 or 1, got "${v}"`;
    set(p, n !== 0);
    return null;
  };

/** sysctl name → how it changes the profile. */
const TABLE: Readonly<Record<string, Apply>> = {
  tcp_sack: boolField((p, b) => (p.offerSack = b)),
  tcp_dsack: boolField((p, b) => (p.dsack = b)),
  tcp_timestamps: boolField((p, b) => (p.offerTimestamps = b)), // 2 = no per-flow offset; offsets are invisible in script space
  tcp_window_scaling: boolField((p, b) => (p.offerWscale = b)),
  tcp_syn_retries: intField((p, n) => (p.synRetries = n), 1),
  tcp_synack_retries: intField((p, n) => (p.synAckRetries = n)),
  tcp_syn_linear_timeouts: intField((p, n) => (p.synLinearTimeouts = n)),
  tcp_retries2: intField((p, n) => (p.retries2 = n)),
  tcp_orphan_retries: intField((p, n) => (p.orphanRetries = n === 0 ? 8 : n)), // tcp_timer.c:tcp_orphan_retries
  tcp_fin_timeout: intField((p, n) => (p.finTimeout = n * S)),
  tcp_early_retrans: intField((p, n) => (p.tlp = n === 3 || n === 4)), // tcp_output.c:tcp_schedule_loss_probe
  tcp_keepalive_time: intField((p, n) => (p.keepaliveTime = n * S), 1),
  tcp_keepalive_intvl: intField((p, n) => (p.keepaliveIntvl = n * S), 1),
  tcp_keepalive_probes: intField((p, n) => (p.keepaliveProbes = n), 1),
  tcp_abort_on_overflow: boolField((p, b) => (p.abortOnOverflow = b)),
  tcp_syncookies: (p, v) => {
    // sysctl_net_ipv4.c: 0 off, 1 on SYN-queue overflow, 2 always (LQ-4)
    const n = int(v);
    if (n === null || n < 0 || n > 2) return `expected 0, 1 or 2, got "${v}"`;
    p.syncookies = n === 0 ? 'off' : n === 1 ? 'overflow' : 'always';
    return null;
  },
  tcp_max_syn_backlog: intField((p, n) => (p.maxSynBacklog = n)),
  tcp_rfc1337: boolField((p, b) => (p.rfc1337 = b)),
  tcp_invalid_ratelimit: intField((p, n) => (p.invalidRateLimit = n * MS)),
  tcp_rto_min_us: intField((p, n) => (p.rtoMin = n), 1),
  tcp_rto_max_ms: intField((p, n) => (p.rtoMax = n * MS), 1),
  tcp_pingpong_thresh: intField((p, n) => (p.pingpongThresh = n), 1),
  tcp_slow_start_after_idle: boolField((p, b) => (p.slowStartAfterIdle = b)), // tcp_output.c:tcp_event_data_sent
  tcp_reordering: intField((p, n) => (p.dupThresh = n), 1), // tcp_input.c:tcp_time_to_recover (initial tp->reordering)
  tcp_frto: intField((p, n) => (p.frto = n !== 0)), // tcp_input.c:tcp_enter_loss (F-RTO when non-zero; frto.ts)
  // tcp_recovery bit 0 (TCP_RACK_LOSS_DETECTION) is the RACK switch, but the recorded 6.18.44 kept
  // RACK's loss detection with tcp_recovery=0 (scenario x-frto-info / cc-frto-*: Recovery and a
  // retransmission 5 ms after an F-RTO undo, reproduced exactly by rack.ts): accepted, profile kept.
  tcp_recovery: intField(() => undefined),
  // The model implements reno only (congestion.ts); any other algorithm is reported as an error.
  tcp_congestion_control: (_p, v) => (v.trim() === 'reno' ? null : `only "reno" is modelled, got "${v}"`),
  somaxconn: intField((p, n) => (p.somaxconn = n)),
  rmem_max: intField((p, n) => (p.rmemMax = n)),
  wmem_max: intField((p, n) => (p.wmemMax = n)),
  tcp_rmem: (p, v) => {
    const t = triple(v);
    if (t === null) return `expected "min default max", got "${v}"`;
    p.rmem = t;
    return null;
  },
  tcp_wmem: (p, v) => {
    const t = triple(v);
    if (t === null) return `expected "min default max", got "${v}"`;
    p.wmem = t;
    return null;
  },
};

/**
 * Settings that only pin the recording environment and change nothing the model decides
 * (tcp_no_metrics_save: the model has no metrics cache; tcp_autocorking: the model never corks).
 */
const NEUTRAL = new Set(['tcp_no_metrics_save', 'tcp_autocorking']);

export interface SysctlApplication {
  readonly profile: Profile;
  /** Sysctls the model does not model (the comparison may differ because of them). */
  readonly ignored: readonly string[];
  /** One line per malformed value. */
  readonly errors: readonly string[];
}

function shortName(name: string): string {
  return name.replace(/^net\.(ipv4|core)\./, '');
}

export function applySysctls(profile: Profile, sysctls: Readonly<Record<string, number | string>> | undefined): SysctlApplication {
  if (sysctls === undefined) return { profile, ignored: [], errors: [] };
  const p: Mut<Profile> = { ...profile };
  const ignored: string[] = [];
  const errors: string[] = [];
  for (const [rawName, value] of Object.entries(sysctls)) {
    const name = shortName(rawName);
    const apply = TABLE[name];
    if (apply === undefined) {
      if (!NEUTRAL.has(name)) ignored.push(name);
      continue;
    }
    const e = apply(p, String(value));
    if (e !== null) errors.push(`${name}: ${e}`);
  }
  return { profile: p, ignored, errors };
}

/** The sysctl names the model understands (for documentation and tests). */
export const MODELLED_SYSCTLS: readonly string[] = Object.keys(TABLE);
