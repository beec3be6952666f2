/** The shape of a CLI command. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  readonly name: string;
  /** One line for the help listing. */
  readonly summary: string;
  readonly usage: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(argv: string[], io: CliIO): number | Promise<number>;
}
