// "Refresh": a node redraws itself and what is under it; from a view's title bar, the whole view.
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';

export function refreshRegistries(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<void> => ctx.registries.refresh(node);
}

export function refreshLayouts(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<void> => ctx.layouts.refresh(node);
}
