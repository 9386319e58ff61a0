// A pull of an artifact of many files fetches several at once, as ORAS does (3) and as a copy does (4), and
// --concurrency bounds it. A scripted registry holds each file's download until as many are open as the test
// expects at once, so the overlap is seen, not timed.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content/hashing';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci/mediaTypes';
import { json, serveManifest, startHostileServer, type HostileServer } from '../../fixtures/hostileServer';
import { cli } from '../../helpers/runCli';

const FILES = ['a.bin', 'b.bin', 'c.bin'].map((title) => {
  const bytes = randomBytes(256 * 1024);
  return { title, bytes, digest: digestOf(bytes) };
});
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/vnd.example.files',
    config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
    layers: FILES.map((f) => ({
      mediaType: 'application/octet-stream',
      digest: f.digest,
      size: f.bytes.length,
      annotations: { 'org.opencontainers.image.title': f.title },
    })),
  }),
);

describe('stowage pull: files fetched at once', function () {
  this.timeout(60_000);
  let server: HostileServer;
  let work: string;
  /** Downloads held open now, the most seen at once, and how many to hold before answering them all. */
  let held: { res: ServerResponse; bytes: Buffer }[] = [];
  let most = 0;
  let holdUntil = 1;
  /** Answers whatever is held when fewer than holdUntil ever come (a pull that fetches fewer at once). */
  let fallback: NodeJS.Timeout | undefined;
  let fallbackMs = 0;
  /** The file whose download is answered with other bytes of its size. */
  let corrupt: string | undefined;

  function releaseHeld(): void {
    clearTimeout(fallback);
    for (const { res, bytes } of held.splice(0)) res.end(bytes);
  }

  before(async () => {
    server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (serveManifest(req, res, url, 'app', 'v1', MANIFEST)) return;
      const file = FILES.find((f) => url.pathname === `/v2/app/blobs/${f.digest}`);
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
      if (req.method === 'HEAD') return void res.end();
      held.push({ res, bytes: file.title === corrupt ? randomBytes(file.bytes.length) : file.bytes });
      most = Math.max(most, held.length);
      if (held.length >= holdUntil) releaseHeld();
      else {
        clearTimeout(fallback);
        fallback = setTimeout(releaseHeld, fallbackMs);
      }
    });
  });
  after(async () => {
    releaseHeld();
    await server.close();
  });
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pull-concurrency-'));
    held = [];
    most = 0;
    corrupt = undefined;
  });
  afterEach(async () => {
    releaseHeld();
    await fs.rm(work, { recursive: true, force: true });
  });

  async function pull(...flags: string[]): Promise<void> {
    const out = path.join(work, 'out');
    const run = await cli(['pull', `${server.host}/app:v1`, '--plain-http', '-o', out, ...flags], {
      env: { DOCKER_CONFIG: path.join(work, 'docker') },
    });
    assert.equal(run.code, 0, run.stderr);
    for (const f of FILES) assert.ok((await fs.readFile(path.join(out, f.title))).equals(f.bytes), f.title);
  }

  it('fetches the three files at once by default', async () => {
    // Held until all three are open: a pull fetching one at a time is answered only by the fallback, and fails below.
    [holdUntil, fallbackMs] = [3, 10_000];
    await pull();
    assert.equal(most, 3);
  });

  it('fetches one at a time with --concurrency 1', async () => {
    // Held until two are open: a pull that opened a second download would be seen here.
    [holdUntil, fallbackMs] = [2, 1_000];
    await pull('--concurrency', '1');
    assert.equal(most, 1);
  });

  it('one file failing stops the others and writes nothing: no file, no folder, no staging left', async () => {
    [holdUntil, fallbackMs, corrupt] = [3, 10_000, 'b.bin'];
    const run = await cli(['pull', `${server.host}/app:v1`, '--plain-http', '-o', path.join(work, 'out')], {
      env: { DOCKER_CONFIG: path.join(work, 'docker') },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^stowage pull: .*layer "b\.bin"/);
    assert.doesNotMatch(run.stderr, /interrupted/);
    assert.deepEqual(await fs.readdir(work), []);
  });
});
