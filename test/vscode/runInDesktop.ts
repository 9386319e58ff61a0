// `npm run test:desktop`: the same extension-host suite as test:vscode, in desktop VS Code (Electron) through
// @vscode/test-electron. It needs either a desktop VS Code already installed (STOWAGE_VSCODE_EXECUTABLE=<path to
// the `code` binary>) or network access to download one into .vscode-test/, plus a display (xvfb-run on Linux).
// Where neither exists (this project's CI machine), it fails with that reason: it never passes without running.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { SUITE_RESULT_FILE_ENV, type SuiteResult } from './suite/suiteResult';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-desktop-'));
  const resultFile = path.join(scratch, 'suite-result.json');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const vscodeExecutablePath = process.env.STOWAGE_VSCODE_EXECUTABLE || undefined;
  try {
    await runTests({
      vscodeExecutablePath,
      // Fail fast instead of waiting on a download that cannot start.
      timeout: 20_000,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      extensionTestsEnv: { [SUITE_RESULT_FILE_ENV]: resultFile },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (error) {
    const how = vscodeExecutablePath
      ? `could not run ${vscodeExecutablePath}`
      : 'no STOWAGE_VSCODE_EXECUTABLE and VS Code could not be downloaded (needs network access)';
    console.error(`vscode desktop: ${how}: ${(error as Error).message ?? error}`);
  }
  return reportResult(resultFile);
}

function reportResult(resultFile: string): number {
  if (!fs.existsSync(resultFile)) {
    console.log('vscode desktop: 0 passed, 1 failed (the suite did not run)');
    return 1;
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const title of result.passed) console.log(`  ✓ ${title}`);
  for (const failure of result.failed) console.log(`  ✗ ${failure.title}\n      ${failure.error}`);
  console.log(`vscode desktop: ${result.passed.length} passed, ${result.failed.length} failed`);
  return result.failed.length === 0 && result.passed.length > 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
