// `npm run test:vscode`: runs Stowage in real VS Code (code-server) driven by headless Chromium, in three phases:
//   suite     the mocha suite in test/vscode/suite inside the extension host;
//   ui        the UI checks in test/vscode/ui against the workbench with the extension under development;
//   package   the .vsix built, its contents checked, installed and checked in a workbench of its own;
//   demo      `npm start` run, its URL opened and checked, stopped with Ctrl-C.
// `-- --only=suite,ui` runs a subset of phases; `-- --grep=a,b` only the suite tests and UI checks whose names
// contain one of the texts (case-insensitive; the UI phase still opens its workbench first). Screenshots and logs go to test-results/vscode/. Exit code 0 only when
// every check passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../../scripts/vscodeRuntime/codeServer';
import { pickPort } from '../../scripts/vscodeRuntime/freePort';
import { ensureCodeServerRuntime } from '../../scripts/vscodeRuntime/installRuntime';
import { workbenchUrl } from '../../scripts/vscodeRuntime/workbenchUrl';
import { REPO_ROOT, RESULTS_DIR, resetResultsDir, resultPath } from './harness/artifacts';
import { launchBrowser } from './harness/browser';
import { runDemoPhase } from './harness/demoPhase';
import { runExtensionHostSuite } from './harness/extensionHostSuite';
import { runPackagedExtensionPhase } from './harness/packagedExtensionPhase';
import { Scoreboard } from './harness/scoreboard';
import { settingsFiles, snapshotFiles } from './harness/settingsSnapshot';
import { runUiChecks } from './harness/uiPhase';
import { SUITE_GREP_ENV, SUITE_RESULT_FILE_ENV } from './suite/suiteResult';
import { hostileTextChecks } from './ui/hostileText.checks';
import { referrerGraphChecks } from './ui/referrerGraph.checks';
import { unreachableRegistryChecks } from './ui/unreachableRegistry.checks';
import { referrerGraphActionChecks } from './ui/referrerGraphActions.checks';
import { referrerGraphAppearanceChecks } from './ui/referrerGraphAppearance.checks';
import { referrerGraphExpandChecks } from './ui/referrerGraphExpand.checks';
import { referrerGraphFilterChecks } from './ui/referrerGraphFilter.checks';
import { referrerGraphForgedChecks } from './ui/referrerGraphForged.checks';
import { referrerGraphExportChecks } from './ui/referrerGraphExport.checks';
import { referrerGraphLayoutChecks } from './ui/referrerGraphLayout.checks';
import { referrerGraphScaleChecks } from './ui/referrerGraphScale.checks';
import { backupRestoreCancelChecks } from './ui/backupRestoreCancel.checks';
import { referrerGraphKeyboardChecks } from './ui/referrerGraphKeyboard.checks';
import { verifyCancelChecks } from './ui/verifyCancel.checks';
import { stowageTreeChecks } from './ui/stowageTree.checks';
import { stowageWorkbenchChecks } from './ui/stowageWorkbench.checks';
import { digestColourChecks } from './ui/digestColours.checks';
import { accessibilityChecks } from './ui/accessibility.checks';
import type { UiCheck } from './ui/uiCheck';

const PHASES = ['suite', 'ui', 'package', 'demo'] as const;
type Phase = (typeof PHASES)[number];
// Guards against a hang, not timings: a full run takes 5–7 minutes on a quiet 2-core machine, and the suite alone
// (over 200 tests) took 173 s at load 9 and was cut off at its old 3-minute bound.
const OVERALL_TIMEOUT_MS = 30 * 60 * 1000;
const SUITE_TIMEOUT_MS = 10 * 60 * 1000;

