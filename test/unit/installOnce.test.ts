import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installOnce } from '../../scripts/vscodeRuntime/installOnce';

describe('installOnce (the cached code-server install)', () => {
  let root: string;
  let dir: string;
  const marker = { name: 'done.json', content: '{}' };
  const writeTool = async (staging: string): Promise<void> => fs.writeFileSync(path.join(staging, 'tool'), 'v1');

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-install-once-'));
    dir = path.join(root, 'tool-1.0');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('installs into the folder with its marker and leaves no staging folder', async () => {
    assert.equal(await installOnce(dir, marker, writeTool), true);
    assert.equal(fs.readFileSync(path.join(dir, 'tool'), 'utf8'), 'v1');
    assert.ok(fs.existsSync(path.join(dir, 'done.json')));
    assert.deepEqual(fs.readdirSync(root), ['tool-1.0']);
  });

  it('reuses a finished install without running the installer again', async () => {
    await installOnce(dir, marker, writeTool);
    let ran = false;
    assert.equal(await installOnce(dir, marker, async () => void (ran = true)), false);
    assert.equal(ran, false);
  });

  it('leaves nothing that looks installed when the installer fails midway', async () => {
    const failing = async (staging: string): Promise<void> => {
      fs.writeFileSync(path.join(staging, 'half'), 'x');
      throw new Error('network down');
    };
    await assert.rejects(installOnce(dir, marker, failing), /network down/);
    assert.deepEqual(fs.readdirSync(root), []);
    assert.equal(await installOnce(dir, marker, writeTool), true);
  });

  it('replaces a folder that has no completion marker', async () => {
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'junk'), 'x');
    assert.equal(await installOnce(dir, marker, writeTool), true);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['done.json', 'tool']);
  });

  it('keeps the first result when two installs race', async () => {
    const slow =
      (content: string, wait: number) =>
      async (staging: string): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, wait));
        fs.writeFileSync(path.join(staging, 'tool'), content);
      };
    await Promise.all([installOnce(dir, marker, slow('first', 10)), installOnce(dir, marker, slow('second', 80))]);
    assert.equal(fs.readFileSync(path.join(dir, 'tool'), 'utf8'), 'first');
    assert.deepEqual(fs.readdirSync(root), ['tool-1.0']);
  });
});
