// A repository the registry does not know (NAME_UNKNOWN on its tag list or a manifest): the failure names up to three
// similar names from the registry's catalog, when the catalog answers at once. Real registry for the suggestion; a
// scripted one for a hostile catalog (names with control characters or markdown never shown), one that holds its
// answer (no hint, and the command does not wait past the hint's deadline) and one that refuses it (no hint).
import * as assert from 'node:assert/strict';
import { RegistryTarget } from '../../../src/core/registry';
import { CATALOG_HINT_DEADLINE_MS } from '../../../src/core/registry/catalogNames';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { json, startHostileServer, type HostileServer } from '../../fixtures/hostileServer';
import { cli } from '../../helpers/runCli';
import { HINTS_DEADLINE_MS } from '../../../src/cli/run';
import { pushArtifact } from '../../helpers/sampleArtifact';

const NAME_UNKNOWN = { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] };

describe('a repository not found names similar ones from the catalog', function () {
  this.timeout(60_000);
  let registry: TestRegistry;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    for (const name of ['team/webapp', 'team/webapi', 'other/thing'])
      await pushArtifact(new RegistryTarget(clientFor(registry), name), name, { tag: 'v1' });
  });
  after(async () => {
    await registry?.stop();
  });

  it('tags of a mistyped repository: the closest names first', async () => {
    const run = await cli(['tags', '--plain-http', `${registry.host}/team/wepapp`]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `^ {2}hint: ${registry.host} has no repository "team/wepapp"; similar names in its catalog: team/webapp, team/webapi$`,
        'm',
      ),
    );
  });

  it('pull from a mistyped repository', async () => {
    const run = await cli(['pull', '--plain-http', `${registry.host}/team/webap:v1`, '-o', '/nonexistent-never-made']);
    assert.equal(run.code, 1, run.stderr);
    // As close both (one letter): in the catalog's order.
    assert.match(run.stderr, /similar names in its catalog: team\/webapi, team\/webapp$/m);
  });

  it('no hint when nothing in the catalog is close', async () => {
    const run = await cli(['tags', '--plain-http', `${registry.host}/zzzzzz/qqqqq`]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /similar names/);
  });

  describe('scripted catalogs', () => {
    let server: HostileServer;
    let catalog: (res: import('node:http').ServerResponse) => void;
    /** How the tag list of team/stalled answers (a HEAD of its manifest is a bare 404). */
    let stalledTags: (res: import('node:http').ServerResponse) => void = () => undefined;
    /** How often the tag list of team/gone (NAME_UNKNOWN; its manifest HEAD a bare 404) was asked. */
    let goneTagLists = 0;

    before(async () => {
      server = await startHostileServer((req, res, url) => {
        if (url.pathname === '/v2/') return json(res, {});
        if (url.pathname === '/v2/_catalog') return catalog(res);
        if (url.pathname === '/v2/team/stalled/tags/list') return stalledTags(res);
        if (url.pathname === '/v2/team/gone/tags/list') goneTagLists++;
        if (/^\/v2\/team\/(stalled|gone)\/manifests\//.test(url.pathname) && req.method === 'HEAD') {
          res.writeHead(404);
          return res.end();
        }
        json(res, NAME_UNKNOWN, {}, 404);
      });
    });
    after(async () => {
      await server?.close();
    });

    it('a hostile catalog: only valid repository names are shown', async () => {
      catalog = (res) =>
        json(res, {
          repositories: [
            'team/web\u001b[2Japp',
            '[team/webapp](http://evil.example)',
            'team/web\u202eapp',
            'team/webapq',
          ],
        });
      const run = await cli(['tags', '--plain-http', `${server.host}/team/webapp`]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /similar names in its catalog: team\/webapq$/m);
      assert.doesNotMatch(run.stderr, /evil/);
      assert.ok(!run.stderr.includes('\u001b') && !run.stderr.includes('\u202e'), run.stderr);
    });

    it('a catalog that holds its answer: no hint, and the command ends by the hint’s deadline', async () => {
      catalog = () => undefined; // never answers
      const started = Date.now();
      const run = await cli(['tags', '--plain-http', `${server.host}/team/webapp`]);
      assert.equal(run.code, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /similar names/);
      assert.ok(Date.now() - started < CATALOG_HINT_DEADLINE_MS + 10_000, `took ${Date.now() - started} ms`);
    });

    it('a HEAD 404 whose tag list holds its answer: the hints give up by their deadline, not the request’s', async () => {
      // The tag list says whether the repository or the tag is missing (both hints ask it): it never answers here.
      stalledTags = () => undefined;
      catalog = (res) => json(res, { repositories: ['team/stalled'] });
      const started = Date.now();
      const run = await cli(['resolve', '--plain-http', `${server.host}/team/stalled:v1`]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^stowage resolve: .*team\/stalled:v1 not found/m);
      // The request deadline is 120 s: a hint must not hold the failure's exit for it.
      assert.ok(Date.now() - started < HINTS_DEADLINE_MS + 10_000, `took ${Date.now() - started} ms`);
    });

    it('a HEAD 404 in a repository that is not there: both hints from one tag listing', async () => {
      catalog = (res) => json(res, { repositories: ['team/goner'] });
      goneTagLists = 0;
      const run = await cli(['resolve', '--plain-http', `${server.host}/team/gone:v1`]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^ {2}hint: .*team\/gone has no tags \(or does not exist\)$/m);
      assert.match(run.stderr, /similar names in its catalog: team\/goner$/m);
      // The tag hint and the repository hint both want the listing's answer: asked once.
      assert.equal(goneTagLists, 1);
    });

    it('a catalog refused: no hint', async () => {
      catalog = (res) => json(res, { errors: [{ code: 'DENIED', message: 'no catalog here' }] }, {}, 403);
      const run = await cli(['tags', '--plain-http', `${server.host}/team/webapp`]);
      assert.equal(run.code, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /similar names/);
    });
  });
});
