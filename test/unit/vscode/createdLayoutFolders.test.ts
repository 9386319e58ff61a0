// A layout folder moved into the workspace is reported as one created folder: each created path is looked into for
// an oci-layout file, but no more than MAX_CHECKED_PER_BURST of one burst (thousands of files unpacked at once).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreatedLayoutFolders, MAX_CHECKED_PER_BURST } from '../../../src/vscode/tree/createdLayoutFolders';

describe('created folders looked into for a layout', () => {
  let dir: string;
  let files: string[];
  let layout: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-created-layouts-'));
    layout = path.join(dir, 'layout');
    await fs.mkdir(layout);
    await fs.writeFile(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    files = [];
    for (let i = 0; i < MAX_CHECKED_PER_BURST * 3; i++) {
      files.push(path.join(dir, `file-${i}`));
      await fs.writeFile(files[i]!, 'x');
    }
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  /** Reports the paths of one burst, then waits until its check has run (a turn for the stats to answer). */
  async function burst(paths: string[]): Promise<number> {
    let found = 0;
    const folders = new CreatedLayoutFolders(() => found++);
    for (const p of paths) folders.created(p);
    for (let turn = 0; turn < 50 && found === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    return found;
  }

  it('finds a layout among files created with it, once per burst', async () => {
    assert.equal(await burst([...files.slice(0, 10), layout, ...files.slice(10, 20)]), 1);
  });

  it('finds nothing among files alone', async () => {
    assert.equal(await burst(files.slice(0, 20)), 0);
  });

  it('looks no further than MAX_CHECKED_PER_BURST paths into one burst', async () => {
    assert.equal(await burst([...files.slice(0, MAX_CHECKED_PER_BURST - 1), layout]), 1);
    assert.equal(await burst([...files.slice(0, MAX_CHECKED_PER_BURST), layout]), 0);
  });
});
