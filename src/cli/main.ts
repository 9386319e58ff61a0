// `stowage` command line over the core engine. Ctrl-C aborts the running operation cleanly.
import './engineFlags';
import { defaultIO, runCli } from './run';
import { terminalLines } from './command';

// A password or token given on the command line must not stay readable in the process list (ps,
// /proc/<pid>/cmdline) while we run: setting the title overwrites the memory the arguments were in.
// Custom headers (-H) count: they often carry an API key.
const SECRET_FLAGS = [
  '-p',
  '--password',
  '--from-password',
  '--to-password',
  '--identity-token',
  '-H',
  '--header',
  '--from-header',
  '--to-header',
];
if (process.argv.some((a) => SECRET_FLAGS.some((flag) => a === flag || a.startsWith(`${flag}=`))))
  process.title = 'stowage';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
// `stowage … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli(process.argv.slice(2), defaultIO(), controller.signal).then(
  (code) => {
    // Interrupted and cleaned up: end by the signal itself (exit status 130 in a shell), as a shell expects of a
    // child that Ctrl-C stopped, so `for t in …; do stowage pull …; done` stops too instead of going on to the next.
    // The SIGINT listener was `once`: this one takes the default action.
    if (code !== 0 && controller.signal.aborted) process.kill(process.pid, 'SIGINT');
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(terminalLines(`stowage: ${err instanceof Error ? err.message : String(err)}`));
    process.exitCode = 1;
  },
);
