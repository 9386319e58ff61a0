// Listing at scale: a repository with many tags (first page and full list, against skopeo list-tags) and a
// catalog of many repositories (skopeo has no catalog command, so Stowage runs alone).
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { runAlone, runPairs, log } from '../pairs';
import { seedRepositories, seedTags, withRegistry } from '../registry';
import type { TestRegistry } from '../../test/fixtures/registry';
import type { Row, Sample } from '../stats';
import { nodeStartAlone, skopeo, stowage } from '../tools';
import type { BenchContext } from './context';

const LISTING_TARGET_TAGS = 1000;

export async function listingCases(ctx: BenchContext): Promise<Row[]> {
  const { tags, repositories } = ctx.options;
  const rows: Row[] = [];
  rows.push(
    ...(await withRegistry(async (r) => {
      // The target names 1,000 tags (the whole command against skopeo); the larger count shows scaling.
      const counts = [...new Set([LISTING_TARGET_TAGS, tags])];
      const listed: Row[] = [];
      for (const count of counts) {
        const repository = `tagged-${count}`;
        const started = Date.now();
        await seedTags(r, repository, count);
        log(`seeded ${count} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        listed.push(
          await runPairs(
            { case: `list ${count} tags`, id: `list-${count}-tags` },
            ctx.plan,
            { label: 'stowage', run: () => stowage(['tags', `${r.host}/${repository}`], { firstOutput: true }) },
            {
              label: 'skopeo',
              run: () =>
                skopeo(['list-tags', '--tls-verify=false', `docker://${r.host}/${repository}`], { firstOutput: true }),
            },
            // Not a contestant: the start every Node program pays, for the target's verdict (targets.ts).
            {
              label: 'node -e 0 (Node starting, no work)',
              run: () => nodeStartAlone(),
              meaning: 'what any Node program pays before its first request',
            },
          ),
        );
      }
      const inProcess: Sample[] = [];
      for (let i = 0; i < ctx.plan.pairs; i++) inProcess.push(await firstTagPage(r, `tagged-${tags}`));
      const inProcessRow: Row = {
        case: `first page of ${tags} tags, in process (no Node start-up)`,
        a: { label: 'stowage', samples: inProcess },
        note: 'RegistryTarget.listTags, fresh client',
      };
      return [...listed, inProcessRow];
    })),
  );
  await withRegistry(async (r) => {
    const started = Date.now();
    await seedRepositories(r, repositories);
    log(`seeded ${repositories} repositories in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const pageSize of [100, 1000]) {
      rows.push(
        await runAlone(
          `catalog of ${repositories} repositories, pages of ${pageSize}`,
          ctx.plan,
          {
            label: 'stowage',
            run: () => stowage(['repos', r.host, '--page-size', String(pageSize)], { firstOutput: true }),
          },
          'skopeo has no catalog listing',
        ),
      );
    }
  });
  return rows;
}

/** Time to the first page of tags from a fresh client, measured inside this process. */
async function firstTagPage(registry: TestRegistry, repository: string): Promise<Sample> {
  const client = new RegistryClient({ host: registry.host, plainHttp: true });
  const started = process.hrtime.bigint();
  try {
    for await (const page of new RegistryTarget(client, repository).listTags()) {
      if (page.length) break;
    }
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rssMiB: NaN };
  } finally {
    await client.close();
  }
}
