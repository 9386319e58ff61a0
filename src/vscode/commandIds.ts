// Every command id the extension registers, in one list: the command table must cover exactly these (its type says
// so) and package.json `contributes.commands` must name exactly these (test/unit/vscode/commandIds.test.ts), so
// the table, the code that runs commands by id and the manifest cannot drift apart. Free of the editor API.

export const COMMAND_IDS = [
  'stowage.about',
  'stowage.registries.refresh',
  'stowage.layouts.refresh',
  'stowage.registry.add',
  'stowage.registry.remove',
  'stowage.registry.login',
  'stowage.registry.logout',
  'stowage.registry.setCaFile',
  'stowage.registry.setClientCertificate',
  'stowage.registry.usePlainHttp',
  'stowage.registry.useHttps',
  'stowage.registries.openSettings',
  'stowage.repository.add',
  'stowage.repository.backup',
  'stowage.repository.copyTo',
  'stowage.repository.cleanUpTags',
  'stowage.layout.addFolder',
  'stowage.layout.new',
  'stowage.layout.garbageCollect',
  'stowage.layout.restore',
  'stowage.artifact.push',
  'stowage.artifact.pull',
  'stowage.artifact.copyTo',
  'stowage.artifact.addTag',
  'stowage.artifact.removeTag',
  'stowage.artifact.delete',
  'stowage.artifact.copyReference',
  'stowage.artifact.copyDigest',
  'stowage.artifact.compareWith',
  'stowage.artifact.compareSelected',
  'stowage.artifact.compareFiles',
  'stowage.artifact.copyPinnedReference',
  'stowage.artifact.openInBrowser',
  'stowage.showLog',
  'stowage.reportIssue',
  'stowage.manifest.open',
  'stowage.manifest.push',
  'stowage.blob.open',
  'stowage.layerFile.open',
  'stowage.tree.loadMore',
  'stowage.tree.errorAction',
  'stowage.lint.validateLayout',
  'stowage.graph.show',
  'stowage.artifact.attachSbom',
  'stowage.artifact.attachSignature',
  'stowage.artifact.attachFile',
  'stowage.artifact.verify',
  'stowage.repository.checkSupplyChain',
  'stowage.signing.createKey',
  'stowage.registries.filter',
  'stowage.registries.clearFilter',
  'stowage.registries.sortTags',
  'stowage.repository.remove',
  'stowage.registry.setNamespaces',
  'stowage.referrers.check',
  'stowage.referrers.repair',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * Commands registered but deliberately absent from the manifest (run only by the extension itself). None today:
 * the tree's row commands are contributed and hidden from the palette instead, so they keep a title.
 */
export const INTERNAL_COMMAND_IDS: ReadonlySet<CommandId> = new Set<CommandId>();
