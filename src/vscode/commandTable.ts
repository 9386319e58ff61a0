// Every command id and the function behind it: the one table `registerCommands` registers. Its type asks for a
// handler for each id of `COMMAND_IDS` and refuses any other, so a command cannot be left out or added on the side.
import type * as vscode from 'vscode';
import type { CommandTable } from './registerCommands';
import { about } from './commands/about';
import { addLayoutFolder } from './commands/addLayoutFolder';
import { addRegistry } from './commands/addRegistry';
import { addRepository } from './commands/addRepository';
import { addTag } from './commands/addTag';
import { backupRepository } from './commands/backupRepository';
import { copyRepositoryTo } from './commands/copyRepositoryTo';
import { cleanUpTags } from './commands/cleanUpTags';
import { copyDigest } from './commands/copyDigest';
import { compareArtifacts } from './commands/compareArtifacts';
import { copyPinnedReference } from './commands/copyPinnedReference';
import { copyReference } from './commands/copyReference';
import { copyTo } from './commands/copyTo';
import { deleteArtifact } from './commands/deleteArtifact';
import { garbageCollectLayout } from './commands/garbageCollectLayout';
import { login } from './commands/login';
import { logout } from './commands/logout';
import { newLayout } from './commands/newLayout';
import { openBlob, openLayerFile } from './commands/openBlob';
import { openInBrowser } from './commands/openInBrowser';
import { openManifest } from './commands/openManifest';
import { pullArtifact } from './commands/pullArtifact';
import { pushArtifact } from './commands/pushArtifact';
import { pushManifest } from './commands/pushManifest';
import { refreshLayouts, refreshRegistries } from './commands/refresh';
import { removeRegistry } from './commands/removeRegistry';
import { reportIssue } from './commands/reportIssue';
import { clearRegistryFilter, filterRegistries } from './commands/filterRegistries';
import { removeRepository } from './commands/removeRepository';
import { setNamespaces } from './commands/setNamespaces';
import { sortTags } from './commands/sortTags';
import { restoreToRegistry } from './commands/restoreToRegistry';
import { setCaFile } from './commands/setCaFile';
import { setClientCertificate } from './commands/setClientCertificate';
import { usePlainHttp } from './commands/usePlainHttp';
import { useHttps } from './commands/useHttps';
import { errorAction, loadMore } from './commands/treeActions';
import {
  validateLayoutCommand,
  type LayoutTargetArgument,
  type LayoutValidationResults,
} from './lint/validateLayoutCommand';
import { pickLayoutFolder } from './commands/pickLayoutFolder';
import { showGraph } from './graph/showGraph';
import { attachFile } from './supplyChain/attachFile';
import { attachSbom } from './supplyChain/attachSbom';
import { attachSignature } from './supplyChain/attachSignature';
import { createSigningKey } from './supplyChain/createSigningKey';
import type { SupplyChainContext } from './supplyChain/SupplyChainContext';
import { verifySignatures } from './supplyChain/verifySignatures';
import { checkSupplyChain } from './supplyChain/checkSupplyChain';
import { checkReferrers } from './referrers/checkReferrers';
import type { ReferrersReports } from './referrers/ReferrersReports';
import { repairReferrers } from './referrers/repairReferrers';
import { openRegistrySettings } from './commands/openRegistrySettings';
import { removeTag } from './commands/removeTag';

/** What the commands share: every command's context, the supply chain's, and the editor's own parts. */
export interface CommandTableContext extends SupplyChainContext {
  extension: vscode.ExtensionContext;
  layoutValidation: LayoutValidationResults;
  referrersReports: ReferrersReports;
}

export function commandTable(ctx: CommandTableContext): CommandTable {
  return {
    'stowage.about': about(ctx.extension, ctx.log),
    'stowage.registry.add': addRegistry(ctx),
    'stowage.registry.remove': removeRegistry(ctx),
    'stowage.registry.login': login(ctx),
    'stowage.registry.logout': logout(ctx),
    'stowage.registry.setCaFile': setCaFile(ctx),
    'stowage.registry.setClientCertificate': setClientCertificate(ctx),
    'stowage.registry.usePlainHttp': usePlainHttp(ctx),
    'stowage.registry.useHttps': useHttps(ctx),
    'stowage.registries.openSettings': openRegistrySettings(),
    'stowage.repository.add': addRepository(ctx),
    'stowage.repository.backup': backupRepository(ctx),
    'stowage.repository.copyTo': copyRepositoryTo(ctx),
    'stowage.repository.cleanUpTags': cleanUpTags(ctx),
    'stowage.layout.addFolder': addLayoutFolder(ctx),
    'stowage.layout.new': newLayout(ctx),
    'stowage.layout.garbageCollect': garbageCollectLayout(ctx),
    'stowage.layout.restore': restoreToRegistry(ctx),
    'stowage.artifact.push': pushArtifact(ctx),
    'stowage.artifact.pull': pullArtifact(ctx),
    'stowage.artifact.copyTo': copyTo(ctx),
    'stowage.artifact.addTag': addTag(ctx),
    'stowage.artifact.removeTag': removeTag(ctx),
    'stowage.artifact.delete': deleteArtifact(ctx),
    'stowage.artifact.copyReference': copyReference(ctx),
    'stowage.artifact.copyDigest': copyDigest(ctx),
    'stowage.artifact.compareWith': compareArtifacts(ctx),
    'stowage.artifact.compareSelected': compareArtifacts(ctx),
    'stowage.artifact.compareFiles': compareArtifacts(ctx, 'files'),
    'stowage.artifact.copyPinnedReference': copyPinnedReference(ctx),
    'stowage.artifact.openInBrowser': openInBrowser(ctx),
    'stowage.showLog': () => ctx.log.show(),
    'stowage.reportIssue': reportIssue(ctx, ctx.extension),
    'stowage.manifest.open': openManifest(ctx),
    'stowage.manifest.push': pushManifest(ctx),
    'stowage.blob.open': openBlob(ctx),
    'stowage.layerFile.open': openLayerFile(ctx),
    'stowage.registries.refresh': refreshRegistries(ctx),
    'stowage.layouts.refresh': refreshLayouts(ctx),
    'stowage.tree.loadMore': loadMore(ctx),
    'stowage.tree.errorAction': errorAction(ctx),
    'stowage.lint.validateLayout': async (folder?: LayoutTargetArgument) => {
      // From the palette: the layouts the view shows, or any folder.
      const target =
        folder ??
        (await pickLayoutFolder(ctx, {
          title: 'Validate Layout',
          placeHolder: 'The OCI image layout to validate',
          anyFolder: true,
        }));
      return target === undefined ? undefined : validateLayoutCommand(ctx.layoutValidation, target, ctx.prompts());
    },
    'stowage.graph.show': showGraph(ctx),
    'stowage.artifact.attachSbom': attachSbom(ctx),
    'stowage.artifact.attachSignature': attachSignature(ctx),
    'stowage.artifact.attachFile': attachFile(ctx),
    'stowage.artifact.verify': verifySignatures(ctx),
    'stowage.repository.checkSupplyChain': checkSupplyChain(ctx),
    'stowage.signing.createKey': createSigningKey(ctx),
    'stowage.registries.filter': filterRegistries(ctx),
    'stowage.registries.clearFilter': clearRegistryFilter(ctx),
    'stowage.registries.sortTags': sortTags(ctx),
    'stowage.repository.remove': removeRepository(ctx),
    'stowage.registry.setNamespaces': setNamespaces(ctx),
    'stowage.referrers.check': checkReferrers(ctx),
    'stowage.referrers.repair': repairReferrers(ctx),
  };
}
