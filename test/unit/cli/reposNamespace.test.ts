// `stowage repos <host>/<namespace>` over a registry's catalog: the catalog is sorted, so the listing starts just
// before the namespace (the spec's `last`) and stops once past it instead of reading every page of the registry.
import * as assert from 'node:assert/strict';
import { cli } from '../../helpers/runCli';
import { reply, startScriptedServer, type ScriptedServer } from '../registry/scriptedServer';

const CATALOG = ['alpha/one', 'alpha/two', 'example/one', 'example/two', 'examplez', 'zeta/a', 'zeta/b', 'zeta/c'];

describe('stowage repos over a sorted catalog', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://registry');
      if (url.pathname === '/v2/') return reply(res, 200, { 'content-type': 'application/json' }, '{}');
      const n = Number(url.searchParams.get('n') ?? 100);
      const last = url.searchParams.get('last');
      const after = CATALOG.filter((name) => last === null || name > last);
      const page = after.slice(0, n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (after.length > n)
        headers['link'] = `</v2/_catalog?n=${n}&last=${encodeURIComponent(page.at(-1)!)}>; rel="next"`;
      reply(res, 200, headers, JSON.stringify({ repositories: page }));
    });
  });
  after(() => server.close());
  const catalogHits = () =>
    server.hits.filter((h) => h.url.startsWith('/v2/_catalog')).map((h) => decodeURIComponent(h.url));

  it('starts just before the namespace and stops once past it', async () => {
    server.hits.length = 0;
    const run = await cli(['repos', `${server.host}/example`, '--page-size', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'one\ntwo\n');
    assert.deepEqual(catalogHits(), ['/v2/_catalog?n=2&last=exampld~', '/v2/_catalog?n=2&last=example/two']);
  });

  it('--last under a namespace is the name as listed; without a namespace every page is read', async () => {
    server.hits.length = 0;
    const after = await cli(['repos', `${server.host}/example`, '--last', 'one']);
    assert.equal(after.stdout, 'two\n');
    assert.deepEqual(catalogHits(), ['/v2/_catalog?n=1000&last=example/one']);
    server.hits.length = 0;
    const all = await cli(['repos', server.host, '--page-size', '3']);
    assert.equal(all.stdout, `${CATALOG.join('\n')}\n`);
    assert.equal(catalogHits().length, 3);
  });
});

describe('stowage repo ls on an OCI image layout', () => {
  it('says a layout has tags, not repositories, and how to list them (not `"oci:" is not a registry host`)', async () => {
    for (const [args, suggested] of [
      [['repo', 'ls', 'oci:./backup'], 'stowage repo tags oci:./backup'],
      [['repo', 'ls', '--oci-layout', 'backup'], 'stowage repo tags --oci-layout backup'],
      [['repos', 'oci:backup'], 'stowage repo tags oci:backup'],
    ] as const) {
      const run = await cli([...args]);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(
        run.stderr.split('\n')[0],
        `stowage ${args[0]}: an OCI image layout holds one repository, so it has tags, not repositories: ${suggested}`,
      );
    }
  });
});
