// A registry's request quota used up (Docker Hub's anonymous pull limit): one request, not a round of retries
// that the quota's hours-long window cannot answer, an error naming the limit, and the login that raises it.
import * as assert from 'node:assert/strict';
import { cli } from '../../helpers/runCli';
import { reply, startScriptedServer, type ScriptedServer } from '../registry/scriptedServer';

describe('stowage on a registry whose request quota is used up', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer((req, res) => {
      if (req.url === '/v2/') return reply(res, 200, { 'content-type': 'application/json' }, '{}');
      reply(
        res,
        429,
        { 'content-type': 'application/json', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' },
        JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] }),
      );
    });
  });
  after(() => server.close());

  it('asks once, names the limit and says how to log in', async () => {
    server.hits.length = 0;
    const run = await cli(['manifest', 'fetch', `${server.host}/library/nginx:latest`]);
    assert.equal(run.code, 1);
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      `stowage manifest: ${server.host} answered 429 for manifest ${server.host}/library/nginx:latest: its limit of 100 requests per 6 hours is used up; logging in raises it where anonymous requests share a limit by address (Docker Hub), or try again once the limit renews (TOOMANYREQUESTS: You have reached your pull rate limit.)`,
      `  hint: if you are not logged in to ${server.host}, "stowage login ${server.host}" (or docker login) raises the limit`,
    ]);
    assert.equal(server.hits.filter((h) => h.url.includes('/manifests/')).length, 1);
  });
});
