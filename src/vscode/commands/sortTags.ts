// "Sort Tags By…": newest version, name, or most recently created (the setting stowage.tree.tagOrder).
import * as vscode from 'vscode';
import type { TagOrder } from '../settingsModel';
import type { CommandContext } from './CommandContext';

const ORDERS: { label: string; detail: string; order: TagOrder }[] = [
  { label: 'Newest Version', detail: 'latest, then versions newest first, then other names', order: 'semver' },
  { label: 'Name', detail: 'alphabetical', order: 'name' },
  {
    label: 'Recently Created',
    detail: 'by the image’s creation time (looked up for the tags listed, a few at a time)',
    order: 'recent',
  },
];

export function sortTags(ctx: CommandContext) {
  return async (): Promise<TagOrder | undefined> => {
    const current = ctx.settings().tagOrder;
    const picked = await ctx.prompts().pick(
      ORDERS.map((o) => ({ ...o, description: o.order === current ? 'current' : undefined })),
      { title: 'Sort Tags By', placeHolder: 'Order of tags' },
    );
    if (!picked) return undefined;
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.tagOrder', picked.order, vscode.ConfigurationTarget.Global);
    return picked.order;
  };
}
