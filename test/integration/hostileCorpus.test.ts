// The hostile corpus pulled every way: from a layout and from the real registry, through the core and the CLI.
// Each pull is refused with the expected words (or skips what the documented rule skips), nothing appears
// outside the target, and the target is exactly as it was after a refusal.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pullArtifact } from '../../src/core/files/artifact';
import { OciError } from '../../src/core/oci/errors';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import type { Target } from '../../src/core/content/target';
import { buildPullCases, type PullCase } from '../fixtures/hostile/pullCases';
import { pushCorpus, writeCorpusLayout } from '../fixtures/hostile/writeCorpus';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { recordFigures } from '../helpers/figures';
import { cli } from '../helpers/runCli';
import { snapshotTree } from '../helpers/snapshot';
import { ArchiveTarget } from '../../src/core/layout/ArchiveTarget';
import { HOSTILE_LAYOUT_ARCHIVES } from '../fixtures/hostile/layoutArchives';
import { run } from './helpers/tools';

const ABSOLUTE_CANARIES = ['/tmp/stowage-abs-title', '/tmp/stowage-abs-escape'];

describe('hostile corpus: every pull refused or skipped by rule, nothing written outside', function () {
  this.timeout(180_000);
  let cases: PullCase[];
  let root: string;
  let layoutPath: string;
  let registry: TestRegistry;
  let registryTarget: RegistryTarget;
  let refusedByRegistry: string[] = [];
  const tally = { attacks: 0, held: 0 };

  before(async () => {
    cases = await buildPullCases();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-hostile-'));
    layoutPath = path.join(root, 'corpus-layout');
    await writeCorpusLayout(layoutPath, cases);
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    registryTarget = new RegistryTarget(clientFor(registry), 'hostile/corpus');
    ({ refusedByRegistry } = await pushCorpus(registryTarget, cases));
  });

  after(async () => {
    recordFigures('hostile', {
      'hostile pulls': {
        tried: tally.attacks,
        held: tally.held,
        detail: `pulls of ${cases?.length ?? 0} hostile artifacts (layout and registry, core and CLI) refused or skipped by rule, target unchanged`,
      },
    });
    await registry?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('the registry itself refuses to store the cases only a layout can hold (oversize or broken manifests, wrong digests)', () => {
    assert.deepEqual(
      refusedByRegistry.sort(),
      cases
        .filter((c) => !c.registry)
        .map((c) => c.tag)
        .sort(),
    );
  });

  /** Pulls one case one way into a fresh target beside an "outside" folder, and checks the outcome. */
  async function pullOneWay(
    pullCase: PullCase,
    pull: (target: string) => Promise<{ error?: string; code?: string }>,
  ): Promise<void> {
    const work = await fs.mkdtemp(path.join(root, 'pull-'));
    const target = path.join(work, 'target');
    await fs.mkdir(target);
    await fs.mkdir(path.join(work, 'outside'));
    await fs.writeFile(path.join(target, 'keep.txt'), 'already here');
    await fs.writeFile(path.join(work, 'outside', 'secret'), 'untouched');
    const before = await snapshotTree(work);
    tally.attacks++;
    const outcome = await pull(target);
    const after = await snapshotTree(work);
    if ('refused' in pullCase.expect) {
      assert.ok(outcome.error, `${pullCase.name}: the pull succeeded`);
      assert.match(outcome.error, pullCase.expect.refused, `${pullCase.name}: unexpected message`);
      if (outcome.code) assert.equal(outcome.code, pullCase.expect.code, `${pullCase.name}: ${outcome.error}`);
      assert.deepEqual(after, before, `${pullCase.name}: the target or its surroundings changed`);
    } else {
      assert.equal(outcome.error, undefined, `${pullCase.name}: ${outcome.error}`);
      const added = Object.keys(after)
        .filter((k) => !(k in before))
        .map((k) => path.relative('target', k))
        .sort();
      assert.deepEqual(
        added,
        pullCase.expect.written.sort(),
        `${pullCase.name}: wrote something besides the titled files`,
      );
    }
    for (const canary of ABSOLUTE_CANARIES) await assert.rejects(fs.lstat(canary), `${canary} was written`);
    tally.held++;
    await fs.rm(work, { recursive: true, force: true });
  }

  const viaCore = (source: () => Target, pullCase: PullCase) => async (target: string) => {
    try {
      await pullArtifact(source(), pullCase.tag, target, { maxBytes: pullCase.maxBytes });
      return {};
    } catch (err) {
      assert.ok(err instanceof OciError, `untyped error: ${(err as Error).stack}`);
      return { error: err.message, code: err.code };
    }
  };

  const viaCli = (reference: () => string, pullCase: PullCase) => async (target: string) => {
    const run = await cli([
      'pull',
      reference(),
      '-o',
      target,
      '--plain-http',
      ...(pullCase.maxBytes ? ['--max-size', String(pullCase.maxBytes)] : []),
    ]);
    if (run.code === 0) return {};
    assert.equal(run.code, 1, run.stderr);
    return { error: run.stderr };
  };

  let layout: LayoutTarget;
  before(async () => {
    layout = await LayoutTarget.open(layoutPath);
  });

  it('from the layout, through the core and the CLI', async () => {
    for (const pullCase of cases) {
      await pullOneWay(
        pullCase,
        viaCore(() => layout, pullCase),
      );
      await pullOneWay(
        pullCase,
        viaCli(() => `oci:${layoutPath}:${pullCase.tag}`, pullCase),
      );
    }
  });

  it('stowage files lists or refuses every case, printing no control character, writing nothing', async () => {
    const before = await snapshotTree(root);
    const work = await fs.mkdtemp(path.join(root, 'files-'));
    // Escape sequences, carriage returns, bidi and zero-width characters: what could act on a terminal or hide.
    // eslint-disable-next-line no-control-regex -- these are what must not be printed
    const invisible = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
    for (const pullCase of cases) {
      tally.attacks++;
      const reference = `oci:${layoutPath}:${pullCase.tag}`;
      const listing = await cli(['files', reference]);
      assert.ok([0, 1].includes(listing.code), `${pullCase.name}: exit ${listing.code}\n${listing.stderr}`);
      assert.ok(
        !invisible.test(listing.stdout + listing.stderr),
        `${pullCase.name}: ${listing.stdout}${listing.stderr}`,
      );
      // Each title or entry asked for by name: printed (a file the case holds) or refused, never written anywhere.
      for (const layer of pullCase.layers) {
        const title = layer.descriptor.annotations?.['org.opencontainers.image.title'];
        if (!title) continue;
        const one = await cli(['files', reference, title, '-o', path.join(work, 'out')]);
        assert.ok([0, 1, 2].includes(one.code), `${pullCase.name}: exit ${one.code}\n${one.stderr}`);
        assert.ok(!invisible.test(one.stderr), `${pullCase.name}: ${one.stderr}`);
        await fs.rm(path.join(work, 'out'), { force: true });
      }
      assert.deepEqual(await fs.readdir(work), [], `${pullCase.name}: a temporary file stayed`);
      for (const canary of ABSOLUTE_CANARIES) await assert.rejects(fs.lstat(canary), `${canary} was written`);
      tally.held++;
    }
    await fs.rm(work, { recursive: true });
    assert.deepEqual(await snapshotTree(root), before, 'the corpus or its surroundings changed');
  });

  it('from the same corpus as a layout archive (tar by GNU tar), through the core and the CLI', async () => {
    const archivePath = path.join(root, 'corpus.tar');
    await run('tar', ['-cf', archivePath, '-C', layoutPath, '.']);
    const archive = await ArchiveTarget.open(archivePath);
    for (const pullCase of cases) {
      await pullOneWay(
        pullCase,
        viaCore(() => archive, pullCase),
      );
      await pullOneWay(
        pullCase,
        viaCli(() => `oci-archive:${archivePath}:${pullCase.tag}`, pullCase),
      );
    }
  });

  it('hostile layout archives: each refused by the CLI with words naming the fault, nothing written', async () => {
    for (const hostile of HOSTILE_LAYOUT_ARCHIVES) {
      const work = await fs.mkdtemp(path.join(root, 'archive-'));
      const archivePath = path.join(work, 'hostile.tar');
      await fs.writeFile(archivePath, await hostile.build());
      const target = path.join(work, 'target');
      const before = await snapshotTree(work);
      tally.attacks++;
      const pulled = await cli(['pull', `oci-archive:${archivePath}:v1`, '-o', target]);
      const copied = await cli(['copy', `oci-archive:${archivePath}:v1`, `oci:${path.join(work, 'copy')}:v1`]);
      for (const outcome of [pulled, copied]) {
        assert.equal(outcome.code, 1, `${hostile.name}: ${outcome.stderr}${outcome.stdout}`);
        assert.match(outcome.stderr, hostile.refusal, hostile.name);
      }
      const after = await snapshotTree(work);
      assert.deepEqual(
        Object.keys(after).filter((k) => !k.startsWith('copy')),
        Object.keys(before),
        `${hostile.name}: something was written besides the copy destination`,
      );
      for (const canary of ABSOLUTE_CANARIES) await assert.rejects(fs.lstat(canary), `${canary} was written`);
      tally.held++;
      await fs.rm(work, { recursive: true, force: true });
    }
  });

  it('from the real registry, through the core and the CLI', async () => {
    for (const pullCase of cases.filter((c) => c.registry)) {
      await pullOneWay(
        pullCase,
        viaCore(() => registryTarget, pullCase),
      );
      await pullOneWay(
        pullCase,
        viaCli(() => `${registry.host}/hostile/corpus:${pullCase.tag}`, pullCase),
      );
    }
  });
});
