// A failed run removes a layout folder it made that lists nothing (createdLayouts.ts), but only with what this run
// wrote in it: another process copying into the same new folder meanwhile has blobs there that its index.json does
// not list yet (tags are written in batches), and removing them would leave that run an index naming blobs that are
// gone. A scripted source registry (the timing is the fault: the other writer writes while this run fetches a blob,
// which then fails) and a real second writer of the layout (LayoutTarget, as another stowage process).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget, lockLayoutIndex } from '../../../src/core/layout';
import { cli } from '../../helpers/runCli';

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const CONFIG = Buffer.from('{}');
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(CONFIG), size: CONFIG.length },
    layers: [],
  }),
);
/** The other writer's manifest: pushed, its tag still waiting in that run's batch. */
const OTHER = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(CONFIG), size: CONFIG.length },
    layers: [],
    annotations: { by: 'another run' },
  }),
);

describe('a failed run leaves alone what another writer put in the layout it made', function () {
  this.timeout(60_000);
  let dir: string;
  let server: http.Server;
  let host: string;
  let layout: string;

  let listsInTheInstant = false;
  let otherListed: { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-other-writer-'));
    layout = path.join(dir, 'new');
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      const json = (status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      };
      if (url === '/v2/') return json(200, {});
      if (url === '/v2/app/manifests/v1') {
        res.writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'content-length': MANIFEST.length,
          'docker-content-digest': sha256(MANIFEST),
        });
        return res.end(req.method === 'HEAD' ? undefined : MANIFEST);
      }
      if (url.startsWith('/v2/app/blobs/') && listsInTheInstant) {
        // Another writer holds this layout's index.json lock when this run fails, and lists its tag under it.
        void lockLayoutIndex(layout).then(async (release) => {
          json(404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] });
          await new Promise((resolve) => setTimeout(resolve, 1000));
          try {
            const entry = {
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              digest: sha256(MANIFEST),
              size: MANIFEST.length,
              annotations: { 'org.opencontainers.image.ref.name': 'v1' },
            };
            await fs.writeFile(
              path.join(layout, 'index.json.tmp'),
              JSON.stringify({ schemaVersion: 2, manifests: [entry] }),
            );
            await fs.rename(path.join(layout, 'index.json.tmp'), path.join(layout, 'index.json'));
            otherListed.resolve();
          } catch (err) {
            otherListed.reject(err as Error);
          } finally {
            await release();
          }
        });
        return;
      }
      if (url.startsWith('/v2/app/blobs/')) {
        // This run's layout exists now: another run writes into it, then this run's blob fails.
        const other = LayoutTarget.open(layout).then((target) =>
          target.pushManifest(
            { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(OTHER), size: OTHER.length },
            OTHER,
          ),
        );
        void other.then(
          () => json(404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] }),
          (err: unknown) => json(500, { errors: [{ code: 'UNKNOWN', message: String(err) }] }),
        );
        return;
      }
      json(404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("copy into a new layout fails: the other writer's blob and the layout stay", async () => {
    const copied = await cli(['copy', '--plain-http', `${host}/app:v1`, `oci:${layout}:v1`]);
    assert.equal(copied.code, 1, copied.stderr);
    const otherBlob = path.join(layout, 'blobs', 'sha256', sha256(OTHER).slice('sha256:'.length));
    assert.equal((await fs.readFile(otherBlob)).toString(), OTHER.toString(), copied.stderr);
    assert.ok((await fs.stat(path.join(layout, 'oci-layout'))).isFile());
    assert.doesNotMatch(copied.stderr, /was removed/);
  });

  it('copy into a new layout fails while another writer lists its tag under the index lock: the layout stays', async () => {
    listsInTheInstant = true;
    layout = path.join(dir, 'instant');
    otherListed = {} as typeof otherListed;
    otherListed.promise = new Promise<void>((resolve, reject) => Object.assign(otherListed, { resolve, reject }));
    const copied = await cli(['copy', '--plain-http', `${host}/app:v1`, `oci:${layout}:v1`]);
    assert.equal(copied.code, 1, copied.stderr);
    // The other writer's listing went in (its folder was there) and stayed with the layout.
    await otherListed.promise;
    const index = JSON.parse(await fs.readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 1, copied.stderr);
    assert.ok((await fs.stat(path.join(layout, 'oci-layout'))).isFile());
    assert.deepEqual((await fs.readdir(dir)).sort(), ['instant', 'new'], 'nothing left moved aside');
    assert.doesNotMatch(copied.stderr, /was removed/);
  });
});
