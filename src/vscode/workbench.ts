// The editor beyond linting: stores, secrets, the two trees, documents, commands and the supply chain. Its own
// bundle (dist/workbench.js), loaded by extension.ts the first time a Stowage view shows, a command runs or a
// `stowage:` document opens — so opening a JSON file costs only the linter.
import * as vscode from 'vscode';
import { StowageDocuments } from './documents/StowageDocuments';
import { createHttpLogger } from './log';
import { hashingWorkerWrites } from '../core/content';
import { runningStatusBarReads, runningTransfers, shownTransferProgress } from './progress';
import { windowPrompts, type Prompts } from './prompts';
import type { CommandId } from './commandIds';
import { commandTable } from './commandTable';
import type { CommandTable } from './registerCommands';
import { SecretCredentials } from './secrets';
import { onSettingsChanged, readSettings } from './settings';
import type { StowageSettings } from './settingsModel';
import { Stores } from './stores';
import { ArtifactDragAndDrop } from './tree/dragAndDrop';
import { pinnedReferenceOf } from './commands/pinnedReference';
import { LayoutsProvider } from './tree/LayoutsProvider';
import { RegistriesProvider } from './tree/RegistriesProvider';
import { RegistryFilters } from './tree/RegistryFilters';
import { refreshStore, type CommandContext } from './commands/CommandContext';
import { SHOW_LOG } from './commands/notifyTransferDone';
import { AuthError, OciError, TlsError, repositoryProblem, registryId, type StoreRef } from '../core/oci';
import { adviseOn, isCancellation, stepCommand } from './errorAdvice';
import { isManifestNode, isNode, type RegistryNode, type TreeNode } from './tree/nodes';
import { createSupplyChain } from './supplyChain/createSupplyChain';
import type { ExtensionParts } from './testApi';
import { ReferrersReports } from './referrers/ReferrersReports';
import type { WorkbenchShell } from './workbenchShell';
import { commandTitle, failureMessage } from './commandTitles';
import { sentence } from './commands/sentence';

// For the linter in the entry bundle, which recognises SBOMs but leaves validating them to this bundle.
export { lintSbom } from '../core/supplyChain';

export interface Workbench {
  commands: CommandTable;
  onCommandError(id: CommandId, error: unknown, subject?: unknown): void;
  documents: StowageDocuments;
  parts: ExtensionParts;
}

