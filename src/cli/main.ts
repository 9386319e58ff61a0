// `stowage` command line over the core engine. Ctrl-C, and the SIGTERM/SIGHUP a CI runner sends when a job is
// cancelled or its runner goes away, abort the running operation cleanly.
import { setMaxListeners } from 'node:events';
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
  '--from-identity-token',
  '--to-identity-token',
  '-H',
  '--header',
  '--from-header',
  '--to-header',
];
if (process.argv.some((a) => SECRET_FLAGS.some((flag) => a === flag || a.startsWith(`${flag}=`))))
  process.title = 'stowage';

const controller = new AbortController();
// Every request in flight follows the run's signal until it is over (core/content/linkedAbort.ts): a discover of an
// artifact with a dozen referrers has more at once than Node's leak warning expects, and a user saw "Possible
// EventTarget memory leak detected" on stderr. The listeners leave with their requests, so none is a leak.
setMaxListeners(0, controller.signal);
// The signal that stopped the run, re-raised once everything is cleaned up.
let stoppedBy: NodeJS.Signals | undefined;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function stop(signal: NodeJS.Signals): void {
  stoppedBy = signal;
  // Any second signal takes its default action and ends the process at once (an impatient user, a runner that
  // escalates): cleanup is what the first one asked for, not a promise to finish it.
  for (const s of STOP_SIGNALS) process.removeListener(s, stop);
  // A CI log says which: a cancelled job (SIGTERM) or a runner that went away (SIGHUP) reads differently from Ctrl-C.
  controller.abort(new Error(signal === 'SIGINT' ? 'interrupted' : `interrupted by ${signal}`));
}
for (const s of STOP_SIGNALS) process.on(s, stop);
// `stowage … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// A runner or terminal that went away (SIGHUP) takes the reader of stderr with it: the message that the run was
// stopped has nobody to read it, and failing to write it must not end the process before it ends by the signal.
process.stderr.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE' || err.code === 'EIO') return;
  throw err;
});

runCli(process.argv.slice(2), defaultIO(), controller.signal).then(
  (code) => {
    // Interrupted and cleaned up: end by the signal itself (status 130 for Ctrl-C, 143 for SIGTERM in a shell), as
    // a shell expects of a child a signal stopped, so `for t in …; do stowage pull …; done` stops too instead of
    // going on to the next, and a CI runner sees the job was cancelled. Its listener is gone: the default action.
    if (code !== 0 && stoppedBy) process.kill(process.pid, stoppedBy);
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(terminalLines(`stowage: ${err instanceof Error ? err.message : String(err)}`));
    process.exitCode = 1;
  },
);
