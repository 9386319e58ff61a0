// "Set Client Certificate…": the PEM certificate and private key a registry asks for (mutual TLS), as paths in its
// `stowage.registries` entry (machine-scoped: a workspace cannot point a registry at a key). A connection the
// registry closes unanswered offers it. The key stays where it is and is read when connecting.
import { updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';

export function setClientCertificate(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<{ certFile: string; keyFile: string } | undefined> => {
    const host = await hostOf(ctx, node);
    if (!host) return undefined;
    const pem = async (title: string, openLabel: string) =>
      (
        await ctx.prompts().openDialog({
          title,
          canSelectFiles: true,
          canSelectFolders: false,
          canSelectMany: false,
          openLabel,
          filters: { 'PEM files': ['pem', 'crt', 'cert', 'key'], 'All files': ['*'] },
        })
      )?.[0]?.fsPath;
    const certFile = await pem(`Client certificate for ${host} (1/2)`, 'Use this Certificate');
    if (!certFile) return undefined;
    const keyFile = await pem(`Private key of that certificate (2/2)`, 'Use this Key');
    if (!keyFile) return undefined;
    await updateRegistry(host, (registry) => {
      registry.certFile = certFile;
      registry.keyFile = keyFile;
    });
    return { certFile, keyFile };
  };
}
