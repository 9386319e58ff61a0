// Tag listings start after a tag (the spec's `last`, ORAS's --last) in every store: local stores page their sorted
// tags; a registry is sent `n` and `last`, and what a registry that ignores `last` answers anyway is dropped.
import * as assert from 'node:assert/strict';
import { tagPages } from '../../../src/core/content/tagPages';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { isUnknownRepository } from '../../../src/core/registry/registryErrors';
import { NotFoundError } from '../../../src/core/oci/errors';
import { reply, startScriptedServer, type ScriptedServer } from './scriptedServer';

const TAGS = ['v2', 'a', 'v10', 'b', 'a', 'sha256-0'];

async function collect(pages: AsyncIterable<string[]> | Iterable<string[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('tag listings after a tag', () => {
  it('local stores: sorted, each tag once, after startAfter, pageSize at a time', async () => {
    assert.deepEqual(await collect(tagPages(TAGS)), [['a', 'b', 'sha256-0', 'v10', 'v2']]);
    assert.deepEqual(await collect(tagPages(TAGS, { startAfter: 'b' })), [['sha256-0', 'v10', 'v2']]);
    assert.deepEqual(await collect(tagPages(TAGS, { startAfter: 'b', pageSize: 2 })), [['sha256-0', 'v10'], ['v2']]);
    assert.deepEqual(await collect(tagPages(TAGS, { startAfter: 'zz' })), []);
    const aborted = new AbortController();
    aborted.abort();
    assert.throws(() => [...tagPages(TAGS, { signal: aborted.signal })], { name: 'AbortedError' });
  });

  describe('a registry', () => {
    let server: ScriptedServer | undefined;
    let client: RegistryClient | undefined;
    afterEach(async () => {
      await client?.close();
      await server?.close();
    });

    async function listFrom(honoursLast: boolean, options: { startAfter?: string; pageSize?: number }) {
      server = await startScriptedServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const last = url.searchParams.get('last');
        const tags = ['a', 'b', 'c', 'd'].filter((t) => !honoursLast || last === null || t > last);
        reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ name: 'app', tags }));
      });
      client = new RegistryClient({ host: server.host, plainHttp: true }, { credentials: { ignoreToolConfig: true } });
      const target = new RegistryTarget(client, 'app');
      return { pages: await collect(target.listTags(options)), urls: server.hits.map((h) => h.url) };
    }

    it('is asked for n and last, and its answer is taken as it is', async () => {
      const { pages, urls } = await listFrom(true, { startAfter: 'b', pageSize: 50 });
      assert.deepEqual(urls, ['/v2/app/tags/list?n=50&last=b']);
      assert.deepEqual(pages, [['c', 'd']]);
    });

    it('ignoring last, still yields only the tags after it', async () => {
      const { pages, urls } = await listFrom(false, { startAfter: 'b' });
      assert.deepEqual(urls, ['/v2/app/tags/list?last=b']);
      assert.deepEqual(pages, [['c', 'd']]);
    });

    /** A registry whose last page links to itself (or that ignores `last` and links to the same page again). */
    async function selfLinking(warnings: string[]) {
      server = await startScriptedServer((req, res) => {
        const last = new URL(req.url ?? '/', 'http://x').searchParams.get('last');
        const tags = last === null ? ['a', 'b'] : ['c', 'd'];
        const link = '</v2/app/tags/list?n=2&last=b>; rel="next"';
        reply(res, 200, { 'content-type': 'application/json', link }, JSON.stringify({ name: 'app', tags }));
      });
      client = new RegistryClient(
        { host: server.host, plainHttp: true },
        { credentials: { ignoreToolConfig: true }, onWarning: ({ text }) => warnings.push(text) },
      );
      return new RegistryTarget(client, 'app');
    }

    it('following a next link back to a page already read, ends the listing there, warning that it may be incomplete', async () => {
      const warnings: string[] = [];
      const pages = await collect((await selfLinking(warnings)).listTags());
      assert.deepEqual(pages, [
        ['a', 'b'],
        ['c', 'd'],
      ]);
      assert.deepEqual(
        server!.hits.map((h) => h.url),
        ['/v2/app/tags/list', '/v2/app/tags/list?n=2&last=b'],
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /sent a next link back to page 2 of the tags of .*app.*may be incomplete/);
    });

    it('asked for the whole list (a copy of every tag, a clean-up by pattern), fails on such a link instead', async () => {
      const warnings: string[] = [];
      const target = await selfLinking(warnings);
      await assert.rejects(collect(target.listTags({ whole: true })), (err: Error) => {
        assert.match(err.message, /sent a next link back to page 2 of the tags of .*app.*cannot be read/);
        return true;
      });
      assert.deepEqual(warnings, []);
    });

    it('without startAfter, is asked for no last', async () => {
      const { pages, urls } = await listFrom(false, {});
      assert.deepEqual(urls, ['/v2/app/tags/list']);
      assert.deepEqual(pages, [['a', 'b', 'c', 'd']]);
    });
  });
});

describe('a tag listing answered 404: an unknown repository only when the registry says so', () => {
  const opened: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const each of opened.splice(0).reverse()) await each.close();
  });

  /** The error listing the tags of `app` gives when the registry answers 404 with `body`. */
  async function refusedWith(body: string): Promise<unknown> {
    const server = await startScriptedServer((_req, res) =>
      reply(res, 404, { 'content-type': 'application/json' }, body),
    );
    const client = new RegistryClient(
      { host: server.host, plainHttp: true },
      { credentials: { ignoreToolConfig: true } },
    );
    opened.push(server, client);
    return collect(new RegistryTarget(client, 'app').listTags()).then(
      () => assert.fail('listed'),
      (err: unknown) => err,
    );
  }

  it('NAME_UNKNOWN (distribution) or NOT_FOUND (Harbor) alone is an unknown repository; codes kept exactly', async () => {
    const unknown = await refusedWith('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]}');
    assert.ok(isUnknownRepository(unknown));
    assert.deepEqual((unknown as NotFoundError).codes, ['NAME_UNKNOWN']);
    assert.ok(isUnknownRepository(await refusedWith('{"errors":[{"code":"NOT_FOUND","message":"no such repo"}]}')));
  });

  it('DENIED, UNAUTHORIZED beside NAME_UNKNOWN, no codes, hostile shapes: not an unknown repository', async () => {
    for (const body of [
      '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
      '{"errors":[{"code":"NAME_UNKNOWN"},{"code":"UNAUTHORIZED"}]}',
      '{"errors":[{"code":"NAME_UNKNOWN\\u0000"}]}',
      '{"errors":[null,{"code":["NAME_UNKNOWN"]}]}',
      '{"errors":[]}',
      '404 page not found',
      '',
    ]) {
      const err = await refusedWith(body);
      assert.ok(err instanceof NotFoundError, `${body}: ${String(err)}`);
      assert.equal(isUnknownRepository(err), false, body);
    }
  });
});
