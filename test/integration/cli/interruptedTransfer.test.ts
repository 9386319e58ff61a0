// A backup or restore interrupted (Ctrl-C) says what the destination holds whole, in the editor's words
// (stoppedTransfer.ts): the bare "interrupted" left the user to guess whether the folder was a backup of fewer tags.
// Real registry; the run's signal aborted as main.ts aborts it, right after a tag is copied.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout';
import { RegistryTarget } from '../../../src/core/registry';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { cli } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';

const TAGS = Array.from({ length: 6 }, (_, i) => `t${i}`);

describe('an interrupted backup, restore or copy of many tags says what the destination holds whole', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  let dir: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    const target = new RegistryTarget(clientFor(registry), 'stop/app');
    for (const tag of TAGS) await pushArtifact(target, `the content of ${tag}`, { tag });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-interrupted-transfer-'));
  });
  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** `args` run until the line of `tag` copied, then interrupted. */
  function interruptedAfter(tag: string, args: string[]) {
    const controller = new AbortController();
    return cli(args, {
      signal: controller.signal,
      onStderr: (text) => {
        if (new RegExp(`^copied tag ${tag} `, 'm').test(text)) controller.abort(new Error('interrupted'));
      },
    });
  }

  it('backup into a layout folder, then restore from it', async () => {
    const layout = path.join(dir, 'layout');
    const backup = await interruptedAfter('t2', ['backup', '--plain-http', '-o', layout, `${registry.host}/stop/app`]);
    assert.notEqual(backup.code, 0, backup.stderr);
    assert.match(
      backup.stderr,
      /^stowage backup: interrupted; \S*layout keeps 3 tags backed up whole so far, and the blobs fetched for the others; the same command again fetches only what is missing$/m,
    );
    const listed = [];
    for await (const page of (await LayoutTarget.open(layout)).listTags()) listed.push(...page);
    assert.deepEqual(listed.sort(), ['t0', 't1', 't2']);

    const restore = await interruptedAfter('t1', [
      'restore',
      '--plain-http',
      '-i',
      layout,
      `${registry.host}/back/app`,
    ]);
    assert.notEqual(restore.code, 0, restore.stderr);
    assert.match(
      restore.stderr,
      /^stowage restore: interrupted; \S+\/back\/app has 2 tags restored whole so far, and the blobs pushed for the others; the same command again pushes only what is missing$/m,
    );
  });

  it('copy --all-tags into another repository says it in a copy’s words, not a restore’s', async () => {
    const copy = await interruptedAfter('t1', [
      'copy',
      '--all-tags',
      '--plain-http',
      `${registry.host}/stop/app`,
      `${registry.host}/mirror/app`,
    ]);
    assert.notEqual(copy.code, 0, copy.stderr);
    assert.match(
      copy.stderr,
      /^stowage copy: interrupted; \S+\/mirror\/app has 2 tags copied whole so far, and the blobs copied for the others; the same command again copies only what is missing$/m,
    );
  });
});
