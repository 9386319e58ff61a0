// A scripted hostile registry against the engine and the CLI: endless next-page links, a 300 MiB tag page, a
// 150 MiB token, bodies trickled a byte every 2 s (JSON and blob). Each must end in a clear error that names
// the limit and how to raise it, in bounded time and memory.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { digestOf } from '../../src/core/content/hashing';
import { bytesContent } from '../../src/core/content/bytesContent';
import { OciError } from '../../src/core/oci/errors';
import { EMPTY_DIGEST, MediaType } from '../../src/core/oci/mediaTypes';
import { buildReferrerGraph } from '../../src/core/graph/referrerGraph';
import { RegistryClient, type RegistryClientOptions } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import {
  json,
  startHostileServer,
  streamHuge,
  trickle,
  type HostileServer,
  type Route,
} from '../fixtures/hostileServer';
import { recordFigures } from '../helpers/figures';
import { cli } from '../helpers/runCli';

const MiB = 1024 * 1024;

describe('a hostile registry: unbounded answers', function () {
  this.timeout(120_000);
  const servers: HostileServer[] = [];
  const clients: RegistryClient[] = [];
  const figures: Parameters<typeof recordFigures>[1] = {};

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  after(() => recordFigures('hostile', figures));

  async function serve(route: Route): Promise<HostileServer> {
    const server = await startHostileServer(route);
    servers.push(server);
    return server;
  }

  function clientOf(server: HostileServer, options: RegistryClientOptions = {}): RegistryClient {
    const client = new RegistryClient(
      { host: server.host, plainHttp: true },
      { retry: { retries: 0 }, credentials: { ignoreToolConfig: true }, ...options },
    );
    clients.push(client);
    return client;
  }

  /** Samples the test process's resident memory while `work` runs; the peak, in MiB. */
  async function peakRssMiB(work: () => Promise<unknown>): Promise<number> {
    let peak = process.memoryUsage.rss();
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return Math.round(Math.max(peak, process.memoryUsage.rss()) / MiB);
  }

  it('endless distinct next-page links: tags stop at the page limit, with an error naming it and how to raise it', async () => {
    const server = await serve((_req, res, url) => {
      const last = Number(url.searchParams.get('last') ?? 0);
      json(res, { name: 'app', tags: [`t${last}`] }, { link: `</v2/app/tags/list?n=1&last=${last + 1}>; rel="next"` });
    });
    const target = new RegistryTarget(clientOf(server), 'app');
    const started = Date.now();
    let tags = 0;
    await assert.rejects(
      async () => {
        for await (const page of target.listTags()) tags += page.length;
      },
      (e: unknown) =>
        OciError.is(e, 'SIZE_EXCEEDED') &&
        /stopped after 10000 pages/.test(e.message) &&
        e.message.includes('--max-pages') &&
        e.message.includes('stowage.limits.maxPages'),
    );
    const ms = Date.now() - started;
    assert.equal(server.requests, 10_000);
    assert.equal(tags, 10_000);
    figures['endless paging'] = {
      tried: 1,
      held: 1,
      detail: `endless distinct next-page links: tags stopped at 10000 pages (the default limit) in ${(ms / 1000).toFixed(1)} s`,
    };
  });

  it('endless referrer pages: `stowage discover --max-pages 100` stops at 100 pages and says which flag raises it', async () => {
    const subject = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(Buffer.from('{}')), size: 2 },
        layers: [],
      }),
    );
    const subjectDigest = digestOf(subject);
    let referrerPages = 0;
    const server = await serve((req, res, url) => {
      if (url.pathname === `/v2/app/manifests/${subjectDigest}`) {
        res.writeHead(200, {
          'content-type': MediaType.ociManifest,
          'docker-content-digest': subjectDigest,
          'content-length': String(subject.length),
        });
        res.end(req.method === 'HEAD' ? undefined : subject);
      } else if (url.pathname.startsWith('/v2/app/referrers/')) {
        const page = Number(url.searchParams.get('page') ?? 0);
        if (url.pathname.endsWith(subjectDigest)) referrerPages++;
        const entry = {
          mediaType: MediaType.ociManifest,
          digest: digestOf(Buffer.from(`referrer ${page}`)),
          size: 100,
          artifactType: 'application/example',
        };
        json(
          res,
          { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [entry] },
          { link: `<${url.pathname}?page=${page + 1}>; rel="next"` },
        );
      } else {
        json(res, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'no such thing' }] }, {}, 404);
      }
    });
    const run = await cli(['discover', `${server.host}/app@${subjectDigest}`, '--max-pages', '100', '--plain-http']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /stopped after 100 pages/);
    assert.match(run.stderr, /--max-pages/);
    assert.equal(referrerPages, 100);
    figures['endless referrer paging'] = {
      tried: 1,
      held: 1,
      detail:
        'endless referrer pages under `stowage discover --max-pages 100`: stopped at 100 pages with an error naming the flag',
    };
  });

  it('a tag listing whose next link goes back to its first page: `delete --tags` and `copy --all-tags` refuse, deleting nothing', async () => {
    // Page 2 links back to page 1: `latest`, on a page the registry never sends, may name a pr- build's manifest.
    const methods: string[] = [];
    const server = await serve((req, res, url) => {
      methods.push(`${req.method} ${url.pathname}${url.search}`);
      if (url.pathname !== '/v2/app/tags/list')
        return json(res, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'no such thing' }] }, {}, 404);
      const second = url.searchParams.get('last') === 'pr-1';
      json(
        res,
        { name: 'app', tags: [second ? 'pr-2' : 'pr-1'] },
        { link: second ? '</v2/app/tags/list>; rel="next"' : '</v2/app/tags/list?n=1&last=pr-1>; rel="next"' },
      );
    });
    const deletion = await cli(['delete', '--tags', 'pr-*', '--yes', `${server.host}/app`, '--plain-http']);
    assert.equal(deletion.code, 1, deletion.stderr);
    assert.match(deletion.stderr, /sent a next link back to page 1 of the tags of .*app.*cannot be read/);
    const folder = path.join(os.tmpdir(), `stowage-never-written-${process.pid}`);
    const copy = await cli(['copy', '--all-tags', `${server.host}/app`, `oci:${folder}`, '--plain-http']);
    assert.equal(copy.code, 1, copy.stderr);
    assert.match(copy.stderr, /sent a next link back to page 1/);
    assert.equal(fs.existsSync(folder), false);
    assert.deepEqual(
      methods.filter((m) => !m.startsWith('GET /v2/app/tags/list')),
      [],
    );
    // Browsing still shows what was sent, with a warning.
    const listing = await cli(['tags', `${server.host}/app`, '--plain-http']);
    assert.equal(listing.code, 0, listing.stderr);
    assert.deepEqual(listing.stdout.trim().split('\n'), ['pr-1', 'pr-2']);
    assert.match(listing.stderr, /may be incomplete/);
  });

  it('a 300 MiB tag page (generated while sent): refused at the 32 MiB answer cap, and the test process stays small', async () => {
    let sentTail = false;
    const server = await serve((_req, res) => {
      streamHuge(res, '{"name":"app","tags":[', '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",', '"z"]}', 300 * MiB);
      res.on('finish', () => {
        sentTail = true;
      });
    });
    const target = new RegistryTarget(clientOf(server), 'app');
    global.gc?.();
    const before = Math.round(process.memoryUsage.rss() / MiB);
    const peak = await peakRssMiB(() =>
      assert.rejects(
        async () => {
          for await (const page of target.listTags()) void page;
        },
        (e: unknown) =>
          OciError.is(e, 'SIZE_EXCEEDED') &&
          e.message.includes('/v2/app/tags/list') &&
          e.message.includes('33554432 bytes (32 MiB)') &&
          e.message.includes('--max-response-mib') &&
          e.message.includes('stowage.limits.maxResponseMiB'),
      ),
    );
    assert.equal(sentTail, false, 'the whole 300 MiB was read');
    // Before the cap the page was parsed whole: 1.09 GB for 200 MiB. Now at most the cap is held, plus parts.
    assert.ok(peak - before < 160, `RSS grew by ${peak - before} MiB (from ${before} to ${peak} MiB)`);
    figures['300 MiB body'] = {
      tried: 1,
      held: 1,
      detail: `300 MiB tag page: refused at the 32 MiB cap, test process RSS ≤ ${peak} MiB (+${peak - before} MiB)`,
    };
  });

  it('a 150 MiB token: refused with an error about the token, never sent back; a 100 KiB token is refused too', async () => {
    for (const [size, pattern] of [
      [150 * MiB, /token answer .* exceeds the limit of 262144 bytes/],
      [100 * 1024, /answered a token of \d+ bytes, more than the 64 KiB/],
    ] as const) {
      let bearerSeen = false;
      const server = await serve((req, res, url) => {
        if (url.pathname === '/token') {
          streamHuge(res, '{"token":"', 'A'.repeat(1024), '"}', size - 12);
          return;
        }
        if (req.headers.authorization) bearerSeen = true;
        json(
          res,
          { errors: [{ code: 'UNAUTHORIZED' }] },
          { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="hostile"` },
          401,
        );
      });
      const started = Date.now();
      const rss = await peakRssMiB(() =>
        assert.rejects(
          new RegistryTarget(clientOf(server), 'app').resolve('v1'),
          (e: unknown) => OciError.is(e, 'SIZE_EXCEEDED') && pattern.test(e.message),
        ),
      );
      assert.equal(bearerSeen, false, 'the token was sent back');
      if (size > MiB)
        figures['huge token'] = {
          tried: 1,
          held: 1,
          detail: `150 MiB token answer: refused at 256 KiB in ${Date.now() - started} ms (tokens over 64 KiB refused), never sent back; RSS ≤ ${rss} MiB`,
        };
    }
  });

  it('a server trickling one byte every 2 s: the request fails by the overall deadline, with the setting named', async () => {
    const server = await serve((_req, res) => trickle(res, JSON.stringify({ name: 'app', tags: ['v1', 'v2'] }), 2000));
    const target = new RegistryTarget(clientOf(server, { limits: { requestTimeoutMs: 3000 } }), 'app');
    const started = Date.now();
    await assert.rejects(
      async () => {
        for await (const page of target.listTags()) void page;
      },
      (e: unknown) =>
        OciError.is(e, 'NETWORK') &&
        /request deadline of 3 s/.test(e.message) &&
        e.message.includes('--request-timeout') &&
        e.message.includes('stowage.limits.requestTimeoutSeconds'),
    );
    const ms = Date.now() - started;
    assert.ok(ms >= 2900 && ms < 6000, `took ${ms} ms`);
    figures['trickled answer'] = {
      tried: 1,
      held: 1,
      detail: `JSON answer trickled 1 byte / 2 s: failed by the overall deadline (3 s in the test, 120 s by default) after ${(ms / 1000).toFixed(1)} s`,
    };
  });

  it('a blob trickled a byte at a time: no overall deadline, but the download fails below the minimum throughput', async () => {
    const blob = 'x'.repeat(4096);
    const descriptor = {
      mediaType: 'application/octet-stream',
      digest: digestOf(Buffer.from(blob)),
      size: blob.length,
    };
    const server = await serve((_req, res) => trickle(res, blob, 100, { 'content-type': 'application/octet-stream' }));
    const client = clientOf(server, {
      limits: { requestTimeoutMs: 1000 },
      minThroughput: { bytesPerSecond: 1024, windowMs: 2500 },
    });
    const started = Date.now();
    await assert.rejects(
      async () => {
        for await (const chunk of await new RegistryTarget(client, 'app').fetchBlob(descriptor)) void chunk;
      },
      (e: unknown) => OciError.is(e, 'NETWORK') && /below the minimum of 1024 bytes\/s/.test(e.message),
    );
    const ms = Date.now() - started;
    // Past the 1 s request deadline (blobs have none), stopped by the 2.5 s throughput window.
    assert.ok(ms >= 2400 && ms < 6000, `took ${ms} ms`);
    figures['trickled blob'] = {
      tried: 1,
      held: 1,
      detail: `blob trickled 10 bytes/s: no overall deadline for transfers, failed below the minimum throughput (1 KiB/s over each minute by default) after ${(ms / 1000).toFixed(1)} s`,
    };
  });

  describe('a layer to unpack, declared gigabytes, made of nothing: refused as early as its bytes allow', () => {
    const GiB = 1024 * MiB;
    const emptyMember = gzipSync(Buffer.alloc(0));

    /**
     * A registry holding `tag` → a manifest of one layer to unpack (an ORAS folder, or a Flux artifact's content),
     * declared `size` bytes and served by `body`, which writes at most what the client reads; `sent` counts it.
     */
    async function layerServer(
      layer: { size: number; flux?: boolean },
      body: (res: import('node:http').ServerResponse, count: (n: number) => void) => void,
    ): Promise<{ server: HostileServer; sent: () => number; blobGets: () => number }> {
      let [sent, gets] = [0, 0];
      const digest = digestOf(Buffer.from(`declared ${layer.size}`));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          config: layer.flux
            ? { mediaType: 'application/vnd.cncf.flux.config.v1+json', digest: EMPTY_DIGEST, size: 2 }
            : { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 },
          ...(layer.flux ? {} : { artifactType: 'application/vnd.example.site' }),
          layers: [
            layer.flux
              ? { mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip', digest, size: layer.size }
              : {
                  mediaType: MediaType.ociLayerGzip,
                  digest,
                  size: layer.size,
                  annotations: { 'org.opencontainers.image.title': 'site', 'io.deis.oras.content.unpack': 'true' },
                },
          ],
        }),
      );
      const server = await serve((req, res, url) => {
        if (url.pathname === '/v2/') return json(res, {});
        if (url.pathname === '/v2/app/manifests/v1' || url.pathname === `/v2/app/manifests/${digestOf(manifest)}`) {
          res.writeHead(200, {
            'content-type': MediaType.ociManifest,
            'docker-content-digest': digestOf(manifest),
            'content-length': String(manifest.length),
          });
          return void res.end(req.method === 'HEAD' ? undefined : manifest);
        }
        if (url.pathname === `/v2/app/blobs/${EMPTY_DIGEST}`) {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '2' });
          return void res.end(req.method === 'HEAD' ? undefined : '{}');
        }
        if (url.pathname === `/v2/app/blobs/${digest}` && req.method === 'GET') {
          gets++;
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(layer.size) });
          return body(res, (n) => (sent += n));
        }
        json(res, { errors: [{ code: 'NOT_FOUND', message: 'no such thing' }] }, {}, 404);
      });
      return { server, sent: () => sent, blobGets: () => gets };
    }

    /** Writes chunks from `next` as fast as the client reads them, until it hangs up. */
    function pump(res: import('node:http').ServerResponse, count: (n: number) => void, next: () => Buffer): void {
      const write = (): void => {
        while (!res.destroyed) {
          const chunk = next();
          count(chunk.length);
          if (!res.write(chunk)) return void res.once('drain', write);
        }
      };
      res.on('close', () => res.removeAllListeners('drain'));
      write();
    }

    for (const flux of [false, true])
      it(`${flux ? 'a Flux content layer' : 'an ORAS folder layer'} of 3 GiB of empty gzip members: refused after about a MiB read, not 3 GiB`, async () => {
        const chunk = Buffer.concat(Array.from({ length: 3276 }, () => emptyMember));
        const { server, sent } = await layerServer({ size: 3 * GiB, flux }, (res, count) =>
          pump(res, count, () => chunk),
        );
        const out = `/tmp/stowage-empty-gzip-${process.pid}-${flux}`;
        const run = await cli(['pull', `${server.host}/app:v1`, '-o', out, '--plain-http']);
        assert.equal(run.code, 1, run.stdout);
        assert.match(run.stderr, /bytes of it unpack to 0 bytes: no compressor writes that/);
        assert.ok(sent() < 16 * MiB, `the registry sent ${sent()} bytes`);
      });

    it('a folder layer declared larger than anything the pull cap allows is refused before its download starts', async () => {
      const { server, blobGets } = await layerServer({ size: 100 * GiB }, (res) => res.end());
      const run = await cli([
        'pull',
        `${server.host}/app:v1`,
        '-o',
        `/tmp/stowage-declared-${process.pid}`,
        '--plain-http',
      ]);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /107374182400 bytes to download before unpacking, exceeds the limit of \d+ bytes/);
      assert.match(run.stderr, /--max-size/);
      assert.equal(blobGets(), 0, 'not a byte of it was asked for');
    });

    it('a folder layer declared 3 GiB whose first entry is refused: the download stops there, at once', async () => {
      // One gzip stream: a tar header naming "../evil" of 3 GiB, then zeros, compressed as they are asked for.
      const header = Buffer.alloc(512);
      header.write('../evil', 0);
      header.write('0000644\0', 100);
      header.write('30000000000\0', 124);
      header.write('        ', 148);
      header.write('0', 156);
      header.write('ustar\0', 257);
      header.write('00', 263);
      let sum = 0;
      for (const byte of header) sum += byte;
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
      const gzip = createGzip();
      const { server, sent } = await layerServer({ size: 3 * GiB }, (res, count) => {
        gzip.on('data', (chunk: Buffer) => count(chunk.length));
        gzip.pipe(res);
        res.on('close', () => gzip.destroy());
        gzip.write(header);
        const zeros = Buffer.alloc(64 * 1024);
        const more = (): void => {
          while (!gzip.destroyed && gzip.write(zeros));
          if (!gzip.destroyed) gzip.once('drain', more);
        };
        more();
      });
      const t0 = Date.now();
      const run = await cli([
        'pull',
        `${server.host}/app:v1`,
        '-o',
        `/tmp/stowage-evil-${process.pid}`,
        '--plain-http',
      ]);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /\.\.\/evil/);
      assert.ok(sent() < 16 * MiB, `the registry sent ${sent()} bytes`);
      // The registry sends on slowly: the refusal must not wait for the next bytes (the idle timeout is a minute).
      assert.ok(Date.now() - t0 < 20_000, `refused after ${Date.now() - t0} ms`);
    });
  });

  it('an error answer to a blob GET or upload, trickled: read for its message by the request deadline only, the status kept', async () => {
    const blob = Buffer.from('a blob the registry will not take');
    const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(blob), size: blob.length };
    const errorBody = JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
    const server = await serve((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'DELETE') return void res.writeHead(204).end(); // the abandoned upload's clean-up
      if (req.method === 'POST')
        return void res.writeHead(202, { location: '/v2/app/blobs/uploads/u1', 'content-length': '0' }).end();
      trickle(res, errorBody, 2000, {}, req.method === 'GET' ? 404 : 400);
    });
    const target = new RegistryTarget(clientOf(server, { limits: { requestTimeoutMs: 3000 } }), 'app');
    for (const [what, work, code] of [
      ['GET', async () => void (await target.fetchBlob(descriptor)), 'NOT_FOUND'],
      ['upload', () => target.pushBlob(descriptor, bytesContent(blob)), 'REGISTRY'],
    ] as const) {
      const started = Date.now();
      await assert.rejects(work, (e: unknown) => OciError.is(e, code), what);
      const ms = Date.now() - started;
      // Without a deadline the 64 KiB cap on error bodies took hours at one byte every 2 s.
      assert.ok(ms >= 2900 && ms < 6000, `${what} took ${ms} ms`);
    }
    figures['trickled error answer to a transfer'] = {
      tried: 2,
      held: 2,
      detail:
        'blob GET 404 and upload 400, their error bodies trickled 1 byte / 2 s: the status reported after the request deadline (3 s in the test), not after hours',
    };
  });

  it('a referrer walk blocked on a registry that never answers ends as soon as its signal aborts, and asks nothing more', async () => {
    const root = { mediaType: MediaType.ociManifest, digest: digestOf(Buffer.from('root')), size: 4 };
    const referrers = Array.from({ length: 20 }, (_, i) => ({
      mediaType: MediaType.ociManifest,
      digest: digestOf(Buffer.from(`referrer ${i}`)),
      size: 10,
      artifactType: 'application/example',
    }));
    let hanging = 0;
    const server = await serve((_req, res, url) => {
      if (url.pathname === `/v2/app/referrers/${EMPTY_DIGEST}`)
        json(res, { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
      else if (url.pathname === `/v2/app/referrers/${root.digest}`)
        json(res, { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: referrers });
      else if (url.pathname.startsWith('/v2/app/referrers/'))
        hanging++; // never answered
      else json(res, { errors: [{ code: 'MANIFEST_UNKNOWN' }] }, {}, 404);
    });
    const walk = new AbortController();
    const target = new RegistryTarget(clientOf(server), 'app');
    const graph = buildReferrerGraph(target, root, { signal: walk.signal });
    // The connection pool holds 8 per origin: 8 requests hang, the other 12 wait for a connection.
    for (const until = Date.now() + 10_000; hanging < 8 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(hanging, 8);
    const started = Date.now();
    walk.abort(); // what closing the graph panel or collapsing the tree node does
    await assert.rejects(graph, (e: unknown) => OciError.is(e, 'ABORTED'));
    const ms = Date.now() - started;
    const asked = server.requests;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.requests, asked, 'the walk went on asking after it was aborted');
    assert.ok(ms < 1000, `took ${ms} ms to stop`);
    figures['aborted referrer walk'] = {
      tried: 1,
      held: 1,
      detail: `referrer walk blocked on ${hanging} requests the registry never answers: ended ${ms} ms after its signal aborted (panel closed / node collapsed), no request after`,
    };
  });
});
