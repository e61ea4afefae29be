/**
 * The shape of a `tcpfuzz` subcommand, and the helpers every command uses to parse its arguments
 * and report usage errors. A command returns its exit code: 0 success, 1 a bad input file or a
 * failed check, 2 bad command-line usage; anything it throws becomes exit 70 (internal error) in
 * the dispatcher.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';
import { processIo } from './io.js';

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage text (first line `usage: tcpfuzz <name> …`), printed by `tcpfuzz help <name>` and on usage errors. */
  readonly usage: string;
  run(argv: string[], io?: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** Print `tcpfuzz: <message>` and the usage on stderr; returns the usage exit code. */
export function usageError(io: CliIo, message: string, usage: string): number {
  io.err(`tcpfuzz: ${message}\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
  return EXIT_USAGE;
}

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** `parseArgs` (strict) that returns a one-line message instead of throwing on bad arguments. */
export function parseCommandArgs<T extends ParseArgsConfig>(
  config: T,
): { readonly ok: true; readonly value: Parsed<T> } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, value: parseArgs<T>({ strict: true, ...config }) };
  } catch (e) {
    const text = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    // Node's unknown-option message is long; keep the part that matters.
    const unknown = /^Unknown option '([^']+)'/.exec(text);
    return { ok: false, message: unknown !== null ? `unknown option "${unknown[1]}"` : text };
  }
}

/** The io to use when a command is called without one. */
export function ioOrDefault(io: CliIo | undefined): CliIo {
  return io ?? processIo();
}
