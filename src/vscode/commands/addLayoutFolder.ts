// "Add Layout Folder…": an existing OCI image layout outside the workspace, remembered in `stowage.layouts`.
import { OciError } from '../../core/oci';
import { LayoutTarget } from '../../core/layout';
import { updateLayouts } from '../settings';
import type { CommandContext } from './CommandContext';

export function addLayoutFolder(ctx: CommandContext) {
  return async (): Promise<string | undefined> => {
    const folders = await ctx.prompts().openDialog({
      title: 'Add Layout Folder',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Add Layout',
    });
    const folder = folders?.[0]?.fsPath;
    if (!folder) return undefined;
    try {
      await LayoutTarget.open(folder);
    } catch (error) {
      if (!OciError.is(error, 'LAYOUT')) throw error;
      await ctx
        .prompts()
        .notify(
          'error',
          `${folder} is not an OCI image layout (no readable oci-layout file). Use "New Layout…" to create one.`,
        );
      return undefined;
    }
    await updateLayouts((layouts) => (layouts.includes(folder) ? layouts : [...layouts, folder]));
    return folder;
  };
}
