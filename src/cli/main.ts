/**
 * The `kube-netlens` command line: the same analysis as the extension, for CI and terminals.
 * Exit codes: 0 success, 1 findings at error severity (`check`), 2 usage or input errors,
 * 3 connectivity changed (`diff`), 4 internal error.
 */
import { UsageError } from './args';
import type { CliIO } from './command';
import { COMMANDS } from './commands/index';
import { VERSION } from './version';

function help(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length));
  return [
    'Usage: kube-netlens <command> PATH... [options]',
    '',
    'Commands:',
    ...COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'PATH is a manifest file or a folder, read recursively (*.yaml, *.yml, *.json).',
    'Run `kube-netlens <command> --help` for a command\'s options.',
    'Exit codes: 0 success, 1 errors found (check), 2 usage or input error, 3 connectivity changed (diff), 4 internal error.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return 0;
  }
  const command = COMMANDS.find(c => c.name === name);
  if (!command) {
    io.err(`kube-netlens: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kube-netlens ${name}: ${e.message}\nUsage: ${command.usage}`);
      return 2;
    }
    io.err(`kube-netlens ${name}: internal error: ${(e as Error).stack ?? e}`);
    return 4;
  }
}

if (require.main === module) {
  // `kube-netlens ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', e => { if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  const io: CliIO = { out: line => process.stdout.write(line + '\n'), err: line => process.stderr.write(line + '\n') };
  main(process.argv.slice(2), io).then(code => { process.exitCode = code; });
}
