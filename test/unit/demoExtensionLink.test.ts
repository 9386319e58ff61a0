// `npm start` links the checkout into the demo's code-server and drops code-server's copies of installed
// extensions' manifests, so the first window shows the checkout's menus and commands, not the last run's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forgetScannedExtensions, linkDevelopmentExtension } from '../../scripts/demo/linkDevelopmentExtension';

describe('npm start: the checkout as the demo’s extension', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-demo-link-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('drops the scanned manifests of installed extensions, keeping the built-in ones', () => {
    const profile = path.join(root, 'user-data', 'CachedProfilesData', '__default__profile__');
    fs.mkdirSync(profile, { recursive: true });
    for (const name of ['extensions.user.cache', 'extensions.user.en.cache', 'extensions.builtin.cache'])
      fs.writeFileSync(path.join(profile, name), '{"stale":true}');
    forgetScannedExtensions(path.join(root, 'user-data'));
    assert.deepEqual(fs.readdirSync(profile), ['extensions.builtin.cache']);
    forgetScannedExtensions(path.join(root, 'never-started'));
  });

  it('links the checkout under its publisher, name and version, replacing links of earlier versions', () => {
    const checkout = path.join(root, 'checkout');
    fs.mkdirSync(checkout);
    fs.writeFileSync(path.join(checkout, 'package.json'), '{"publisher":"p","name":"n","version":"2.0.0"}');
    const extensions = path.join(root, 'extensions');
    fs.mkdirSync(extensions);
    fs.symlinkSync(root, path.join(extensions, 'p.n-1.0.0'));
    const link = linkDevelopmentExtension(checkout, extensions);
    assert.equal(link, path.join(extensions, 'p.n-2.0.0'));
    assert.deepEqual(fs.readdirSync(extensions), ['p.n-2.0.0']);
    assert.equal(fs.realpathSync(link), fs.realpathSync(checkout));
  });
});
