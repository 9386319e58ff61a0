// Dispatches a command line to its command. Exit codes: 0 success, 1 failure, 2 usage.
export const VERSION = '0.1.0';

const USAGE = `Usage: stowage <command> [options]

Commands:
  version            print the version

Options:
  -h, --help         show help
`;

export async function runCli(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command] = args;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    out.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'version' || command === '--version') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  err.write(`stowage: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}
