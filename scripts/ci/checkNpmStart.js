#!/usr/bin/env node
// CI's newcomer check of `npm start`: runs it in the given clone (which may have no node_modules and an empty
// cache), waits for the workbench URL it prints, checks that the URL answers 200 with the workbench and that the
// demo workspace holds the demo layout, then stops it with SIGINT as Ctrl-C in a terminal would and checks that
// it stops (npm re-raises the SIGINT) leaving nothing running. Plain Node: it must work before anything is installed.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// A first run installs the npm dependencies, Node 24 and code-server: a few minutes on a quiet machine.
const STARTUP_TIMEOUT_MS = 15 * 60 * 1000;
const STOP_TIMEOUT_MS = 30_000;
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/;

async function main() {
  const clone = path.resolve(process.argv[2] ?? '.');
  const logFile = path.join(clone, 'npm-start.log');
  const log = fs.openSync(logFile, 'w');
  const started = Date.now();
  const child = spawn('npm', ['start'], { cwd: clone, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let exit;
  void exited.then((code) => (exit = code));
  try {
    const url = await waitFor(
      () => {
        if (exit !== undefined) throw new Error(`npm start exited (${exit}) before printing its URL`);
        return URL_PATTERN.exec(fs.readFileSync(logFile, 'utf8'))?.[0];
      },
      STARTUP_TIMEOUT_MS,
      'npm start printed no workbench URL',
    );
    console.log(`npm start: URL after ${seconds(started)} s: ${url}`);

    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    const page = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (!/vscode|workbench/i.test(page)) throw new Error(`${url} answered 200 but not with the VS Code workbench`);
    const folder = new URL(url).searchParams.get('folder');
    const layoutIndex = path.join(folder, 'demo-layout', 'index.json');
    if (!fs.existsSync(layoutIndex))
      throw new Error(`the demo workspace has no demo layout: ${layoutIndex} is missing`);
    console.log('npm start: the workbench answers 200 and the demo workspace holds the demo layout');
  } catch (error) {
    console.error(`npm start check failed: ${error.message}\n--- ${logFile} (last lines)\n${tail(logFile, 40)}`);
    killGroup(child.pid, 'SIGKILL');
    process.exit(1);
  }

  killGroup(child.pid, 'SIGINT');
  const code = await Promise.race([exited, delay(STOP_TIMEOUT_MS).then(() => 'still running')]);
  // code-server runs in a process group of its own: find what is left by the folders it runs from.
  const left = processesCarrying([clone, process.env.XDG_CACHE_HOME].filter(Boolean));
  killGroup(child.pid, 'SIGKILL');
  for (const pid of left) killProcess(pid);
  // npm re-raises the SIGINT its script got once the script has exited, as a shell expects of Ctrl-C.
  const stopped = code === 0 || code === 'SIGINT';
  if (!stopped || left.length) {
    console.error(
      `npm start after Ctrl-C: exit ${code}${left.length ? `, still running: ${left.join(', ')}` : ''}\n${tail(logFile, 40)}`,
    );
    process.exit(1);
  }
  console.log(`npm start: stopped by Ctrl-C (${code}), nothing left running`);
}

async function waitFor(probe, timeoutMs, message) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value) return value;
    await delay(500);
  }
  throw new Error(`${message} within ${timeoutMs / 1000} s`);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function killProcess(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Live processes (other than this one) whose command line names one of the folders. */
function processesCarrying(folders) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let commandLine;
    try {
      commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (folders.some((folder) => commandLine.includes(folder))) found.push(Number(entry));
  }
  return found;
}

function tail(file, lines) {
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(0);
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error) => {
  console.error(`npm start check: ${error.stack ?? error}`);
  process.exit(1);
});
