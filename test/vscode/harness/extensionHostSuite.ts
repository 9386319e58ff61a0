// Phase 1: runs the mocha suite inside VS Code's extension host. The workbench loads the extension and the suite
// from the URL payload; the extension host reports its exit code through `codeAutomationExit` and its console
// through `codeAutomationLog`; the suite's own result file says which tests passed.
import * as fs from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { workbenchUrl } from '../../../scripts/vscodeRuntime/workbenchUrl';
import type { SuiteResult } from '../suite/suiteResult';
import { recordBrowserConsole, resultPath, saveScreenshot } from './artifacts';
import type { Scoreboard } from './scoreboard';

export interface ExtensionHostSuiteOptions {
  baseUrl: string;
  workspace: string;
  extensionPath: string;
  /** Compiled suite index, without `.js`. */
  suiteIndex: string;
  /** The file the suite writes (the server's environment names it). */
  resultFile: string;
  timeoutMs: number;
}

interface HostExit {
  code: number;
  logs: { relativePath: string; contents: string }[];
}

const PHASE = 'extension host';

export async function runExtensionHostSuite(
  context: BrowserContext,
  scoreboard: Scoreboard,
  options: ExtensionHostSuiteOptions,
): Promise<void> {
  fs.rmSync(options.resultFile, { force: true });
  const page = await context.newPage();
  recordBrowserConsole(page, 'suite');
  const consoleLog = resultPath('suite-extension-host.log');
  await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
    fs.appendFileSync(consoleLog, `[${level}] ${Array.isArray(args) ? args.join(' ') : String(args)}\n`);
  });
  let reportExit: (exit: HostExit) => void = () => undefined;
  const exited = new Promise<HostExit>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number, logs: HostExit['logs'] = []) =>
    reportExit({ code, logs }),
  );

  try {
    await page.goto(
      workbenchUrl(options.baseUrl, {
        folder: options.workspace,
        extensionDevelopmentPath: options.extensionPath,
        extensionTestsPath: options.suiteIndex,
      }),
      // The suite's exit is what counts (raced below); a busy machine can take longer than the default 30 s
      // before the workbench page fires "load".
      { waitUntil: 'domcontentloaded', timeout: options.timeoutMs },
    );
    const exit = await Promise.race([exited, timeout(options.timeoutMs)]);
    if (!exit) {
      scoreboard.fail(
        `${PHASE}: suite finished`,
        new Error(`no exit from the extension host within ${options.timeoutMs} ms`),
      );
      await saveScreenshot(page, 'suite-timeout');
      return;
    }
    saveWorkbenchLogs(exit.logs);
    recordSuiteResult(scoreboard, options.resultFile, exit.code);
    if (exit.code !== 0) await saveScreenshot(page, 'suite-failed');
  } finally {
    await page.close();
  }
}

function recordSuiteResult(scoreboard: Scoreboard, resultFile: string, exitCode: number): void {
  if (!fs.existsSync(resultFile)) {
    scoreboard.fail(
      `${PHASE}: suite ran`,
      new Error(`exit code ${exitCode} and no result file; see ${resultPath('suite-extension-host.log')}`),
    );
    return;
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const title of result.passed) scoreboard.pass(`${PHASE}: ${title}`);
  for (const failure of result.failed) scoreboard.fail(`${PHASE}: ${failure.title}`, failure.error);
  if (exitCode !== 0 && result.failed.length === 0) {
    scoreboard.fail(`${PHASE}: suite exit code`, new Error(`extension host exited with ${exitCode}`));
  }
  if (exitCode === 0 && result.passed.length === 0) {
    scoreboard.fail(`${PHASE}: suite ran tests`, new Error('the suite reported no passing tests'));
  }
}

function saveWorkbenchLogs(logs: HostExit['logs']): void {
  const text = logs.map((log) => `===== ${log.relativePath}\n${log.contents}`).join('\n');
  if (text) fs.writeFileSync(resultPath('suite-workbench-logs.txt'), text);
}

function timeout(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
