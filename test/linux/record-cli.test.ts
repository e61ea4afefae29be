/**
 * `tcpfuzz record`: argument errors (exit 2 with usage), the one-line refusal without root, and
 * (with root + TUN) a real recording of scenario files into `<name>.jsonl.gz` traces.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { recordCommand } from '../../src/cli/commands/record.js';
import { linuxUnavailableReason } from '../../src/stacks/linux/index.js';
import { listTcpfuzzNamespaces, ownerPid } from '../../src/stacks/linux/netns.js';
import { readTraceFile, writeScenarioFile } from '../../src/trace/io.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import { linuxTestsEnabled, scenario, seg, SYN_OPTIONS } from './helpers.js';

const enabled = linuxTestsEnabled();
const dir = mkdtempSync(join(tmpdir(), 'tcpfuzz-record-'));
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });

describe('tcpfuzz record: arguments and availability', () => {
  it('no input → usage error, exit 2', async () => {
    const io = memoryIo();
    expect(await recordCommand.run([], io)).toBe(2);
    expect(io.stderr()).toMatch(/^tcpfuzz: record: expected at least one scenario file or directory, or --generate N\nusage: tcpfuzz record/);
  });

  it('bad --workers and unknown options → one line + usage, exit 2', async () => {
    for (const argv of [['x.jsonl', '--workers', '0'], ['x.jsonl', '--workers', 'many'], ['x.jsonl', '--bogus'], ['x.jsonl', '--sysctl', 'novalue']]) {
      const io = memoryIo();
      expect(await recordCommand.run(argv, io)).toBe(2);
      expect(io.stderr().split('\n')[0]).toMatch(/^tcpfuzz: record: /);
      expect(io.stderr()).toContain('usage: tcpfuzz record');
    }
  });

  it('a missing file is one line, exit 1', async () => {
    const io = memoryIo();
    expect(await recordCommand.run([join(dir, 'missing.jsonl')], io)).toBe(1);
    expect(io.stderr()).toBe(`${join(dir, 'missing.jsonl')}: no such file or directory\n`);
  });

  it('without root the linux stack says so in one line', () => {
    // The uid is a parameter so this holds wherever the test runs (a child dropped to nobody
    // cannot always read a checkout in a private temporary directory).
    expect(linuxUnavailableReason(65534)).toBe('linux stack unavailable: needs root (uid 65534)');
    expect(linuxUnavailableReason(1000)).toBe('linux stack unavailable: needs root (uid 1000)');
  });
});

describe.skipIf(!enabled)('tcpfuzz record on the live kernel', () => {
  it('records every scenario of a directory into <name>.jsonl.gz and leaves no namespace', async () => {
    const scen = join(dir, 'scenarios');
    const out = join(dir, 'out');
    expect(
      writeScenarioFile(
        join(scen, 'a.jsonl'),
        scenario('closed port', [{ kind: 'inject', t: 0, seg: seg({ srcPort: 40000, dstPort: 8080, flags: SYN }) }]),
      ).ok,
    ).toBe(true);
    expect(
      writeScenarioFile(
        join(scen, 'sub', 'b.jsonl'),
        scenario('listen-syn', [
          { kind: 'call', t: 0, call: { op: 'socket', fd: 3 } },
          { kind: 'call', t: 0, call: { op: 'bind', fd: 3, port: 8080 } },
          { kind: 'call', t: 0, call: { op: 'listen', fd: 3, backlog: 1 } },
          { kind: 'inject', t: 0, seg: seg({ srcPort: 40000, dstPort: 8080, flags: SYN, options: SYN_OPTIONS }) },
        ]),
      ).ok,
    ).toBe(true);
    const mine = (): string[] => listTcpfuzzNamespaces().filter((n) => ownerPid(n) === process.pid);
    const before = mine().length;
    const io = memoryIo();
    const code = await recordCommand.run([scen, '-o', out, '--workers', '2', '--grace-ms', '5'], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/recorded 2\/2 scenarios/);
    expect(readdirSync(out).sort()).toEqual(['closed_port.jsonl.gz', 'listen-syn.jsonl.gz']);
    const a = readTraceFile(join(out, 'closed_port.jsonl.gz'));
    expect(a.ok).toBe(true);
    if (a.ok) {
      expect(a.value.header.stack).toBe('linux');
      expect(a.value.events.filter((e) => e.type === 'out').map((e) => (e.type === 'out' ? e.seg.flags : 0))).toEqual([RST | ACK]);
    }
    const b = readTraceFile(join(out, 'listen-syn.jsonl.gz'));
    expect(b.ok && b.value.events.some((e) => e.type === 'out' && e.seg.flags === (SYN | ACK))).toBe(true);
    expect(mine().length).toBe(before);
  });
});
