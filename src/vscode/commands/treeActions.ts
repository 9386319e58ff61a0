// Rows that act when clicked: "Load more…" grows a paged list; an error row runs its one next step.
import * as vscode from 'vscode';
import { stepCommand } from '../errorAdvice';
import { isErrorNode, isLoadMoreNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';

export function loadMore(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<void> => {
    if (!isLoadMoreNode(node)) return;
    const view = node.ownerId.startsWith('layout:') ? ctx.layouts : ctx.registries;
    await view.loadMore(node);
  };
}

export function errorAction(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<void> => {
    if (!isErrorNode(node)) return;
    const command = stepCommand(node.step);
    if (command) {
      await vscode.commands.executeCommand(command, node);
      return;
    }
    const view = node.ownerId.startsWith('layout:') ? ctx.layouts : ctx.registries;
    view.refresh(view.nodeById(node.ownerId));
  };
}
