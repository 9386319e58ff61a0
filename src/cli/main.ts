// `stowage` command line over the core engine. Ctrl-C aborts the running operation cleanly.
import { defaultIO, runCli } from './run';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));

runCli(process.argv.slice(2), defaultIO(), controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stowage: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