export function startWorkbench(context: vscode.ExtensionContext, shell: WorkbenchShell): Workbench {
  const { log, layoutValidation, registriesView, layoutsView } = shell;

  let settings: StowageSettings = readSettings();
  const currentSettings = () => settings;
  let prompts: Prompts = windowPrompts;
  const currentPrompts = () => prompts;

  const secrets = new SecretCredentials(context.secrets);
  const stores = new Stores(currentSettings, secrets, {
    logger: createHttpLogger(log, () => settings.verboseHttpLog),
    // A registry's warning (a deprecation, an expiring token): in the log, and shown once per registry and text.
    // One of Stowage's own (a clean-up that failed after a write succeeded) already names the repository.
    onWarning: ({ registry, text, ours }) => {
      log.warn(ours ? text : `Warning from ${registry}: ${text}`);
      void prompts.notify('warning', ours ? text : `${registry}: ${text}`);
    },
  });
  const filters = new RegistryFilters(context.globalState);
  const registries = new RegistriesProvider(stores, currentSettings, secrets, currentPrompts, filters);
  const layouts = new LayoutsProvider(stores, currentSettings);
  const documents = new StowageDocuments(stores);
  context.subscriptions.push(secrets, stores, registries, layouts, documents);

  const dragAndDrop = new ArtifactDragAndDrop(
    (host, suggestion) =>
      prompts
        .input({
          title: `Copy into ${host}`,
          prompt: 'Repository',
          value: suggestion,
          validateInput: (v) => sentence(repositoryProblem(v.trim())),
        })
        .then((v) => v?.trim()),
    (node) => pinnedReferenceOf(stores, node),
  );
  shell.registriesTree.attach(registries);
  shell.layoutsTree.attach(layouts);
  shell.dragAndDrop.attach(dragAndDrop);
  // While a filter narrows a registry the view shows: the view's description says so, and "Clear Filter" shows.
  const showFilters = () => {
    const description = filters.describe((host) => settings.registries.some((r) => r.host === host));
    registriesView.description = description;
    void vscode.commands.executeCommand('setContext', 'stowage.registries.filtered', description !== undefined);
  };
  showFilters();
  context.subscriptions.push(
    filters.onDidChange(showFilters),
    // Collapsing a node stops what is still loading under it (a referrer walk, a page of tags).
    registriesView.onDidCollapseElement((e) => registries.collapsed(e.element)),
    layoutsView.onDidCollapseElement((e) => layouts.collapsed(e.element)),
    onSettingsChanged((next, event) => {
      settings = next;
      stores.settingsChanged();
      if (event.affectsConfiguration('stowage.registries')) {
        registries.refresh();
        showFilters();
      }
      if (event.affectsConfiguration('stowage.tree.tagOrder')) {
        registries.refresh();
        layouts.refresh();
      }
      if (event.affectsConfiguration('stowage.layouts')) layouts.settingsChanged();
    }),
    // Another window logged in or out: reconnect that registry only.
    secrets.onDidChange((host) => registries.credentialsChanged(host)),
  );

  // The views' selection, unless the tests name one (a view's selection cannot be cleared after a test).
  const viewSelection = (): readonly TreeNode[] => [...registriesView.selection, ...layoutsView.selection];
  let selection = viewSelection;
  const ctx: CommandContext = {
    stores,
    settings: currentSettings,
    prompts: currentPrompts,
    secrets,
    registries,
    layouts,
    log,
    selectedArtifacts: () => selection().filter(isManifestNode),
    storeChanges: new vscode.EventEmitter<StoreRef>(),
  };
  context.subscriptions.push(ctx.storeChanges);
  const onCommandError = (id: CommandId, error: unknown, subject?: unknown) => {
    if (isCancellation(error)) {
      // The progress notification vanished on Cancel: a short word in the status bar says the work stopped.
      vscode.window.setStatusBarMessage(`${commandTitle(context.extensionPath, id) ?? 'Stowage'}: cancelled`, 5000);
      return;
    }
    const advice = adviseOn(error);
    const title = commandTitle(context.extensionPath, id);
    log.error(`${failureMessage(title, advice.message)} (${id})`);
    // A tag or manifest deleted elsewhere since the view listed it: show the store as it is now.
    const stale = OciError.is(error, 'NOT_FOUND') && isNode(subject) && 'store' in subject ? subject.store : undefined;
    if (stale) refreshStore(ctx, stale);
    const command = stepCommand(advice.step);
    const message = failureMessage(title, advice.message);
    void prompts.notify('error', message, ...(command ? [advice.stepLabel] : []), SHOW_LOG).then((choice) => {
      if (command && choice === advice.stepLabel) void vscode.commands.executeCommand(command, hostNode(error));
      if (choice === SHOW_LOG) void vscode.commands.executeCommand('stowage.showLog' satisfies CommandId);
    });
  };
  const supplyChain = createSupplyChain(context, ctx);
  registries.showVerification(supplyChain.verification);
  layouts.showVerification(supplyChain.verification);
  const referrersReports = new ReferrersReports();
  context.subscriptions.push(referrersReports);
  const commands = commandTable({ ...ctx, ...supplyChain, extension: context, layoutValidation, referrersReports });
  log.info('Stowage: registries, layouts and commands ready');

  return {
    commands,
    onCommandError,
    documents,
    parts: {
      registries,
      layouts,
      dragAndDrop,
      supplyChain,
      logUri: context.logUri,
      runningTransfers,
      shownTransferProgress,
      runningStatusBarReads,
      hashingWorkerWrites,
      usePrompts(replacement) {
        prompts = replacement;
        return new vscode.Disposable(() => {
          if (prompts === replacement) prompts = windowPrompts;
        });
      },
      useSelection(nodes) {
        const replacement = () => nodes;
        selection = replacement;
        return new vscode.Disposable(() => {
          if (selection === replacement) selection = viewSelection;
        });
      },
      writeLogin: (host, credentials) => (credentials ? secrets.store(host, credentials) : secrets.delete(host)),
      registriesDescription: () => registriesView.description,
      useNamespaceApis(bases) {
        stores.namespaceApiBases = bases;
      },
    },
  };
}

/** The registry a failure is about, as the node the login and CA commands take. */
function hostNode(error: unknown): RegistryNode | undefined {
  const host = error instanceof AuthError || error instanceof TlsError ? error.registry : undefined;
  return host ? { type: 'registry', id: registryId(host), setting: { host } } : undefined;
}
