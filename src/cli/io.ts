/**
 * How CLI commands talk to the outside: text to stdout and stderr, and the environment. Commands
 * take a `CliIo` so tests run them in-process and capture what they print; `processIo()` is the
 * real one used by `main.ts`.
 */
export interface CliIo {
  /** Write to standard output (the text includes its own newlines). */
  readonly out: (text: string) => void;
  /** Write to standard error. */
  readonly err: (text: string) => void;
  /** Environment variables (TCPFUZZ_DEBUG …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
  };
}

/** A CliIo that keeps everything in strings, for tests. */
export function memoryIo(env: Readonly<Record<string, string | undefined>> = {}): CliIo & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env,
    stdout: () => out,
    stderr: () => err,
  };
}
