// Back Up Repository… into a layout folder, cancelled from its progress notification while one blob is still
// coming (a proxy in front of the real registry holds that one answer), then run again into the same folder: the
// cancel says what the folder keeps, nothing half-written is left, and the rerun fetches only what is missing and
// ends with every tag in the layout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { startFaultProxy } from '../../fixtures/faultProxy';
import { startRegistry } from '../../fixtures/registry';
import { pushTextArtifact, registryTarget } from '../suite/helpers/seed';
import {
  activityBarEntry,
  addRegistryFromPalette,
  answerFileDialog,
  answerQuickInput,
  notificationItem,
  startFromCommandPalette,
} from '../harness/workbench';
import type { Page } from 'playwright-core';
import type { UiCheck } from './uiCheck';

const TAGS = ['a', 'b', 'c'];

export function backupCancelChecks(workspace: string): UiCheck[] {
  return [
    {
      name: 'Back Up Repository… cancelled mid-way says what the folder keeps; run again, it skips what is there and the backup is whole',
      async run(page) {
        const registry = await startRegistry({ variant: 'plain' });
        const seeded = new Map<string, string>();
        const source = registryTarget(registry, 'backup/app');
        for (const tag of TAGS)
          seeded.set(
            tag,
            (await pushTextArtifact(source, { [`${tag}.txt`]: `the ${tag} file\n` }, { tag })).descriptor.digest,
          );
        // The c layer's answer is held while `holding`: the backup is still running when Cancel is clicked.
        const held = `/blobs/${digestOf(Buffer.from('the c file\n'))}`;
        let holding = true;
        const proxy = await startFaultProxy(`http://${registry.host}`, (req) =>
          holding && req.method === 'GET' && req.url.endsWith(held) ? { stall: true } : { forward: true },
        );
        const parent = path.join(workspace, 'backup-cancel');
        const folder = path.join(parent, 'app-backup');
        fs.mkdirSync(parent, { recursive: true });
        try {
          await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
          await addRegistryFromPalette(page, `http://${proxy.host}/`);

          await backUp(page, `${proxy.host}/backup/app`, parent);
          const progress = await notificationItem(page, 'Backing up');
          await waitUntil(page, () => proxy.seen.some((r) => r.url.endsWith(held)), 'the held blob was asked for');
          await waitUntil(page, () => layoutTags(folder).length === 2, 'a and b are in the layout');
          await progress.getByRole('button', { name: 'Cancel' }).click();
          await notificationItem(
            page,
            'Backup cancelled: oci:backup-cancel/app-backup keeps 2 tags backed up whole so far, and the blobs fetched for the others.',
          );
          assert.deepEqual(layoutTags(folder).sort(), ['a', 'b']);
          assert.deepEqual(badFiles(folder), [], 'a cancelled backup left files that are not whole blobs');

          holding = false;
          await backUp(page, `${proxy.host}/backup/app`, parent);
          const done = await notificationItem(page, /^Backed up 1 tag of /);
          const said = await done.locator('.notification-list-item-message').innerText();
          assert.match(
            said,
            /: 1 manifest, 0 referrers, 1 blob, \d+ B; 5 already there \(\d+ B\) skipped; 2 tags unchanged$/,
          );
          const layout = await LayoutTarget.open(folder);
          for (const tag of TAGS) assert.equal((await layout.resolve(tag)).digest, seeded.get(tag), `tag ${tag}`);
          assert.deepEqual(badFiles(folder), []);
        } finally {
          holding = false;
          await proxy.close();
          await registry.stop();
          fs.rmSync(parent, { recursive: true, force: true });
        }
      },
    },
  ];
}

/** Back Up Repository… from the palette: a typed repository, all tags, no referrers, a layout folder `app-backup`. */
async function backUp(page: Page, repository: string, parent: string): Promise<void> {
  await startFromCommandPalette(page, 'Stowage: Back Up Repository…', 'Back Up Repository');
  await answerQuickInput(page, 'Type a repository');
  await answerQuickInput(page, repository);
  await answerQuickInput(page, 'All tags');
  await answerQuickInput(page, 'Only the tagged artifacts');
  await answerQuickInput(page, 'Layout folder');
  await answerFileDialog(page, parent);
  const here = page.locator('.quick-input-widget').getByRole('button', { name: 'Back Up Here' });
  if (await here.isVisible()) await here.click();
  await answerQuickInput(page, 'app-backup');
}

/** The tags index.json names (none while there is none). */
function layoutTags(folder: string): string[] {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(folder, 'index.json'), 'utf8')) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    return index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name'] ?? '');
  } catch {
    return [];
  }
}

/** Files in the layout other than oci-layout, index.json and blobs whose bytes are their name's digest. */
function badFiles(folder: string): string[] {
  const bad: string[] = [];
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, file);
    if (relative === 'oci-layout' || relative === 'index.json') continue;
    const blob = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(relative);
    if (!blob || digestOf(fs.readFileSync(file)) !== `sha256:${blob[1]}`) bad.push(relative);
  }
  return bad;
}

async function waitUntil(page: Page, condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await page.waitForTimeout(100);
  }
}
