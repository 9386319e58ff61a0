// `stowage` command line over the core engine.
import { runCli } from './run';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stowage: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
