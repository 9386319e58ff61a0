// Back Up Repository… into a layout folder, and Restore to Registry… from one, each cancelled from its progress
// notification while one blob is still on its way (a proxy in front of the real registry holds the requests for that
// blob), then run again: the cancel says what is kept, nothing half-written is left, and the rerun moves only what
// is missing and ends with every tag there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { ArchiveTarget, stagingFolderOf } from '../../../src/core/layout';
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

export function backupRestoreCancelChecks(workspace: string): UiCheck[] {
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
          // The folder lists a tag this run did not back up (another writer's): the cancel counts this run's tags,
          // and the folder's apart.
          await pushTextArtifact(await LayoutTarget.open(folder), { 'old.txt': 'old\n' }, { tag: 'old' });
          await progress.getByRole('button', { name: 'Cancel' }).click();
          await notificationItem(
            page,
            'Backup cancelled: oci:backup-cancel/app-backup keeps 2 tags backed up whole so far (3 tags in all), and the blobs fetched for the others.',
          );
          assert.deepEqual(layoutTags(folder).sort(), ['a', 'b', 'old']);
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
    {
      name: 'Back Up Repository… into a .tar cancelled mid-way says how many tags its staging folder keeps; run again, the archive is whole',
      async run(page) {
        const registry = await startRegistry({ variant: 'plain' });
        const seeded = new Map<string, string>();
        const source = registryTarget(registry, 'backup/tarred');
        for (const tag of TAGS)
          seeded.set(
            tag,
            (await pushTextArtifact(source, { [`${tag}.txt`]: `the ${tag} file, archived\n` }, { tag })).descriptor
              .digest,
          );
        const held = `/blobs/${digestOf(Buffer.from('the c file, archived\n'))}`;
        let holding = true;
        const proxy = await startFaultProxy(`http://${registry.host}`, (req) =>
          holding && req.method === 'GET' && req.url.endsWith(held) ? { stall: true } : { forward: true },
        );
        const parent = path.join(workspace, 'backup-cancel-tar');
        const file = path.join(parent, 'tarred.tar');
        const staging = stagingFolderOf(file);
        fs.mkdirSync(parent, { recursive: true });
        try {
          await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
          await addRegistryFromPalette(page, `http://${proxy.host}/`);

          await backUpToArchive(page, `${proxy.host}/backup/tarred`, file);
          const progress = await notificationItem(page, 'Backing up');
          await waitUntil(page, () => proxy.seen.some((r) => r.url.endsWith(held)), 'the held blob was asked for');
          await waitUntil(page, () => layoutTags(staging).length === 2, 'a and b are in the staging folder');
          await progress.getByRole('button', { name: 'Cancel' }).click();
          await notificationItem(
            page,
            `Backup cancelled: the archive's staging folder ${staging} keeps 2 tags backed up whole so far, and the blobs fetched for the others. Back Up Repository… into oci-archive:backup-cancel-tar/tarred.tar again fetches only what is missing. Delete that folder to start afresh.`,
          );
          assert.equal(fs.existsSync(file), false, 'a cancelled backup wrote the archive');

          holding = false;
          await backUpToArchive(page, `${proxy.host}/backup/tarred`, file);
          await notificationItem(page, /^Backed up 1 tag of /);
          const archive = await ArchiveTarget.open(file);
          for (const tag of TAGS) assert.equal((await archive.resolve(tag)).digest, seeded.get(tag), `tag ${tag}`);
          assert.equal(fs.existsSync(staging), false, 'the staging folder was left after the archive was written');
        } finally {
          holding = false;
          await proxy.close();
          await registry.stop();
          fs.rmSync(parent, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'Restore to Registry… cancelled mid-way says how many tags the registry has; run again, it skips what is there and every tag resolves',
      async run(page) {
        const registry = await startRegistry({ variant: 'plain' });
        const parent = path.join(workspace, 'restore-cancel');
        const folder = path.join(parent, 'backup');
        fs.mkdirSync(parent, { recursive: true });
        const layout = await LayoutTarget.open(folder, { create: true });
        const seeded = new Map<string, string>();
        for (const tag of TAGS)
          seeded.set(
            tag,
            (await pushTextArtifact(layout, { [`${tag}.txt`]: `the ${tag} file\n` }, { tag })).descriptor.digest,
          );
        // Every request naming the c layer (its HEAD, its upload) is held while `holding`.
        const held = digestOf(Buffer.from('the c file\n')).slice('sha256:'.length);
        let holding = true;
        const proxy = await startFaultProxy(`http://${registry.host}`, (req) =>
          holding && req.url.includes(held) ? { stall: true } : { forward: true },
        );
        const restored = registryTarget(registry, 'restored/app');
        try {
          await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
          await addRegistryFromPalette(page, `http://${proxy.host}/`);

          await restore(page, folder, `${proxy.host}/restored/app`);
          const progress = await notificationItem(page, 'Restoring');
          await waitUntil(page, () => proxy.seen.some((r) => r.url.includes(held)), 'the held blob was asked for');
          await waitUntilAsync(page, async () => (await tagsOf(restored)).length === 2, 'a and b are in the registry');
          await progress.getByRole('button', { name: 'Cancel' }).click();
          await notificationItem(
            page,
            `Restore cancelled: ${proxy.host}/restored/app has 2 tags restored whole so far, and the blobs pushed for the others.`,
          );

          holding = false;
          await restore(page, folder, `${proxy.host}/restored/app`);
          const done = await notificationItem(page, /^Restored 1 tag to /);
          const said = await done.locator('.notification-list-item-message').innerText();
          assert.match(
            said,
            /: 1 manifest, 0 referrers, 1 blob, \d+ B; \d+ already there \(\d+ B\) skipped; 2 tags unchanged$/,
          );
          for (const tag of TAGS) assert.equal((await restored.resolve(tag)).digest, seeded.get(tag), `tag ${tag}`);
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

/** Restore to Registry… from the palette: the layout folder, a typed repository, all tags. */
async function restore(page: Page, folder: string, repository: string): Promise<void> {
  await startFromCommandPalette(page, 'Stowage: Restore to Registry…', 'Restore to Registry');
  await answerFileDialog(page, folder);
  const here = page.locator('.quick-input-widget').getByRole('button', { name: 'Restore' });
  if (await here.isVisible()) await here.click();
  await answerQuickInput(page, 'Other registry or reference');
  await answerQuickInput(page, repository);
  await answerQuickInput(page, 'All tags');
}

async function tagsOf(target: ReturnType<typeof registryTarget>): Promise<string[]> {
  const tags: string[] = [];
  try {
    for await (const page of target.listTags()) tags.push(...page);
  } catch {
    // No repository yet: no tags.
  }
  return tags;
}

async function waitUntilAsync(page: Page, condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await page.waitForTimeout(200);
  }
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

/** Back Up Repository… from the palette: a typed repository, all tags, no referrers, into the archive `file`. */
async function backUpToArchive(page: Page, repository: string, file: string): Promise<void> {
  await startFromCommandPalette(page, 'Stowage: Back Up Repository…', 'Back Up Repository');
  await answerQuickInput(page, 'Type a repository');
  await answerQuickInput(page, repository);
  await answerQuickInput(page, 'All tags');
  await answerQuickInput(page, 'Only the tagged artifacts');
  await answerQuickInput(page, 'Archive (.tar)');
  await answerFileDialog(page, file);
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
