// `pull --include-subject` writes a referrer's files and its subject's into one folder: a file name both hold with
// different contents is refused before anything is written (it failed after the referrer's files were written,
// saying "nothing written"); the same file in both is written once.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, cliOk } from '../../helpers/runCli';
import { digestOf } from '../../../src/core/content';
import { pullArtifact } from '../../../src/core/files';
import { LayoutTarget } from '../../../src/core/layout';
import { Annotation, EMPTY_DESCRIPTOR, MediaType } from '../../../src/core/oci';

describe('stowage pull --include-subject', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-include-subject-'));
    for (const [folder, text] of [
      ['subject', 'the subject’s notes\n'],
      ['other', 'another text under the same name\n'],
    ]) {
      await fs.mkdir(path.join(dir, folder));
      await fs.writeFile(path.join(dir, folder, 'notes.txt'), text);
    }
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  async function attach(layout: string, file: string): Promise<string> {
    const run = await cliOk(['attach', `oci:${layout}:v1`, file, '--artifact-type', 'application/x.notes']);
    return /^Digest: (sha256:[0-9a-f]{64})$/m.exec(run.stdout)![1]!;
  }

  it('refuses, writing nothing, when the referrer and its subject hold one file name with different contents', async () => {
    const layout = path.join(dir, 'differ');
    const subject = (await cliOk(['push', `oci:${layout}:v1`, path.join(dir, 'subject', 'notes.txt')])).stdout;
    const subjectDigest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(subject)![1]!;
    const referrer = await attach(layout, path.join(dir, 'other', 'notes.txt'));
    const out = path.join(dir, 'out-differ');
    const run = await cli(['pull', `oci:${layout}@${referrer}`, '-o', out, '--include-subject']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `stowage pull: "notes.txt" is in both ${referrer} and its subject ${subjectDigest}, with different contents; nothing was written: pull them into separate folders (without --include-subject)\n`,
    );
    assert.equal(existsSync(out), false, 'nothing written');
  });

  it('writes a file both hold with the same contents once', async () => {
    const layout = path.join(dir, 'same');
    await cliOk(['push', `oci:${layout}:v1`, path.join(dir, 'subject', 'notes.txt')]);
    const referrer = await attach(layout, path.join(dir, 'subject', 'notes.txt'));
    const out = path.join(dir, 'out-same');
    await cliOk(['pull', `oci:${layout}@${referrer}`, '-o', out, '--include-subject']);
    assert.deepEqual(await fs.readdir(out), ['notes.txt']);
    assert.equal(await fs.readFile(path.join(out, 'notes.txt'), 'utf8'), 'the subject’s notes\n');
  });

  it("refuses, writing nothing, a subject that is no descriptor: a tag's name there pulled whatever that tag held", async () => {
    const layout = path.join(dir, 'subject-is-a-tag');
    // Another artifact under the tag "other", and a manifest whose subject is the word "other" (a hostile layout or
    // registry can store any JSON): a descriptor names a digest, never a tag.
    await cliOk(['push', `oci:${layout}:other`, path.join(dir, 'other', 'notes.txt')]);
    const mine = Buffer.from('mine\n');
    const mineDigest = digestOf(mine);
    await fs.writeFile(path.join(layout, 'blobs', 'sha256', mineDigest.slice(7)), mine);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: EMPTY_DESCRIPTOR,
        layers: [
          {
            mediaType: 'text/plain',
            digest: mineDigest,
            size: mine.length,
            annotations: { [Annotation.title]: 'mine.txt' },
          },
        ],
        subject: 'other',
      }),
    );
    const descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(manifest), size: manifest.length };
    const target = await LayoutTarget.open(layout);
    await target.pushManifest(descriptor, manifest);
    const out = path.join(dir, 'out-subject-is-a-tag');
    const run = await cli(['pull', `oci:${layout}@${descriptor.digest}`, '-o', out, '--include-subject']);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, new RegExp(`the subject of ${descriptor.digest} is not an object; nothing was written`));
    assert.equal(existsSync(out), false, 'nothing written');
    // The engine's pull gives no such subject to follow either.
    const pulled = await pullArtifact(target, descriptor, path.join(dir, 'out-engine'));
    assert.equal(pulled.subject, undefined);
  });
});
