/**
 * The real `tcpfuzz` entry (`node bin/tcpfuzz.js …`) as a child process: exit codes and the exact
 * stderr/stdout shape users see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readPcap } from '../../src/wire/pcap.js';

function tcpfuzz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tcpfuzz.js', ...args], { encoding: 'utf8', env: { ...process.env, TCPFUZZ_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-bin-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('node bin/tcpfuzz.js', () => {
  it('--help exits 0 with the command list', () => {
    const r = tcpfuzz('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tcpfuzz <command>/);
    expect(r.out).toMatch(/^  show +print a scenario or trace file as ladder lines$/m);
    expect(r.err).toBe('');
  });

  it('an unknown command exits 2 with one line and the usage', () => {
    const r = tcpfuzz('frob');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines[0]).toBe('tcpfuzz: unknown command "frob"');
    expect(lines[1]).toBe('usage: tcpfuzz <command> [arguments]');
  });

  it('a bad file exits 1 with path:line: message and no stack trace', () => {
    const r = tcpfuzz('show', 'test/fixtures/bad/time-backwards.jsonl');
    expect(r.code).toBe(1);
    expect(r.err).toBe("test/fixtures/bad/time-backwards.jsonl:6: step 2: t 0.5 is before the previous step's t 1\n");
    expect(r.out).toBe('');
  });

  it('show prints the expected ladder line', () => {
    const r = tcpfuzz('show', 'test/fixtures/good/passive-open.jsonl');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\n0.100 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n');
  });

  it('pcap writes a file the wire reader reads back with one record per segment', () => {
    const out = path.join(dir, 't.pcap');
    const r = tcpfuzz('pcap', 'test/fixtures/good/passive-open.trace.jsonl.gz', '-o', out);
    expect(r.code).toBe(0);
    const back = readPcap(new Uint8Array(fs.readFileSync(out)));
    expect(back.ok && back.records.length).toBe(5);
  });
});
