import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { parseIndex } from '../../src/core/layout/indexFile';
import { counted } from '../../src/core/oci/counted';
import { recordFigures } from '../helpers/figures';

const worker = path.join(__dirname, 'helpers', 'layoutPushWorker.js');

function runWorker(layoutPath: string, name: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, layoutPath, name, String(count)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`worker ${name} exited with ${code}: ${stderr}`)),
    );
  });
}

describe('LayoutTarget across processes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-concurrency-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const [workers, perWorker] of [
    [8, 3],
    [16, 1],
  ] as const) {
    it(`${workers} node processes creating and pushing ${counted(perWorker, 'artifact')} each into one layout at once lose no tag and leave a valid index.json`, async () => {
      const layoutPath = path.join(dir, 'shared');
      await Promise.all(Array.from({ length: workers }, (_, w) => runWorker(layoutPath, `w${w}`, perWorker)));

      const index = parseIndex(layoutPath, await fs.readFile(path.join(layoutPath, 'index.json'), 'utf8'));
      assert.equal(index.manifests.length, workers * perWorker);
      const layout = await LayoutTarget.open(layoutPath);
      const tags: string[] = [];
      for await (const page of layout.listTags()) tags.push(...page);
      const expected = Array.from({ length: workers }, (_, w) =>
        Array.from({ length: perWorker }, (_, i) => `w${w}-${i}`),
      )
        .flat()
        .sort();
      assert.deepEqual(tags, expected);
      for (const tag of tags) {
        const { manifest } = await layout.fetchManifest(tag);
        assert.ok(
          'layers' in manifest && manifest.layers[0]?.annotations?.['org.opencontainers.image.title'] === `${tag}.txt`,
          tag,
        );
      }
      const leftovers = (await fs.readdir(layoutPath))
        .concat(await fs.readdir(path.join(layoutPath, 'blobs')))
        .filter((n) => n.endsWith('.lock') || n.endsWith('.tmp'));
      assert.deepEqual(leftovers, [], 'no lock or temp file left behind');
      recordFigures('concurrency', {
        [`layout push race, ${workers} processes`]: {
          tried: workers * perWorker,
          held: tags.length,
          detail: `${workers} processes pushing ${counted(perWorker, 'artifact')} each into one layout: tags kept, index.json valid`,
        },
      });
    });
  }
});
