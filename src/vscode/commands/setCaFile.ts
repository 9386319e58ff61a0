// "Set CA File…": the PEM file of extra certificate authorities trusted for one registry (its TLS failures offer it).
import { updateRegistries } from '../settings';
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
    await updateRegistries((registries) => {
      const existing = registries.find((r) => r.host === host);
      if (!existing) return [...registries, { host, caFile }];
      existing.caFile = caFile;
      return registries;
    });
    return caFile;
  };
}