async function main(): Promise<number> {
  const started = Date.now();
  const phases = selectedPhases(process.argv.slice(2));
  const grep = process.argv
    .slice(2)
    .find((arg) => arg.startsWith('--grep='))
    ?.slice('--grep='.length);
  const wanted = grep?.toLowerCase().split(',').filter(Boolean) ?? [];
  const selected = (check: UiCheck) => !wanted.length || wanted.some((text) => check.name.toLowerCase().includes(text));
  resetResultsDir();
  const scoreboard = new Scoreboard();
  const runtime = await ensureCodeServerRuntime();
  const workspace = path.join(RESULTS_DIR, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const context = await launchBrowser(path.join(RESULTS_DIR, 'chromium-profile'));

  try {
    if (phases.has('suite') || phases.has('ui')) {
      const suiteResultFile = resultPath('suite-result.json');
      const server = await startCodeServer({
        runtime,
        runDir: path.join(RESULTS_DIR, 'server-development'),
        port: await pickPort(),
        workspace,
        smokeTestDriver: true,
        env: { [SUITE_RESULT_FILE_ENV]: suiteResultFile, ...(grep ? { [SUITE_GREP_ENV]: grep } : {}) },
      });
      try {
        if (phases.has('suite')) {
          // A suite cut off before its `after` hooks leaves registries and settings behind; the UI checks then see
          // them and fail for a reason of the suite's. Its settings are put back as they were, whatever happened.
          const settingsBefore = snapshotFiles(settingsFiles(server.userDataDir, workspace));
          try {
            await timedPhase('extension-host suite', () =>
              runExtensionHostSuite(context, scoreboard, {
                baseUrl: server.baseUrl,
                workspace,
                extensionPath: REPO_ROOT,
                suiteIndex: path.join(__dirname, 'suite', 'index'),
                resultFile: suiteResultFile,
                timeoutMs: SUITE_TIMEOUT_MS,
              }),
            );
          } finally {
            settingsBefore.restore();
          }
        }
        if (phases.has('ui')) {
          const url = workbenchUrl(server.baseUrl, { folder: workspace, extensionDevelopmentPath: REPO_ROOT });
          const treeChecks = stowageTreeChecks(workspace, 'development');
          const hostileChecks = hostileTextChecks('development');
          const unreachableChecks = unreachableRegistryChecks('development');
          const graphChecks = [
            ...referrerGraphChecks('development'),
            ...referrerGraphExportChecks(workspace),
            ...referrerGraphExpandChecks(),
            ...referrerGraphFilterChecks(),
            ...referrerGraphKeyboardChecks(),
            ...referrerGraphForgedChecks(),
            ...referrerGraphLayoutChecks('development'),
            ...referrerGraphActionChecks(),
            ...referrerGraphScaleChecks(),
            ...referrerGraphAppearanceChecks('development'),
            ...accessibilityChecks(workspace, 'development'),
          ];
          try {
            await timedPhase('UI checks, extension under development', () =>
              runUiChecks(
                context,
                scoreboard,
                'development',
                url,
                [
                  ...stowageWorkbenchChecks('development'),
                  ...digestColourChecks(workspace, 'development'),
                  ...treeChecks.checks,
                  ...graphChecks,
                  ...hostileChecks.checks,
                  ...unreachableChecks.checks,
                  ...backupRestoreCancelChecks(workspace),
                  // Last: it leaves a registry that no longer answers in the settings.
                  ...verifyCancelChecks(workspace),
                ].filter(selected),
              ),
            );
          } finally {
            await hostileChecks.dispose();
            await unreachableChecks.dispose();
            await treeChecks.dispose();
          }
        }
      } finally {
        await server.stop();
      }
    }
    if (phases.has('package')) {
      const port = await pickPort();
      await timedPhase('packaged extension', () =>
        runPackagedExtensionPhase(context, scoreboard, {
          runtime,
          runDir: path.join(RESULTS_DIR, 'server-installed'),
          port,
          workspace,
        }),
      );
    }
    if (phases.has('demo')) {
      const port = await pickPort();
      await timedPhase('npm start', () =>
        runDemoPhase(context, scoreboard, { demoDir: path.join(RESULTS_DIR, 'demo'), port }),
      );
    }
  } catch (error) {
    scoreboard.fail('harness', error);
  } finally {
    await context.close();
    fs.rmSync(path.join(RESULTS_DIR, 'chromium-profile'), { recursive: true, force: true });
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${scoreboard.summary('vscode')} (${seconds} s; screenshots and logs in ${path.relative(process.cwd(), RESULTS_DIR) || '.'})`,
  );
  return scoreboard.failedCount === 0 && scoreboard.passedCount > 0 ? 0 : 1;
}

async function timedPhase(name: string, body: () => Promise<void>): Promise<void> {
  console.log(name);
  const started = Date.now();
  await body();
  console.log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function selectedPhases(args: string[]): Set<Phase> {
  const only = args.find((arg) => arg.startsWith('--only='));
  if (!only) return new Set(PHASES);
  const names = only.slice('--only='.length).split(',');
  const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return new Set(names as Phase[]);
}

// Servers live in their own process groups, out of reach of the terminal's Ctrl-C: exit through 'exit' hooks,
// which kill them.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`vscode: ${signal}, stopping`);
    process.exit(130);
  });
}

const overall = setTimeout(() => {
  console.error(`vscode: timed out after ${OVERALL_TIMEOUT_MS / 1000} s (process groups are killed on exit)`);
  process.exit(2);
}, OVERALL_TIMEOUT_MS);

main().then(
  (code) => {
    clearTimeout(overall);
    process.exitCode = code;
  },
  (error: unknown) => {
    clearTimeout(overall);
    console.error(error);
    console.error('vscode: 0 passed, 1 failed (harness error)');
    process.exitCode = 1;
  },
);
