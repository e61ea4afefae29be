/**
 * The registry of `tcpfuzz` subcommands. To add one, write `src/cli/commands/<name>.ts` exporting a
 * `Command` and add it to this list (the order is the order of `tcpfuzz --help`).
 */
import type { Command } from '../command.js';
import { helpCommand } from './help.js';
import { showCommand } from './show.js';
import { pcapCommand } from './pcap.js';
import { versionCommand } from './version.js';
import { replayCommand } from './replay.js';
import { agreeCommand } from './agree.js';
import { runCommand } from './run.js';
import { minimizeCommand } from './minimize.js';
import { recordCommand } from './record.js';

export const commands: readonly Command[] = [helpCommand, runCommand, replayCommand, minimizeCommand, agreeCommand, recordCommand, showCommand, pcapCommand, versionCommand];
