// Extension entry, kept light: opening a JSON file activates Stowage for linting alone. Stores, secrets, trees,
// transfers and the supply chain live in the workbench bundle (workbench.ts), loaded the first time a Stowage view
// shows, a command runs or a `stowage:` document opens. Thin: the work happens in src/core.
import { ENTRY_LOADED_AT } from './activationClock';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from './commandIds';
import { registerLinting } from './lint/registerLinting';
import { registerCommands, type CommandTable } from './registerCommands';
import { exportsFor, type StowageTestApi } from './testApi';
import { untrustedTextLog } from './log';
import type { Workbench } from './workbench';
import type * as WorkbenchExports from './workbench';

type WorkbenchModule = Pick<typeof WorkbenchExports, 'startWorkbench' | 'lintSbom'>;
import {
  DeferredDragAndDrop,
  DeferredTreeProvider,
  registerDeferredDocuments,
  type WorkbenchShell,
} from './workbenchShell';

export function activate(context: vscode.ExtensionContext): StowageTestApi | undefined {
  // What Stowage costs: evaluating its entry bundle, then activate() itself. Between the two the editor prepares
  // the extension's context (storage, secrets), which is not Stowage's time and is reported apart.
  const activateStarted = performance.now();
  const phases: Record<string, number> = {
    moduleEvaluation: MODULE_EVALUATED_AT - ENTRY_LOADED_AT,
    editorBeforeActivate: activateStarted - MODULE_EVALUATED_AT,
  };
  const lap = (name: string) => (phases[name] = performance.now() - activateStarted);
  const channel = vscode.window.createOutputChannel('Stowage', { log: true });
  context.subscriptions.push(channel);
  const log = untrustedTextLog(channel);
  lap('log');
  // The workbench bundle holds what validates an SBOM: loaded (not started) when the first SBOM is linted.
  const workbenchModule = () => require(path.join(__dirname, 'workbench.js')) as WorkbenchModule;
  const { linter, layoutValidation } = registerLinting(context, log, (text) => workbenchModule().lintSbom(text));
  lap('linting');

  let workbench: Workbench | undefined;
  let loading: Promise<Workbench> | undefined;
  let workbenchLoadMs: number | undefined;
  const load = (): Promise<Workbench> =>
    (loading ??= (async () => {
      const started = performance.now();
      // A separate bundle beside this one (esbuild leaves a computed require alone).
      workbench = workbenchModule().startWorkbench(context, shell);
      workbenchLoadMs = performance.now() - started;
      log.info(`Stowage workbench loaded in ${workbenchLoadMs.toFixed(0)} ms`);
      return workbench;
    })());

  const registriesTree = new DeferredTreeProvider(load);
  const layoutsTree = new DeferredTreeProvider(load);
  const dragAndDrop = new DeferredDragAndDrop(load);
  const view = (id: string, treeDataProvider: DeferredTreeProvider) =>
    vscode.window.createTreeView(id, {
      treeDataProvider,
      showCollapseAll: true,
      canSelectMany: true,
      dragAndDropController: dragAndDrop,
    });
  const shell: WorkbenchShell = {
    log,
    layoutValidation,
    registriesView: view('stowage.registries', registriesTree),
    layoutsView: view('stowage.layouts', layoutsTree),
    registriesTree,
    layoutsTree,
    dragAndDrop,
  };
  lap('views');
  context.subscriptions.push(
    shell.registriesView,
    shell.layoutsView,
    registerDeferredDocuments(async () => (await load()).documents),
  );
  registerCommands(context, deferredCommands(load), (id, error, subject) => {
    if (workbench) workbench.onCommandError(id, error, subject);
    else log.error(`${id}: ${String(error)}`);
  });

  lap('commands');
  const activationMs = phases['moduleEvaluation']! + (performance.now() - activateStarted);
  log.info(`Stowage activated in ${activationMs.toFixed(1)} ms (linting; the rest loads when first used)`);
  return exportsFor(context.extensionMode, {
    current: () => workbench?.parts,
    load: async () => (await load()).parts,
    activation: () => ({ activationMs, phases, workbenchLoaded: workbench !== undefined, workbenchLoadMs }),
    lintThreadChecks: () => linter.checkedOnThread,
  });
}

/** Every command loads the workbench, then runs its handler there. */
function deferredCommands(load: () => Promise<Workbench>): CommandTable {
  const table = {} as Record<CommandId, (...args: unknown[]) => Promise<unknown>>;
  for (const id of COMMAND_IDS)
    table[id] = async (...args) => ((await load()).commands[id] as (...a: unknown[]) => unknown)(...args);
  return table;
}

/** The end of this module's evaluation: every import above has run. */
const MODULE_EVALUATED_AT = performance.now();

export function deactivate(): void {
  // Subscriptions are disposed by VS Code.
}
