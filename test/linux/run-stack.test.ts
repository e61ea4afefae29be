/**
 * `tcpfuzz run --stack linux`: generated scripts recorded on the live kernel and diffed against the
 * model; `--stack` values other than model/linux are usage errors.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { linuxUnavailableReason } from '../../src/stacks/linux/index.js';

const why = linuxUnavailableReason();
if (why !== null) console.log(`run --stack linux tests skipped: ${why}`);

describe('tcpfuzz run --stack', () => {
  it('an unknown stack is a usage error naming the known ones', async () => {
    const io = memoryIo();
    expect(await runCommand.run(['--stack', 'frob'], io)).toBe(2);
    expect(io.stderr()).toMatch(/^tcpfuzz: run: unknown stack "frob" \(model, linux\)\nusage: tcpfuzz run/);
  });

  it.skipIf(why !== null)('linux: records generated scripts live and reports each one as identical, known or differing', async () => {
    const io = memoryIo();
    const rc = await runCommand.run(['--stack', 'linux', '--runs', '6', '--seed', '1'], io);
    const summary = /linux vs model: 6 scripts, (\d+) identical, (\d+) known differences, (\d+) differ/.exec(io.stdout());
    expect(summary).not.toBeNull();
    const [, same, known, differ] = summary!.map(Number) as [number, number, number, number];
    expect(same + known + differ).toBe(6);
    expect(rc).toBe(differ > 0 ? 1 : 0);
    // Every differing script names its first difference and the replay command.
    expect(io.stdout().match(/^DIFF /gm)?.length ?? 0).toBe(differ);
  }, 60_000);
});
