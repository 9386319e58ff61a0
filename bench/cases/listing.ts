// Listing at scale: a repository with many tags (first page and full list, against skopeo list-tags) and a
// catalog of many repositories (skopeo has no catalog command, so Stowage runs alone).
import { runAlone, runPairs, log } from '../pairs';
import { seedRepositories, seedTags, withRegistry } from '../registry';
import type { Row } from '../stats';
import { skopeo, stowage } from '../tools';
import type { BenchContext } from './context';

export async function listingCases(ctx: BenchContext): Promise<Row[]> {
  const { tags, repositories } = ctx.options;
  const rows: Row[] = [];
  rows.push(await withRegistry(async (r) => {
    const started = Date.now();
    await seedTags(r, 'tagged', tags);
    log(`seeded ${tags} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return runPairs(`list ${tags} tags`, ctx.plan,
      { label: 'stowage', run: () => stowage(['tags', `${r.host}/tagged`]) },
      { label: 'skopeo', run: () => skopeo(['list-tags', '--tls-verify=false', `docker://${r.host}/tagged`]) });
  }));
  await withRegistry(async (r) => {
    const started = Date.now();
    await seedRepositories(r, repositories);
    log(`seeded ${repositories} repositories in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const pageSize of [100, 1000]) {
      rows.push(await runAlone(`catalog of ${repositories} repositories, pages of ${pageSize}`, ctx.plan,
        { label: 'stowage', run: () => stowage(['repos', r.host, '--page-size', String(pageSize)]) }, 'skopeo has no catalog listing'));
    }
  });
  return rows;
}
