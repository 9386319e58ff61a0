// What a push packs from a folder: symlinks must stay inside the folder (what Stowage's own pull accepts),
// and files that often hold secrets (.git, .env, private keys…) are refused unless allowed.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OciError } from '../../../src/core/oci/errors';
import { findSensitiveFiles, packFiles, SensitiveFilesError } from '../../../src/core/files';
import { recordFigures } from '../../helpers/figures';

const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('push rules for folders', () => {
  let dir: string;
  let site: string;
  const outcomes: boolean[] = [];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-push-rules-'));
    site = path.join(dir, 'site');
    await fs.mkdir(path.join(site, 'sub'), { recursive: true });
    await fs.writeFile(path.join(site, 'index.html'), '<h1>hi</h1>');
    await fs.writeFile(path.join(site, 'sub', 'page.html'), 'page');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'outside the folder');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  after(() => {
    recordFigures('secrets', {
      'secrets and escaping links in pushed folders': {
        tried: outcomes.length,
        held: outcomes.filter(Boolean).length,
        detail:
          'escaping or dangling symlinks and secret-holding files (.git, .env, private keys, credential files) in a pushed folder: refused, naming them',
      },
    });
  });

  const escaping: Array<[string, (site: string) => Promise<void>, RegExp]> = [
    [
      'an absolute symlink',
      (s) => fs.symlink(path.join(dir, 'secret.txt'), path.join(s, 'abs')),
      /absolute targets are not allowed/,
    ],
    [
      'a symlink climbing out',
      (s) => fs.symlink('../../secret.txt', path.join(s, 'sub', 'up')),
      /points outside "site\/"/,
    ],
    [
      'a chain of links leaving the folder',
      async (s) => {
        await fs.symlink('.', path.join(s, 't'));
        await fs.symlink('t/..', path.join(s, 'chain')); // "site/t/.." reads as inside; on disk it is the parent
      },
      /resolves outside the folder through a chain of links/,
    ],
    ['a dangling symlink', (s) => fs.symlink('missing.txt', path.join(s, 'dangling')), /dangling/],
  ];
  for (const [what, make, reason] of escaping) {
    it(`refuses ${what}, naming the link`, async () => {
      await make(site);
      await assert.rejects(packFiles([site]), (e: unknown) => {
        const held =
          OciError.is(e, 'UNSAFE_PATH') &&
          reason.test(e.message) &&
          e.message.includes(site) &&
          /symbolic link in the folder being pushed/.test(e.message);
        outcomes.push(held);
        assert.ok(held, String(e));
        return true;
      });
    });
  }

  it('packs a symlink that stays inside the folder', async () => {
    await fs.symlink('sub/page.html', path.join(site, 'alias.html'));
    const packed = await packFiles([site]);
    try {
      assert.equal(packed.layers.length, 1);
    } finally {
      await packed.cleanup();
    }
  });

  it('finds .git folders, .env files, credential files and private keys, but not templates or certificates', async () => {
    await fs.mkdir(path.join(site, '.git'));
    await fs.writeFile(
      path.join(site, '.git', 'config'),
      '[remote "origin"]\n\turl = https://user:token@example.com/r.git\n',
    );
    await fs.writeFile(path.join(site, '.env'), 'PASSWORD=hunter2');
    await fs.writeFile(path.join(site, 'sub', '.env.production'), 'X=1');
    await fs.writeFile(path.join(site, '.env.example'), 'PASSWORD=');
    await fs.writeFile(path.join(site, '.npmrc'), '//registry/:_authToken=x');
    await fs.writeFile(path.join(site, 'sub', 'id_ed25519'), PRIVATE_KEY);
    await fs.writeFile(path.join(site, 'sub', 'id_ed25519.pub'), 'ssh-ed25519 AAAA');
    await fs.writeFile(path.join(site, 'server.pem'), PRIVATE_KEY);
    await fs.writeFile(path.join(site, 'ca.pem'), CERTIFICATE);
    const { files, more } = await findSensitiveFiles([site]);
    const relative = files.map((f) => path.relative(dir, f));
    assert.deepEqual(
      relative,
      [
        'site/.env',
        'site/.git',
        'site/.npmrc',
        'site/server.pem',
        'site/sub/.env.production',
        'site/sub/id_ed25519',
      ].map((f) => f.split('/').join(path.sep)),
    );
    assert.ok(
      files.find((f) => f.endsWith(`.git${path.sep}`)),
      'a folder is named with a trailing separator',
    );
    assert.equal(more, 0);

    await assert.rejects(packFiles([site]), (e: unknown) => {
      const held =
        e instanceof SensitiveFilesError &&
        e.files.length === 6 &&
        /refusing to push files that often hold secrets: .*\.env/.test(e.message);
      outcomes.push(held);
      assert.ok(held, String(e));
      return true;
    });
    const packed = await packFiles([site], { allowSensitiveFiles: true });
    await packed.cleanup();
  });

  it('refuses a sensitive file named directly, and a .git folder named directly (as a title no pull writes)', async () => {
    await fs.writeFile(path.join(dir, '.env'), 'TOKEN=x');
    await fs.mkdir(path.join(dir, '.git'));
    await assert.rejects(packFiles([path.join(dir, '.env')]), SensitiveFilesError);
    // Every pull refuses a ".git" title (a hook or config written there runs commands), so no push makes one.
    for (const allowSensitiveFiles of [false, true])
      await assert.rejects(packFiles([path.join(dir, '.git')], { allowSensitiveFiles }), /Git's own folder/);
    const clean = await packFiles([path.join(dir, 'secret.txt')]);
    await clean.cleanup();
  });

  it('finds a private key by what it holds whatever its name, credentials by their folder, and a given symlink by its target', async () => {
    const keys = path.join(dir, 'keys');
    await fs.mkdir(keys);
    // ssh-keygen -f deploy_key: no extension, a name no list knows.
    await fs.writeFile(path.join(site, 'deploy_key'), PRIVATE_KEY);
    await fs.writeFile(path.join(site, 'bundle.txt'), `Bag Attributes\n    localKeyID: 01\n${PRIVATE_KEY}`);
    await fs.writeFile(path.join(site, 'notes.txt'), 'how to rotate a -----BEGIN CERTIFICATE-----');
    // cat cert.pem key.pem > server.crt: the key after kilobytes of certificates.
    await fs.writeFile(path.join(site, 'server.crt'), `${CERTIFICATE.repeat(40)}${PRIVATE_KEY}`);
    await fs.writeFile(path.join(site, 'chain.crt'), CERTIFICATE.repeat(40));
    for (const [folder, name] of [
      ['.aws', 'credentials'],
      ['.docker', 'config.json'],
      ['.kube', 'config'],
    ] as const) {
      await fs.mkdir(path.join(site, folder));
      await fs.writeFile(path.join(site, folder, name), 'secret');
    }
    await fs.writeFile(path.join(site, 'config.json'), '{}');
    const { files } = await findSensitiveFiles([site]);
    assert.deepEqual(
      files.map((f) => path.relative(site, f)),
      ['.aws/credentials', '.docker/config.json', '.kube/config', 'bundle.txt', 'deploy_key', 'server.crt'].map((f) =>
        f.split('/').join(path.sep),
      ),
    );

    // A symlink named by the user pushes what it points to: judged by the target's name and bytes.
    await fs.writeFile(path.join(keys, 'id_ed25519'), 'not even a key');
    await fs.symlink(path.join(keys, 'id_ed25519'), path.join(dir, 'notes.md'));
    await fs.writeFile(path.join(keys, 'plain'), PRIVATE_KEY);
    await fs.symlink(path.join(keys, 'plain'), path.join(dir, 'readme.md'));
    await fs.symlink(path.join(dir, 'secret.txt'), path.join(dir, 'fine.md'));
    for (const given of ['notes.md', 'readme.md']) {
      const held = await packFiles([path.join(dir, given)]).then(
        async (packed) => (await packed.cleanup(), false),
        (e: unknown) => e instanceof SensitiveFilesError,
      );
      outcomes.push(held);
      assert.ok(held, `${given} → a key`);
    }
    const clean = await packFiles([path.join(dir, 'fine.md')]);
    await clean.cleanup();
  });

  it('judges a folder given through a symlink by where it is: a link to ~/.aws holds .aws/credentials', async () => {
    const home = path.join(dir, 'home');
    for (const [folder, name] of [
      ['.aws', 'credentials'],
      ['.kube', 'config'],
    ] as const) {
      await fs.mkdir(path.join(home, folder), { recursive: true });
      await fs.writeFile(path.join(home, folder, name), 'aws_secret_access_key = x');
      await fs.symlink(path.join(home, folder), path.join(dir, `${folder.slice(1)}-link`));
    }
    await fs.mkdir(path.join(home, '.git'));
    await fs.symlink(path.join(home, '.git'), path.join(dir, 'meta'));
    const given = ['aws-link', 'kube-link', 'meta'].map((name) => path.join(dir, name));
    const { files } = await findSensitiveFiles(given);
    const named = files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    outcomes.push(named.length === 3);
    assert.deepEqual(named, ['aws-link/credentials', 'kube-link/config', 'meta']);
  });
});
