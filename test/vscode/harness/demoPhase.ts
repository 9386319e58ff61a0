// Phase 4: `npm start` as a person uses it. Runs `npm start` (its prestart step included) with its own demo folder
// and port, opens the URL it prints, checks Stowage in that workbench, then sends Ctrl-C (SIGINT to its process group, as a terminal
// does) and proves that nothing it started is left running.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { spawnProcessGroup, type GroupProcess } from '../../../scripts/vscodeRuntime/processGroup';
import { demoContentIsShown } from '../ui/demoWorkspace.checks';
import { aboutFromCommandPalette, activityBarHasStowage, viewsAreShown } from '../ui/stowageWorkbench.checks';
import { REPO_ROOT, resultPath } from './artifacts';
import { processesCarrying } from './processScan';
import type { Scoreboard } from './scoreboard';
import { runUiChecks } from './uiPhase';

const PHASE = 'npm start';
const STARTUP_TIMEOUT_MS = 3 * 60 * 1000;
const STOP_TIMEOUT_MS = 30_000;

export async function runDemoPhase(
  context: BrowserContext,
  scoreboard: Scoreboard,
  options: { demoDir: string; port: number },
): Promise<void> {
  const logFile = resultPath('npm-start.log');
  const launcher = spawnProcessGroup('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, STOWAGE_DEMO_DIR: options.demoDir, STOWAGE_PORT: String(options.port) },
    logFile,
  });
  try {
    let url = '';
    const started = await scoreboard.check(`${PHASE}: prints the workbench URL`, async () => {
      url = await waitForPrintedUrl(logFile, launcher, options.port);
    });
    if (started) {
      // The demo starts a local registry only where the docker-registry binary exists; it says which in its log.
      const withRegistry = await demoHasRegistry(logFile);
      const checks = [
        activityBarHasStowage(),
        viewsAreShown('npm-start'),
        demoContentIsShown({ withRegistry }),
        aboutFromCommandPalette('npm-start'),
      ];
      await runUiChecks(context, scoreboard, PHASE, url, checks);
    }
    await scoreboard.check(`${PHASE}: Ctrl-C stops it and everything it started`, async () => {
      process.kill(-launcher.pid, 'SIGINT');
      const exit = await Promise.race([launcher.exited, delay(STOP_TIMEOUT_MS).then(() => 'still running')]);
      // npm re-raises the SIGINT its script got once the script has exited, as a shell expects of Ctrl-C.
      assert.ok(exit === 0 || exit === 'SIGINT', `npm start after SIGINT: ${exit}; log: ${logFile}`);
      const left = processesCarrying(options.demoDir);
      assert.deepEqual(left, [], `processes left running after Ctrl-C: ${left.join(', ')}`);
    });
  } finally {
    await launcher.stop();
    // It links the checkout into itself; a tool that follows links under test-results/ would loop.
    fs.rmSync(path.join(options.demoDir, 'extensions'), { recursive: true, force: true });
  }
}

async function waitForPrintedUrl(logFile: string, launcher: GroupProcess, port: number): Promise<string> {
  let exit: number | string | undefined;
  void launcher.exited.then((code) => (exit = code));
  const pattern = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?folder=\\S+`);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = pattern.exec(fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    if (match) return match[0];
    if (exit !== undefined) throw new Error(`npm start exited (${exit}) before printing its URL; log: ${logFile}`);
    await delay(250);
  }
  throw new Error(`npm start printed no URL within ${STARTUP_TIMEOUT_MS} ms; log: ${logFile}`);
}

async function demoHasRegistry(logFile: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const log = fs.readFileSync(logFile, 'utf8');
    if (/Local registry: http/.test(log)) return true;
    if (/No local registry/.test(log)) return false;
    await delay(100);
  }
  throw new Error(`npm start said neither "Local registry" nor "No local registry"; log: ${logFile}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
