// Credential helpers are found on PATH's absolute folders only. Real helper scripts: one planted in the current
// folder (as a cloned repository could), one in an absolute PATH folder; PATH also holds "." and an empty entry,
// which a shell (and execvp) would read as the current folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { executableCandidates } from '../../../src/core/content/executableOnPath';
import { runCredentialHelper } from '../../../src/core/registry/credentialHelper';
import { saveDockerLogin } from '../../../src/core/registry/dockerLogin';
import { resolveCredentials } from '../../../src/core/registry/credentials';

describe('credential helpers from PATH only', () => {
  it('tries only absolute PATH folders, skipping empty and relative entries', () => {
    assert.deepEqual(
      executableCandidates('docker-credential-x', { PATH: ':.:bin:./tools:/usr/local/bin::/opt/helpers/' }, 'linux'),
      ['/usr/local/bin/docker-credential-x', '/opt/helpers/docker-credential-x'],
    );
  });

  it('on Windows: reads Path in any case, skips relative, drive-relative and root-relative entries, honours PATHEXT', () => {
    const env = {
      Path: 'C:\\Tools;.;;relative;C:rel;"C:\\Program Files\\Docker";\\rooted;\\\\server\\share\\bin',
      PATHEXT: '.EXE;.CMD',
    };
    assert.deepEqual(executableCandidates('docker-credential-desktop', env, 'win32'), [
      'C:\\Tools\\docker-credential-desktop.exe',
      'C:\\Tools\\docker-credential-desktop.cmd',
      'C:\\Program Files\\Docker\\docker-credential-desktop.exe',
      'C:\\Program Files\\Docker\\docker-credential-desktop.cmd',
      '\\\\server\\share\\bin\\docker-credential-desktop.exe',
      '\\\\server\\share\\bin\\docker-credential-desktop.cmd',
    ]);
    assert.deepEqual(
      executableCandidates('docker-credential-desktop', { PATH: 'D:\\bin' }, 'win32').map((c) => path.win32.extname(c)),
      ['.com', '.exe', '.bat', '.cmd'],
      'default PATHEXT',
    );
  });

  describe('with a helper planted in the current folder', () => {
    let root: string;
    let planted: string;
    let bin: string;
    let home: string;
    let cwd: string;

    /** A helper that records each run in `<root>/<label>.ran` and answers a `get` with fixed credentials. */
    const writeHelper = (folder: string, label: string) => {
      const script = `#!/bin/sh\necho "$1 $(cat)" >> "${root}/${label}.ran"\n[ "$1" = get ] && echo '{"Username":"${label}","Secret":"s"}'\nexit 0\n`;
      fs.writeFileSync(path.join(folder, 'docker-credential-desk'), script, { mode: 0o755 });
    };
    const ran = (label: string) =>
      fs.existsSync(path.join(root, `${label}.ran`)) ? fs.readFileSync(path.join(root, `${label}.ran`), 'utf8') : '';

    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-helper-path-'));
      planted = path.join(root, 'cloned-repo');
      bin = path.join(root, 'bin');
      home = path.join(root, 'docker');
      for (const dir of [planted, bin, home]) fs.mkdirSync(dir);
      writeHelper(planted, 'planted');
      fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ credsStore: 'desk' }));
      cwd = process.cwd();
      // The helper inherits this process's current folder, as it would when Stowage runs inside a checkout.
      process.chdir(planted);
    });
    afterEach(() => {
      process.chdir(cwd);
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('runs the helper from the absolute PATH folder, never the planted one, for get and for login', async () => {
      writeHelper(bin, 'installed');
      const env = { PATH: `.::bin:${bin}:/usr/bin:/bin`, DOCKER_CONFIG: home };
      assert.deepEqual(await runCredentialHelper('desk', 'r.example', undefined, env), {
        username: 'installed',
        password: 's',
      });
      assert.deepEqual(await saveDockerLogin('r.example', { username: 'u', password: 'secret' }, env), {
        kind: 'helper',
        helper: 'desk',
      });
      assert.equal(ran('planted'), '');
      assert.match(
        ran('installed'),
        /^get r\.example\nstore \{"ServerURL":"r\.example","Username":"u","Secret":"secret"\}\n$/,
      );
    });

    it('refuses with "not found on PATH" when only the current folder has it, and runs nothing', async () => {
      const env = { PATH: `.:${path.join(root, 'empty')}::/usr/bin:/bin`, DOCKER_CONFIG: home };
      await assert.rejects(
        runCredentialHelper('desk', 'r.example', undefined, env),
        /docker-credential-desk not found on PATH/,
      );
      await assert.rejects(
        saveDockerLogin('r.example', { username: 'u', password: 'secret' }, env),
        /docker-credential-desk not found on PATH/,
      );
      assert.equal(ran('planted'), '');
    });

    it("names the auth file that names the missing helper (a CI job's DOCKER_CONFIG or --registry-config file)", async () => {
      const env = { PATH: `${path.join(root, 'empty')}:/usr/bin:/bin`, DOCKER_CONFIG: home };
      const configFile = path.join(home, 'config.json');
      const named = new RegExp(
        `docker-credential-desk not found on PATH: ${configFile.replace(/[.]/g, '\\.')} names "desk"`,
      );
      await assert.rejects(resolveCredentials('r.example', { env }), named);
      await assert.rejects(saveDockerLogin('r.example', { username: 'u', password: 'secret' }, env), named);
      const other = path.join(root, 'ci-auth.json');
      fs.writeFileSync(other, JSON.stringify({ credHelpers: { 'r.example': 'desk' } }));
      await assert.rejects(
        resolveCredentials('r.example', { env, authFiles: [other] }),
        new RegExp(`not found on PATH: ${other.replace(/[.]/g, '\\.')} names "desk"`),
      );
    });
  });
});
