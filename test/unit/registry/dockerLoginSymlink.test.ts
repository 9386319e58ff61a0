// `login`/`logout` write docker's config.json through a symbolic link (as docker does), keeping the link: real
// links in a temporary folder, a relative one into a "dotfiles" folder and one whose target does not exist yet.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeDockerLogin, saveDockerLogin } from '../../../src/core/registry/dockerLogin';

describe('docker config.json behind a symbolic link', () => {
  let root: string;
  let dockerDir: string;
  let dotfiles: string;
  let link: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-config-link-'));
    dockerDir = path.join(root, 'docker');
    dotfiles = path.join(root, 'dotfiles');
    fs.mkdirSync(dockerDir);
    fs.mkdirSync(dotfiles);
    link = path.join(dockerDir, 'config.json');
    env = { DOCKER_CONFIG: dockerDir, PATH: '' };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const auth = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');
  const read = (file: string) =>
    JSON.parse(fs.readFileSync(file, 'utf8')) as { auths?: Record<string, { auth?: string }>; other?: string };
  const leftovers = () =>
    [...fs.readdirSync(dockerDir), ...fs.readdirSync(dotfiles)].filter((name) => name.includes('.stowage-'));

  it("login and logout write the target through a relative link, keeping the link and the target's other keys", async () => {
    const target = path.join(dotfiles, 'docker-config.json');
    fs.writeFileSync(target, JSON.stringify({ other: 'kept', auths: {} }));
    fs.symlinkSync(path.join('..', 'dotfiles', 'docker-config.json'), link);

    assert.deepEqual(await saveDockerLogin('r.example', { username: 'u', password: 'p' }, env), {
      kind: 'file',
      file: link,
    });
    assert.equal(fs.lstatSync(link).isSymbolicLink(), true, 'config.json is still a link');
    assert.equal(fs.readlinkSync(link), path.join('..', 'dotfiles', 'docker-config.json'));
    assert.deepEqual(read(target), { other: 'kept', auths: { 'r.example': { auth: auth('u', 'p') } } });
    if (process.platform !== 'win32') assert.equal(fs.statSync(target).mode & 0o777, 0o600);

    assert.equal(await removeDockerLogin('r.example', env), true);
    assert.equal(fs.lstatSync(link).isSymbolicLink(), true);
    assert.deepEqual(read(target), { other: 'kept', auths: {} });
    assert.deepEqual(leftovers(), []);
  });

  it('follows a chain of links and creates the target of a dangling one', async () => {
    const target = path.join(dotfiles, 'not-yet.json');
    const middle = path.join(dotfiles, 'middle.json');
    fs.symlinkSync(target, middle);
    fs.symlinkSync(middle, link);
    await saveDockerLogin('r.example', { username: 'u', password: 'p' }, env);
    assert.equal(fs.lstatSync(link).isSymbolicLink(), true);
    assert.equal(fs.lstatSync(middle).isSymbolicLink(), true);
    assert.deepEqual(read(target).auths, { 'r.example': { auth: auth('u', 'p') } });
    assert.deepEqual(leftovers(), []);
  });

  it('refuses a link loop with a clear error, writing nothing', async () => {
    fs.symlinkSync(path.join(dockerDir, 'loop.json'), link);
    fs.symlinkSync(link, path.join(dockerDir, 'loop.json'));
    await assert.rejects(
      saveDockerLogin('r.example', { username: 'u', password: 'p' }, env),
      /config\.json is a loop of symbolic links; point it at the real file/,
    );
    assert.deepEqual(leftovers(), []);
  });
});
