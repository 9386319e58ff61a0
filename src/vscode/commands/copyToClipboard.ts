// What the Copy commands share: the text of one row, or of every selected row (Ctrl/Shift+click), one per line in
// the order they were selected, put on the clipboard once and said in the status bar. A multi-selection's menu
// hands the command the row clicked and the whole selection: copying the clicked row alone dropped the others.
import * as vscode from 'vscode';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';

/** `textOf` gives a row's text (undefined: nothing to copy of it); `several` names them ("references"). */
export function copyCommand(
  ctx: CommandContext,
  several: string,
  ask: () => Promise<TreeNode | undefined>,
  textOf: (node: TreeNode | undefined) => Promise<string | undefined>,
) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<string | undefined> => {
    const rows = nodes && nodes.length > 1 ? nodes : [node ?? (await ask())];
    const texts: string[] = [];
    for (const row of rows) {
      const text = await textOf(row);
      if (text) texts.push(text);
    }
    if (!texts.length) return undefined;
    const text = texts.join('\n');
    await vscode.env.clipboard.writeText(text);
    ctx.prompts().done(texts.length === 1 ? `Copied ${text}` : `Copied ${texts.length} ${several}`);
    return text;
  };
}
