// "Set CA File…": the PEM file of extra certificate authorities trusted for one registry (its TLS failures offer it).
import { updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';

export function setCaFile(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const host = await hostOf(ctx, node);
    if (!host) return undefined;
    const files = await ctx.prompts().openDialog({
      title: `CA certificates trusted for ${host}`,
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: 'Trust for this Registry',
      filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] },
    });
    const caFile = files?.[0]?.fsPath;
    if (!caFile) return undefined;
    await updateRegistry(host, (registry) => {
      registry.caFile = caFile;
    });
    return caFile;
  };
}
