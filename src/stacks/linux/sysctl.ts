/**
 * Sysctls inside the recorder's namespace: naming (scenario keys like `tcp_sack` or `somaxconn` →
 * `net.ipv4.tcp_sack` / `net.core.somaxconn`), reading and writing through /proc/sys (which shows
 * the namespace of the reading process), the recorder's pinned defaults, and the list of values
 * every trace header records. Runs in the worker process only.
 *
 * Per-namespace TCP sysctls start from the kernel defaults in a new namespace (a few, such as
 * tcp_congestion_control, are inherited from the initial namespace), so the recorder pins the ones
 * that make recordings reproducible (docs/linux-reference.md §0) and records the rest as read.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Keys under net.core rather than net.ipv4. */
const CORE_KEYS: ReadonlySet<string> = new Set([
  'somaxconn',
  'rmem_default',
  'rmem_max',
  'wmem_default',
  'wmem_max',
  'netdev_max_backlog',
  'optmem_max',
]);

/** Scenario header keys that are not sysctls but per-socket settings of the recorder. */
export const NON_SYSCTL_KEYS: ReadonlySet<string> = new Set(['congestion']);

/** Pinned in every recording unless the scenario or the stack options say otherwise. */
export const RECORDER_DEFAULTS: Readonly<Record<string, string>> = {
  'net.ipv4.tcp_no_metrics_save': '1',
  'net.ipv4.tcp_autocorking': '0',
  // Ephemeral ports stay clear of the range the recorder maps scenario ports into.
  'net.ipv4.ip_local_port_range': '61000 65535',
  'net.ipv4.tcp_congestion_control': 'reno',
};

/** Read back into every trace header (full names). */
export const RECORDED_SYSCTLS: readonly string[] = [
  'net.ipv4.tcp_no_metrics_save',
  'net.ipv4.tcp_autocorking',
  'net.ipv4.tcp_sack',
  'net.ipv4.tcp_timestamps',
  'net.ipv4.tcp_window_scaling',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_early_retrans',
  'net.ipv4.tcp_recovery',
  'net.ipv4.tcp_syn_retries',
  'net.ipv4.tcp_synack_retries',
  'net.ipv4.tcp_syn_linear_timeouts',
  'net.ipv4.tcp_retries1',
  'net.ipv4.tcp_retries2',
  'net.ipv4.tcp_orphan_retries',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_abort_on_overflow',
  'net.ipv4.tcp_max_syn_backlog',
  'net.ipv4.tcp_congestion_control',
  'net.ipv4.tcp_ecn',
  'net.ipv4.tcp_dsack',
  'net.ipv4.tcp_frto',
  'net.ipv4.tcp_reordering',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.tcp_rfc1337',
  'net.ipv4.tcp_invalid_ratelimit',
  'net.ipv4.tcp_challenge_ack_limit',
  'net.ipv4.tcp_comp_sack_nr',
  'net.ipv4.tcp_rto_min_us',
  'net.ipv4.tcp_rto_max_ms',
  'net.ipv4.tcp_mtu_probing',
  'net.ipv4.tcp_moderate_rcvbuf',
  'net.ipv4.tcp_adv_win_scale',
  'net.ipv4.ip_local_port_range',
  'net.core.rmem_default',
  'net.core.rmem_max',
  'net.core.wmem_default',
  'net.core.wmem_max',
  'net.core.somaxconn',
];

/** Full sysctl name for a scenario key: dotted names pass through. */
export function fullSysctlName(key: string): string {
  if (key.includes('.')) return key;
  return CORE_KEYS.has(key) ? `net.core.${key}` : `net.ipv4.${key}`;
}

function procPath(name: string): string {
  return `/proc/sys/${name.replace(/\./g, '/')}`;
}

/** Whitespace-normalised value ("4096\t131072\t6291456" → "4096 131072 6291456"). */
export function normaliseValue(v: string | number): string {
  return String(v).trim().split(/\s+/).join(' ');
}

/** Read a sysctl, or null when it does not exist on this kernel. */
export function readSysctl(name: string): string | null {
  try {
    return normaliseValue(readFileSync(procPath(name), 'utf8'));
  } catch {
    return null;
  }
}

/** Write a sysctl; returns an error line on failure. */
export function writeSysctl(name: string, value: string): { ok: true } | { ok: false; message: string } {
  if (!/^[a-z0-9_.]+$/.test(name) || name.includes('..')) return { ok: false, message: `bad sysctl name ${JSON.stringify(name)}` };
  try {
    writeFileSync(procPath(name), value);
    return { ok: true };
  } catch (e) {
    return { ok: false, message: `sysctl ${name}=${value}: ${(e as Error).message}` };
  }
}

/**
 * The full set of sysctls a run needs: recorder defaults, then the stack's overrides, then the
 * scenario header's `sysctls` (non-sysctl keys such as `congestion` are left out).
 */
export function effectiveSysctls(
  stackOverrides: Readonly<Record<string, string | number>> | undefined,
  scenarioSysctls: Readonly<Record<string, string | number>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = { ...RECORDER_DEFAULTS };
  for (const src of [stackOverrides, scenarioSysctls]) {
    if (!src) continue;
    for (const [k, v] of Object.entries(src)) {
      if (NON_SYSCTL_KEYS.has(k)) continue;
      out[fullSysctlName(k)] = normaliseValue(v);
    }
  }
  return out;
}

/** A stable key for a sysctl set: runs with equal keys can share the namespace concurrently. */
export function sysctlKey(s: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(s).sort().map((k) => [k, s[k]]));
}
