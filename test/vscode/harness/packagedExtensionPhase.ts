// Phase 3: the extension as users get it. Builds the .vsix with `npm run package`, checks its file list, installs
// it into a fresh extensions folder with code-server's CLI and opens a workbench without any development path:
// Stowage must activate from the installed copy alone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startCodeServer } from '../../../scripts/vscodeRuntime/codeServer';
import { installVsix, listInstalledExtensions } from '../../../scripts/vscodeRuntime/installExtension';
import type { CodeServerRuntime } from '../../../scripts/vscodeRuntime/installRuntime';
import { runCommand } from '../../../scripts/vscodeRuntime/runCommand';
import { stowageWorkbenchChecks } from '../ui/stowageWorkbench.checks';
import { REPO_ROOT, resultPath } from './artifacts';
import type { Scoreboard } from './scoreboard';
import { runUiChecks } from './uiPhase';
import { assertVsixHoldsNothingElse, assertVsixHoldsWhatTheExtensionNeeds } from './vsixContents';
import { zipEntryNames } from './zipEntries';

const PHASE = 'installed vsix';
const VSIX = path.join(REPO_ROOT, 'stowage.vsix');

export interface PackagedExtensionOptions {
  runtime: CodeServerRuntime;
  runDir: string;
  port: number;
  workspace: string;
}

export async function runPackagedExtensionPhase(
  context: BrowserContext,
  scoreboard: Scoreboard,
  options: PackagedExtensionOptions,
): Promise<void> {
  const logFile = resultPath('package.log');
  const log = (chunk: string): void => fs.appendFileSync(logFile, chunk);

  const built = await scoreboard.check(`${PHASE}: npm run package builds stowage.vsix`, async () => {
    fs.rmSync(VSIX, { force: true });
    try {
      await runCommand('npm', ['run', 'package'], { cwd: REPO_ROOT, log });
    } finally {
      // `package` leaves production bundles in dist/; put the development ones (with source maps) back.
      await runCommand('node', ['esbuild.js'], { cwd: REPO_ROOT, log });
    }
    assert.ok(fs.existsSync(VSIX), `npm run package did not write ${VSIX}; see ${logFile}`);
  });
  if (built)
    await scoreboard.check(`${PHASE}: vsce packages it without a warning`, async () => {
      const warnings = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => /\bWARNING\b/.test(line));
      assert.deepEqual(warnings, [], `see ${logFile}`);
    });
  if (!built) return;

  const entries = zipEntryNames(VSIX);
  fs.writeFileSync(resultPath('vsix-entries.txt'), `${entries.join('\n')}\n`);
  await scoreboard.check(`${PHASE}: the vsix holds the bundle, the manifest and the icons`, async () =>
    assertVsixHoldsWhatTheExtensionNeeds(entries),
  );
  await scoreboard.check(`${PHASE}: the vsix holds no sources, tests, test output, node_modules or caches`, async () =>
    assertVsixHoldsNothingElse(entries),
  );

  const extensionsDir = path.join(options.runDir, 'extensions');
  const userDataDir = path.join(options.runDir, 'user-data');
  const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const installed = await scoreboard.check(`${PHASE}: code-server installs it`, async () => {
    await installVsix(options.runtime, VSIX, extensionsDir, userDataDir, log);
    const listed = listInstalledExtensions(options.runtime, extensionsDir, userDataDir);
    assert.ok(listed.includes(`stowage.stowage@${version}`), `installed extensions: ${JSON.stringify(listed)}`);
  });
  if (!installed) return;

  const server = await startCodeServer({
    runtime: options.runtime,
    runDir: options.runDir,
    port: options.port,
    workspace: options.workspace,
    extensionsDir,
  });
  try {
    const url = `${server.baseUrl}/?folder=${encodeURIComponent(options.workspace)}`;
    await runUiChecks(context, scoreboard, PHASE, url, stowageWorkbenchChecks('installed'));
  } finally {
    await server.stop();
  }
}
