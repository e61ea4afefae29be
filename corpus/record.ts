/**
 * Rebuild the recorded Linux corpus from scratch, reproducibly (`npm run corpus:record`, root and
 * /dev/net/tun needed):
 *   1. regenerate the hand-written scenarios (corpus/scenarios/<family>/*.jsonl) from their sources;
 *   2. record every one of them on this machine's kernel into corpus/linux/hand/;
 *   3. record the generated single-SUT scripts (`--generate 1000 --seed 1`) into corpus/linux/generated/.
 * Stale traces in those two folders are removed first. Settings: enough workers with a modest
 * per-worker concurrency keep step timing tight on a 2-core machine (more concurrency makes steps
 * late, which the oracle then reports as timing differences).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { recordCommand } from '../src/cli/commands/record.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

function clean(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.jsonl.gz') || f.endsWith('.jsonl')) fs.rmSync(path.join(dir, f));
}

const gen = spawnSync(process.execPath, ['--import', 'tsx', 'corpus/scenarios/generate.ts'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const generatedCount = process.env['TCPFUZZ_GENERATED'] ?? '1000';
clean('corpus/linux/hand');
clean('corpus/linux/generated');
const common = ['--workers', '4', '--concurrency', '8'];
const quietIo = {
  env: process.env,
  out: (s: string): void => {
    if (s.startsWith('recorded ')) process.stdout.write(s);
  },
  err: (s: string): void => {
    process.stderr.write(s);
  },
};
let rc = await recordCommand.run(['corpus/scenarios', '-o', 'corpus/linux/hand', ...common], quietIo);
rc = Math.max(rc, await recordCommand.run(['--generate', generatedCount, '--seed', '1', '-o', 'corpus/linux/generated', ...common], quietIo));
process.exit(rc);
