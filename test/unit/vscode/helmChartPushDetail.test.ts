// The Helm push confirmation shows what a packaged chart's Chart.yaml says: a chart from elsewhere is hostile, so its
// annotation keys and values reach the dialog escaped, and only a few of thousands.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readHelmChartPackage } from '../../../src/core/files';
import { helmChartPushDetail, MAX_SHOWN_ANNOTATIONS } from '../../../src/vscode/commands/helmChartPushDetail';
import { buildTar } from '../../helpers/tarBuilder';

describe('Helm chart push confirmation detail', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-chart-detail-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function chartWith(annotationsYaml: string): Promise<string> {
    const file = path.join(dir, `web-${Math.random().toString(36).slice(2)}.tgz`);
    const chartYaml = `apiVersion: v2\nname: web\nversion: 1.0.0\nannotations:\n${annotationsYaml}`;
    await fs.writeFile(file, gzipSync(await buildTar([{ name: 'web/Chart.yaml', content: chartYaml }])));
    return file;
  }

  it('escapes control and bidi characters in annotation keys, so a key cannot draw a line of its own', async () => {
    // The key holds a line break and a right-to-left override: raw, the dialog would show a forged "config:" line.
    const file = await chartWith('  "ok\\nconfig: signed by a trusted key\\u202e": v\n');
    const detail = helmChartPushDetail(file, await readHelmChartPackage(file));
    // Helm's own two (title, version), then the chart's one: five lines, none of them forged.
    const lines = detail.split('\n');
    assert.equal(lines.length, 5, detail);
    assert.equal(lines.filter((line) => line.startsWith('config:')).length, 1, detail);
    assert.equal(lines[4], 'ok⟨U+000A⟩config: signed by a trusted key⟨U+202E⟩: v');
  });

  it('shows a few annotations of a Chart.yaml that holds thousands', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `  k${i}: v${i}\n`).join('');
    const file = await chartWith(many);
    const lines = helmChartPushDetail(file, await readHelmChartPackage(file)).split('\n');
    assert.equal(lines.length, 2 + MAX_SHOWN_ANNOTATIONS + 1);
    assert.equal(lines.at(-1), `… and ${5000 + 2 - MAX_SHOWN_ANNOTATIONS} more annotations`);
  });
});
