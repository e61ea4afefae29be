/**
 * Every malformed fixture in test/fixtures/bad/ gives exactly one line `path:line: message`
 * naming the file, the line and the problem (never a throw).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { readAnyFile } from '../../src/trace/io.js';

const DIR = 'test/fixtures/bad';

const expected: Record<string, string> = {
  'bad-address.jsonl': '1: header: local.addr: expected an IPv6 address, got "192.0.2.1"',
  'bad-behaviour-id.jsonl': '1: header: behaviours[1]: expected a behaviour ID like "HS-1", got "hs-2"',
  'bad-errno.jsonl':
    '2: step 0: expect.errno: expected an errno (EAGAIN, EINPROGRESS, EALREADY, EISCONN, ECONNREFUSED, ECONNRESET, ECONNABORTED, ETIMEDOUT, EPIPE, ENOTCONN, EINVAL, EBADF, EADDRINUSE, EOPNOTSUPP, EMFILE), got "EWHAT"',
  'bad-option.jsonl': '2: step 0: seg.options[1].mss: expected integer 0..65535, got 70000',
  'call-unknown-op.jsonl': '2: step 0: call: unknown call op "fork"',
  'empty.jsonl': '1: missing header line (the file has no content)',
  'flags-bad-letter.jsonl': '2: step 0: seg.flags: flags "SX": unknown letter "X" (use F S R P . U E W)',
  'flags-too-big.jsonl': '2: step 0: seg.flags: expected integer 0..255 or a flags string like "S.", got 256',
  'header-not-first.jsonl': '3: a header line must be the first line of the file',
  'missing-header.jsonl': '1: missing header line (the first line must be a {"type": "scenario"} or {"type": "trace"} header)',
  'negative-time.jsonl': '2: step 0: t: expected a finite number ≥ 0 (seconds), got -1',
  'not-an-object.jsonl': '2: step 0: expected an object, got an array',
  'not-gzip.jsonl.gz': '1: not a valid gzip file: incorrect header check (Z_DATA_ERROR)',
  'only-comments.jsonl': '1: missing header line (the file has no content)',
  'options-too-long.jsonl': '2: step 0: seg.options: options take 50 bytes, more than the 40 a TCP header can hold',
  'port-out-of-range.jsonl': '2: step 0: seg.dstPort: expected integer 0..65535, got 70000',
  'scenario-in-trace-header.jsonl': "1: header: scenario.steps[1].t: t 0 is before the previous step's t 1",
  'seq-negative.jsonl': '5: step 3: seg.seq: expected integer 0..4294967295, got -1',
  'seq-too-big.jsonl': '2: step 0: seg.seq: expected integer 0..4294967295, got 4294967296',
  'time-backwards.jsonl': "6: step 2: t 0.5 is before the previous step's t 1",
  'trace-missing-stack.jsonl': '1: header: stack: missing field',
  'trace-step-out-of-range.jsonl': '2: event 0: step 1 is not in the scenario (it has 1 step)',
  'trace-time-backwards.jsonl': "3: event 1: t 499 is before the previous event's t 500",
  'trace-unknown-event.jsonl': '2: event 0: unknown event type "teleport"',
  'truncated-json.jsonl': "2: invalid JSON: Expected ',' or '}' after property value in JSON at position 20",
  'unknown-field.jsonl': '2: step 0: seg: unknown field "windo"',
  'unknown-header-type.jsonl': '1: unknown header type "script" (expected "scenario" or "trace")',
  'unknown-option-kind.jsonl': '2: step 0: seg.options[0]: unknown option kind "md5"',
  'unknown-step-kind.jsonl': '3: step 1: unknown step kind "jump"',
  'wrong-format-version.jsonl': '1: header: format: unsupported format version 2 (this tcpfuzz reads version 1)',
  'wrong-type-time.jsonl': '2: step 0: t: expected a finite number ≥ 0 (seconds), got "soon"',
};

describe('malformed scenario and trace files', () => {
  it('has an expected message for every fixture, and at least 15 fixtures', () => {
    const files = readdirSync(DIR).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const [file, message] of Object.entries(expected)) {
    it(`${file}: ${message}`, () => {
      const path = `${DIR}/${file}`;
      const r = readAnyFile(path);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toBe(`${path}:${message}`);
      expect(r.error.message).not.toContain('\n');
      expect(r.error.line).toBe(Number(message.split(':')[0]));
    });
  }
});
