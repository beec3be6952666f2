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
  /** Its page, `docs/cli/<name>.md`: the usage block there is generated from `usage` (npm run readme). */
  readonly docs: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(argv: string[], io: CliIO): number | Promise<number>;
}
