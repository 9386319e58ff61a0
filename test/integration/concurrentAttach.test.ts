// Races on the real registry: 8 `stowage attach` processes attach different referrers to one subject at once.
// distribution has no referrers API, so every process read-modify-writes the same fallback tag; verify-and-
// retry (referrers.ts) must leave every referrer in the index. Several rounds, counted as figures. The layout
// side of concurrency (16 processes pushing into one layout) is layoutConcurrency.test.ts.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchFallbackIndex } from '../../src/core/graph/referrers';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { recordFigures } from '../helpers/figures';
import { cliOk, cliProcess } from '../helpers/runCli';

const WRITERS = 8;
// One round in npm test (8 processes take a minute on a busy 2-core machine); STOWAGE_RACE_ROUNDS runs more.
const ROUNDS = Number(process.env.STOWAGE_RACE_ROUNDS ?? 1);

describe('concurrent attaches on the real registry', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let dir: string;
  const tally = { races: 0, lost: 0 };

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-attach-race-'));
  });
  after(async () => {
    recordFigures('concurrency', {
      'registry attach races': {
        tried: tally.races,
        held: tally.races - tally.lost,
        detail: `rounds of ${WRITERS} stowage attach processes on one subject (refs lost: ${tally.lost})`,
      },
    });
    await registry?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (let round = 0; round < ROUNDS; round++) {
    it(`round ${round + 1}: ${WRITERS} processes attach at once and all ${WRITERS} referrers are in the fallback index`, async () => {
      const subjectFile = path.join(dir, `subject-${round}.txt`);
      await fs.writeFile(subjectFile, `subject of round ${round}`);
      const subjectRef = `${registry.host}/race/app:round-${round}`;
      await cliOk(['push', subjectRef, subjectFile, '--plain-http']);
      const runs = await Promise.all(
        Array.from({ length: WRITERS }, async (_, i) => {
          const file = path.join(dir, `sbom-${round}-${i}.json`);
          await fs.writeFile(file, JSON.stringify({ round, writer: i }));
          return cliProcess([
            'attach',
            subjectRef,
            file,
            '--artifact-type',
            `application/vnd.race.${i}+json`,
            '--plain-http',
            '--format',
            'json',
          ]);
        }),
      );
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const attached = runs.map((r) => (JSON.parse(r.stdout) as { digest: string }).digest);
      const client = clientFor(registry);
      const target = new RegistryTarget(client, 'race/app');
      const subject = await target.resolve(`round-${round}`);
      const index = await fetchFallbackIndex(target, subject.digest);
      await client.close();
      const listed = new Set(index?.manifests.map((m) => m.digest));
      const lost = attached.filter((d) => !listed.has(d));
      tally.races++;
      if (lost.length) tally.lost++;
      assert.deepEqual(lost, [], `referrers lost from the fallback index: ${lost.join(', ')}`);
      assert.equal(listed.size, WRITERS);
      const types = index!.manifests.map((m) => m.artifactType).sort();
      assert.deepEqual(types, Array.from({ length: WRITERS }, (_, i) => `application/vnd.race.${i}+json`).sort());
    });
  }
});
