// Reaching the running extension from the tests, and reading its trees the way the views do.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../../src/vscode/testApi';
import type { LayoutNode, TreeNode } from '../../../../src/vscode/tree/nodes';
import { ScriptedPrompts } from './ScriptedPrompts';

export async function stowageApi(): Promise<StowageApi> {
  const extension = vscode.extensions.getExtension<StowageApi>('stowage.stowage');
  assert.ok(extension, 'the Stowage extension is not loaded');
  const api = await extension.activate();
  assert.ok(api, 'Stowage exports its test API only when VS Code runs its tests (ExtensionMode.Test)');
  await api.ready(); // the workbench loads on first use; the tests use it at once
  return api;
}

type Provider = StowageApi['registries'] | StowageApi['layouts'];

export async function children(provider: Provider, node?: TreeNode): Promise<TreeNode[]> {
  return provider.getChildren(node);
}

export function label(provider: Provider, node: TreeNode): string {
  const item = provider.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export async function labels(provider: Provider, node?: TreeNode): Promise<string[]> {
  return (await children(provider, node)).map((child) => label(provider, child));
}

/** The child whose label is `name` (fails listing what is there). */
export async function child(provider: Provider, node: TreeNode | undefined, name: string): Promise<TreeNode> {
  const all = await children(provider, node);
  const found = all.find((c) => label(provider, c) === name);
  assert.ok(
    found,
    `no "${name}" under ${node?.id ?? 'the root'}; found ${JSON.stringify(all.map((c) => label(provider, c)))}`,
  );
  return found;
}

/** The Image Layouts row of the layout folder or archive at `file`, once a refresh of the view lists it. */
export function layoutRow(api: StowageApi, file: string): Promise<LayoutNode> {
  return waitFor(
    `${file} in the view`,
    async () => {
      await vscode.commands.executeCommand('stowage.layouts.refresh');
      return (await children(api.layouts)).find((n): n is LayoutNode => n.type === 'layout' && n.store.path === file);
    },
    60_000,
  );
}

/** Polls `probe` until it returns something truthy (settings and file events arrive asynchronously). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Runs `work` with `prompts` answering every question, and checks no question went unanswered or unexpected. */
export async function answering<T>(
  api: StowageApi,
  prompts: ScriptedPrompts,
  work: () => Thenable<T> | Promise<T>,
): Promise<T> {
  const scope = api.usePrompts(prompts);
  try {
    const result = await work();
    assert.deepEqual(prompts.unexpected, [], 'questions nobody expected were asked');
    assert.equal(prompts.remaining, 0, 'queued answers were never asked for');
    assert.deepEqual(prompts.unclear, [], 'questions that do not say what to answer');
    return result;
  } finally {
    scope.dispose();
  }
}

export async function setRegistries(registries: unknown[]): Promise<void> {
  await vscode.workspace
    .getConfiguration('stowage')
    .update('registries', registries, vscode.ConfigurationTarget.Global);
}
