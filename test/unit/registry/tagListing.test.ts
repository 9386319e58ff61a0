// Tag listings start after a tag (the spec's `last`, ORAS's --last) in every store: local stores page their sorted
// tags; a registry is sent `n` and `last`, and what a registry that ignores `last` answers anyway is dropped.
import * as assert from 'node:assert/strict';
import { tagPages } from '../../../src/core/content/tagPages';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
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
