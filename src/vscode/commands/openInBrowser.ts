// "Open in Browser": the registry's own web page for a registry, repository or tag — known registries by host,
// others by the `webUrl` template of their entry in stowage.registries. Returns the address opened.
import * as vscode from 'vscode';
import { registryWebUrl } from '../../core/registry';
import { isManifestNode, isRegistryNode, isRepositoryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

export function openInBrowser(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const target = node === undefined ? await pickedRegistry(ctx) : webTarget(node);
    if (!target) return undefined;
    const setting = ctx.settings().registries.find((r) => r.host === target.host);
    const url = registryWebUrl(target, setting?.webUrl);
    if (!url) {
      const open = 'Open Settings';
      const choice = await ctx
        .prompts()
        .notify(
          'info',
          setting?.webUrl
            ? `The webUrl of ${target.host} does not give a web address for this item (it uses a placeholder this item has no value for).`
            : `Stowage does not know the web page of ${target.host}. Give its entry in stowage.registries a "webUrl": its web interface's address for a repository, with {name} for the repository (a Harbor's looks like ${setting?.plainHttp ? 'http' : 'https'}://${target.host}/harbor/projects/1/repositories/{name}).`,
          open,
        );
      if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'stowage.registries');
      return undefined;
    }
    await ctx.prompts().openExternal(url);
    return url;
  };
}

async function pickedRegistry(ctx: CommandContext) {
  const registry = await pickRegistry(ctx, 'Open in Browser');
  return registry && { host: registry.setting.host };
}

function webTarget(node: TreeNode) {
  if (isRegistryNode(node)) return { host: node.setting.host };
  if (isRepositoryNode(node)) return { host: node.store.host, repository: node.store.repository };
  if (isManifestNode(node) && node.store.kind === 'registry')
    return {
      host: node.store.host,
      repository: node.store.repository,
      tag: node.tag,
      digest: node.descriptor?.digest,
    };
  return undefined;
}
