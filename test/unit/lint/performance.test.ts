// Proves a 5,000-entry index lints quickly (the bound is generous on a shared machine; bench/ owns the figure).
import * as assert from 'node:assert/strict';
import { digestOf } from '../../../src/core/content/hashing';
import { lint } from '../../../src/core/lint';
import { MediaType } from '../../../src/core/oci/mediaTypes';

describe('lint performance', () => {
  it('lints a 5,000-entry index in well under a second', () => {
    const manifests = Array.from({ length: 5000 }, (_, i) => ({
      mediaType: MediaType.ociManifest,
      digest: digestOf(`manifest ${i}`),
      size: 1000 + i,
      platform: { architecture: i % 2 ? 'arm64' : 'amd64', os: 'linux' },
      annotations: {
        'org.opencontainers.image.ref.name': `v${i}`,
        'org.opencontainers.image.created': '2024-06-12T08:15:30Z',
      },
    }));
    const text = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, null, 2);
    lint('{"schemaVersion":2,"manifests":[]}', { fileName: 'index.json' }); // compile the schema outside the measurement, as the editor would
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const problems = lint(text, { fileName: 'index.json' });
    const cpu = process.cpuUsage(cpuStart);
    const elapsed = performance.now() - start;
    // CPU time, not wall time, is asserted: other processes share the machine's cores.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const parseStart = performance.now();
    JSON.parse(text);
    const parseAlone = performance.now() - parseStart;
    // JSON.parse alone gives the figure a scale on a machine shared with others.
    console.log(
      `      5,000-entry index (${(text.length / 1024).toFixed(0)} KiB), first run: ${elapsed.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (JSON.parse alone ${parseAlone.toFixed(1)} ms)`,
    );
    assert.deepEqual(problems, []);
    assert.ok(cpuMs < 1000, `${cpuMs} ms CPU`);
  });
});
