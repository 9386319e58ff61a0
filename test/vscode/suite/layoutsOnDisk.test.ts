// The Image Layouts view while other tools change layouts on disk under it (mv, rm -rf, skopeo, half-written files).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { pushTextArtifact } from './helpers/seed';
import { children, labels, stowageApi, waitFor } from './helpers/stowage';
import { runSkopeo } from '../../fixtures/skopeo';
import type { LayoutNode } from '../../../src/vscode/tree/nodes';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri.fsPath;
}

describe('Image Layouts view: layouts changed on disk', function () {
  this.timeout(180_000);
  let api: StowageApi;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
  });

  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves at the next redraw of the whole view or of node `id` (what makes VS Code ask the view again). */
  function nextChange(timeoutMs: number, id?: string): Promise<TreeNode | undefined | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve('timeout');
      }, timeoutMs);
      const sub = api.layouts.onDidChangeTreeData((node) => {
        // Only a redraw of the root, or of the node asked about (tag descriptions redraw their own rows).
        if (node && node.id !== id) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(node ?? undefined);
      });
    });
  }

  async function layoutNode(folder: string): Promise<LayoutNode> {
    const found = (await children(api.layouts)).find(
      (n): n is LayoutNode => n.type === 'layout' && n.store.path === folder,
    );
    assert.ok(found, `no layout ${folder} in the view`);
    return found;
  }

  async function rootPaths(): Promise<string[]> {
    return (await children(api.layouts)).flatMap((n) => (n.type === 'layout' ? [n.store.path] : []));
  }

  async function shownAt(folder: string): Promise<void> {
    await waitFor(`layout ${folder} in the view`, async () => (await rootPaths()).includes(folder), 60_000);
  }

  it('a layout folder renamed (mv) or deleted (rm -rf) by another tool redraws the view without a Refresh', async () => {
    const parent = path.join(workspaceRoot(), 'moved-layouts');
    made.push(parent);
    const before = path.join(parent, 'before');
    await pushTextArtifact(await LayoutTarget.open(before, { create: true }), { 'a.txt': 'a' }, { tag: 'v1' });
    await shownAt(before);
    assert.deepEqual(await labels(api.layouts, await layoutNode(before)), ['v1']);

    // Only an event makes VS Code ask the view again: what a user sees is what the view redraws on its own.
    const after = path.join(parent, 'after');
    let change = nextChange(60_000);
    fs.renameSync(before, after);
    assert.notEqual(await change, 'timeout', 'the view redrew after the layout folder was renamed');
    const moved = await rootPaths();
    assert.ok(moved.includes(after) && !moved.includes(before), JSON.stringify(moved));

    // The watcher may report a deleted tree late, as its folder alone (seen once past 15 s on a quiet machine, and
    // past 30 s at load 13 on two cores): what is checked is that no Refresh is needed, not how soon.
    change = nextChange(90_000);
    fs.rmSync(parent, { recursive: true });
    assert.notEqual(await change, 'timeout', 'the view redrew after the folder holding the layout was deleted');
    assert.ok(!(await rootPaths()).includes(after));
  });

  it('a layout folder moved into the workspace from outside (mv) shows without a Refresh', async () => {
    // Beside the workspace folder: on the same file system (a rename, as mv does), outside what VS Code watches.
    const outside = fs.mkdtempSync(path.join(path.dirname(workspaceRoot()), 'outside-layouts-'));
    made.push(outside);
    const incoming = path.join(outside, 'incoming');
    await pushTextArtifact(await LayoutTarget.open(incoming, { create: true }), { 'a.txt': 'a' }, { tag: 'v1' });
    const inside = path.join(workspaceRoot(), 'moved-in');
    made.push(inside);
    assert.ok(!(await rootPaths()).includes(inside));

    // VS Code reports the folder alone, not the oci-layout inside it; each redraw of the view is looked at (another
    // may come first) until the layout is listed, within a bound.
    const deadline = Date.now() + 15_000;
    let change = nextChange(15_000);
    fs.renameSync(incoming, inside);
    for (;;) {
      assert.notEqual(await change, 'timeout', 'the view did not redraw with the layout moved in');
      if ((await rootPaths()).includes(inside)) break;
      change = nextChange(Math.max(1, deadline - Date.now()));
    }
    assert.deepEqual(await labels(api.layouts, await layoutNode(inside)), ['v1']);
  });

  it('a folder moved into the workspace with layouts nested a few levels down in it shows them without a Refresh', async () => {
    const outside = fs.mkdtempSync(path.join(path.dirname(workspaceRoot()), 'outside-nested-'));
    made.push(outside);
    const incoming = path.join(outside, 'project');
    for (const name of ['app', 'tools'])
      await pushTextArtifact(
        await LayoutTarget.open(path.join(incoming, 'builds', 'team', name), { create: true }),
        { 'a.txt': name },
        { tag: 'v1' },
      );
    const inside = path.join(workspaceRoot(), 'moved-in-project');
    made.push(inside);
    const nested = ['app', 'tools'].map((name) => path.join(inside, 'builds', 'team', name));

    // The move is reported as the top folder alone: the layouts three levels down are found by looking into it.
    const deadline = Date.now() + 15_000;
    let change = nextChange(15_000);
    fs.renameSync(incoming, inside);
    for (;;) {
      assert.notEqual(await change, 'timeout', 'the view did not redraw with the nested layouts moved in');
      const shown = await rootPaths();
      if (nested.every((folder) => shown.includes(folder))) break;
      change = nextChange(Math.max(1, deadline - Date.now()));
    }
    assert.deepEqual(await labels(api.layouts, await layoutNode(nested[0]!)), ['v1']);
  });

  it('index.json rewritten by another tool redraws the layout: half-written it is an error row, whole again its tags; skopeo’s new tag shows; deleted it says so', async () => {
    const folder = path.join(workspaceRoot(), 'rewritten');
    made.push(folder);
    await pushTextArtifact(await LayoutTarget.open(folder, { create: true }), { 'a.txt': 'a' }, { tag: 'v1' });
    await shownAt(folder);
    const node = await layoutNode(folder);
    assert.deepEqual(await labels(api.layouts, node), ['v1']);
    const index = path.join(folder, 'index.json');
    const whole = fs.readFileSync(index, 'utf8');

    // Each step waits for the view to redraw the layout by itself, then reads what VS Code would read.
    const redrawn = async (what: string, change: () => unknown | Promise<unknown>): Promise<string[]> => {
      const redraw = nextChange(15_000, node.id);
      await change();
      assert.notEqual(await redraw, 'timeout', `the layout redrew after ${what}`);
      return labels(api.layouts, node);
    };
    const [half] = await redrawn('a half-written index.json', () => fs.writeFileSync(index, whole.slice(0, 30)));
    assert.match(half!, /index\.json is not valid JSON/);
    assert.deepEqual(await redrawn('the index.json written whole', () => fs.writeFileSync(index, whole)), ['v1']);
    const copied = await redrawn('skopeo added a tag', () =>
      runSkopeo(['copy', `oci:${folder}:v1`, `oci:${folder}:v2`]),
    );
    assert.deepEqual(copied, ['v2', 'v1']);
    const [gone] = await redrawn('index.json was deleted', () => fs.rmSync(index));
    assert.match(gone!, /index\.json not found/);
  });
});
