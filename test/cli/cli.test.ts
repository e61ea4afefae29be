/**
 * The tcpfuzz command in-process: help, version, show, pcap, usage errors (exit 2, one line plus
 * the usage), bad files (exit 1, one line `path:line: message`), internal errors (exit 70, the
 * stack only with TCPFUZZ_DEBUG=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../../src/cli/io.js';
import { commands } from '../../src/cli/commands/index.js';
import { showCommand } from '../../src/cli/commands/show.js';
import type { Command } from '../../src/cli/command.js';
import { readPcap } from '../../src/wire/pcap.js';
import { decodePacket } from '../../src/wire/codec.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-cli-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}, list?: readonly Command[]) {
  const io = memoryIo(env);
  const code = await main(argv, io, list);
  return { code, out: io.stdout(), err: io.stderr() };
}

const pkgVersion = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it('--help lists every registered command with its summary', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toBe('usage: tcpfuzz <command> [arguments]');
    for (const c of commands) expect(r.out).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect((await run(['help'])).out).toBe(r.out);
  });

  it('help <command> and <command> --help print that usage', async () => {
    const a = await run(['help', 'show']);
    expect(a).toEqual({ code: 0, out: `${showCommand.usage}\n`, err: '' });
    expect(await run(['show', '--help'])).toEqual(a);
  });

  it('--version prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `tcpfuzz ${pkgVersion}\n`, err: '' });
  });
});

describe('usage errors: one line, the usage, exit 2', () => {
  const cases: [string[], string][] = [
    [['frob'], 'tcpfuzz: unknown command "frob"'],
    [[], 'tcpfuzz: missing command'],
    [['--frob'], 'tcpfuzz: unknown option "--frob"'],
    [['show'], 'tcpfuzz: show: expected one file, got 0'],
    [['show', 'a', 'b'], 'tcpfuzz: show: expected one file, got 2'],
    [['show', '--bogus', 'a'], 'tcpfuzz: show: unknown option "--bogus"'],
    [['pcap', 'x', '-o'], "tcpfuzz: pcap: Option '-o, --output <value>' argument missing"],
    [['pcap', 'test/fixtures/good/passive-open.trace.jsonl'], 'tcpfuzz: pcap: missing -o <out.pcap>'],
    [['help', 'frob'], 'tcpfuzz: unknown command "frob"'],
  ];
  for (const [argv, line] of cases) {
    it(`${JSON.stringify(argv)} → ${line}`, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      const lines = r.err.split('\n');
      expect(lines[0]).toBe(line);
      expect(lines[1]).toMatch(/^usage: tcpfuzz /);
    });
  }
});

describe('show', () => {
  it('prints a scenario as ladder lines (HS-1)', async () => {
    const r = await run(['show', 'test/fixtures/good/passive-open.jsonl']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('# scenario: passive open');
    expect(lines).toContain('0.100 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 7>');
    expect(lines).toContain('0.210 < P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 120 ecr 0>');
    expect(lines).toContain('0.210 accept(3) = -1 EAGAIN');
  });

  it('prints a gzipped trace with microsecond times', async () => {
    const r = await run(['show', 'test/fixtures/good/passive-open.trace.jsonl.gz', '--info']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\n0.100037 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 7>\n');
    expect(r.out).toContain('\n1.710000 state fd 4 ESTABLISHED {rto=204000 snd_cwnd=10}\n');
  });

  it('a bad file is one line path:line: message, exit 1', async () => {
    const r = await run(['show', 'test/fixtures/bad/seq-negative.jsonl']);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'test/fixtures/bad/seq-negative.jsonl:5: step 3: seg.seq: expected integer 0..4294967295, got -1\n',
    });
    const missing = await run(['show', path.join(dir, 'none.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.err.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.err).toContain('none.jsonl: cannot read: ENOENT');
  });
});

describe('pcap', () => {
  it('writes the in/out segments as a pcap the wire reader reads back', async () => {
    const out = path.join(dir, 'sub', 'trace.pcap');
    const r = await run(['pcap', 'test/fixtures/good/passive-open.trace.jsonl', '-o', out]);
    expect(r).toEqual({ code: 0, out: `wrote 5 packets to ${out}\n`, err: '' });
    const back = readPcap(new Uint8Array(fs.readFileSync(out)));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.records.map((x) => x.tUs)).toEqual([100000, 100037, 200000, 210000, 210120]);
    const first = decodePacket(back.records[0]!.bytes);
    expect(first.ok).toBe(true);
    if (first.ok) {
      expect(first.packet.ip).toMatchObject({ src: '192.0.2.2', dst: '192.0.2.1' });
      expect(first.packet.tcp).toMatchObject({ srcPort: 40000, dstPort: 8080, seq: 4294967000 });
      expect(first.packet.checksumOk).toBe(true);
    }
    expect(fs.readdirSync(path.dirname(out))).toEqual(['trace.pcap']);
  });

  it('a scenario is not a trace: exit 1 with the reason', async () => {
    const r = await run(['pcap', 'test/fixtures/good/passive-open.jsonl', '-o', path.join(dir, 'x.pcap')]);
    expect(r).toEqual({ code: 1, out: '', err: 'test/fixtures/good/passive-open.jsonl:1: expected a trace, found a scenario header\n' });
    expect(fs.existsSync(path.join(dir, 'x.pcap'))).toBe(false);
  });
});

describe('internal errors', () => {
  const boom: Command = {
    name: 'boom',
    summary: 'throws',
    usage: 'usage: tcpfuzz boom',
    run: () => Promise.reject(new Error('kaput\nsecond line')),
  };
  it('one line and exit 70; no stack unless TCPFUZZ_DEBUG=1', async () => {
    const r = await run(['boom'], {}, [boom]);
    expect(r).toEqual({ code: 70, out: '', err: 'tcpfuzz: internal error: kaput\n' });
    const d = await run(['boom'], { TCPFUZZ_DEBUG: '1' }, [boom]);
    expect(d.code).toBe(70);
    expect(d.err.split('\n')[0]).toBe('tcpfuzz: internal error: kaput');
    expect(d.err).toContain('at ');
  });
});
