// A reference or registry host written with a sign-in ("https://alice:pw@host/repo", "alice:pw@host", pasted from
// a URL or a docker config) is refused without echoing it: the error reaches terminals, CI logs and issue reports.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { cli } from '../../helpers/runCli';

const SIGN_IN = /alice|s3cret/;
// Port 1 of 127.0.0.1: nothing is ever reached (each is refused before connecting).
const CASES: [string, string[], RegExp][] = [
  ['resolve', ['resolve', 'https://alice:s3cret@127.0.0.1:1/team/app:v1'], /write "127\.0\.0\.1:1\/team\/app:v1"/],
  ['resolve', ['resolve', 'alice:s3cret@127.0.0.1:1/team/app:v1'], /no user name or password/],
  ['login', ['login', 'https://alice:s3cret@127.0.0.1:1', '-u', 'bob', '--password-stdin'], /"127\.0\.0\.1:1"/],
  ['login', ['login', 'alice:s3cret@127.0.0.1:1', '-u', 'bob', '--password-stdin'], /log in to the registry/],
  ['repos', ['repos', 'alice:s3cret@127.0.0.1:1'], /user name or password before "@" \(left out here\)/],
  // A token holds "/" (base64), and a repository's tags are read before the reference (backup, restore, copy).
  ['resolve', ['resolve', 'alice:s3/cret@127.0.0.1:1/team/app:v1'], /"…@127\.0\.0\.1:1\/team\/app:v1"/],
  ['backup', ['backup', 'alice:s3/cret@127.0.0.1:1/team/app', '--output', os.tmpdir()], /not digests/],
  ['backup', ['backup', 'alice:s3cret@127.0.0.1:1/team/app:v 1', '--output', os.tmpdir()], /tags are separated/],
  ['tag', ['tag', '127.0.0.1:1/team/app:v1', 'alice:s3cret@127.0.0.1:1'], /is not a valid tag/],
  ['repos', ['repos', 'alice:s3/cret@127.0.0.1:1/team'], /log in to the registry/],
];

describe('a sign-in written into a reference or host is never echoed', () => {
  for (const [name, args, says] of CASES) {
    it(`${name} ${args[1]}`, async () => {
      const run = await cli(args, { stdin: 'pw\n', env: { HOME: os.tmpdir(), PATH: process.env.PATH } });
      assert.equal(run.code, 2, run.stderr);
      assert.doesNotMatch(run.stderr + run.stdout, SIGN_IN);
      assert.match(run.stderr, says);
    });
  }
});
