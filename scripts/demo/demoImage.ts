// A small container image for the demo, so that a newcomer can look into layers without pulling them (the tree
// expands a layer into its files; `stowage files` and `stowage inspect` read it): two tar+gzip layers, the second
// replacing a file, deleting one with a whiteout and adding one, and an image config with an environment, a
// command and labels. Byte-for-byte the same every run and on every platform (entries at mtime 0, owned by root,
// gzip without a name, its time 0 and its OS byte "unknown", which zlib would set to the platform's), so its digests
// never change.
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { bytesContent, digestOf } from '../../src/core/content';
import { platformFreeGzip } from '../../src/core/files';
import { type Descriptor, MediaType } from '../../src/core/oci';

export const DEMO_IMAGE_TAG = '1.0';
const CREATED_AT = '2026-01-01T00:00:00Z';

interface DemoEntry {
  name: string;
  content?: string;
  mode?: number;
}

const LOWER_LAYER: DemoEntry[] = [
  { name: 'app/' },
  { name: 'app/config.yaml', content: 'replicas: 1\nlog: info\n' },
  { name: 'etc/' },
  { name: 'etc/motd', content: 'Welcome to the Stowage demo image.\n' },
  { name: 'etc/os-release', content: 'ID=stowage-demo\nVERSION_ID=1\n' },
  { name: 'usr/' },
  { name: 'usr/bin/' },
  { name: 'usr/bin/hello', content: '#!/bin/sh\necho "Hello from the Stowage demo image"\n', mode: 0o755 },
];

/** The upper layer: os-release and config.yaml replaced, motd deleted (a whiteout), a README added. */
const UPPER_LAYER: DemoEntry[] = [
  { name: 'app/' },
  { name: 'app/README.md', content: '# Demo app\n\nconfig.yaml here replaces the one in the layer below.\n' },
  { name: 'app/config.yaml', content: 'replicas: 3\nlog: debug\n' },
  { name: 'etc/' },
  { name: 'etc/.wh.motd', content: '' },
  { name: 'etc/os-release', content: 'ID=stowage-demo\nVERSION_ID=2\n' },
];

export interface DemoImage {
  dir: string;
  target: LayoutTarget;
  image: Descriptor;
}

/** Writes the image into the layout at `dir` (created when missing), tagged DEMO_IMAGE_TAG. */
export async function writeDemoImage(dir: string): Promise<DemoImage> {
  const target = await LayoutTarget.open(dir, { create: true });
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const entries of [LOWER_LAYER, UPPER_LAYER]) {
    const tarBytes = await tarOf(entries);
    const gzipped = platformFreeGzip(gzipSync(tarBytes, { level: 9 }));
    const layer = { mediaType: MediaType.ociLayerGzip, digest: digestOf(gzipped), size: gzipped.length };
    await target.pushBlob(layer, bytesContent(gzipped));
    layers.push(layer);
    diffIds.push(digestOf(tarBytes));
  }
  const config = Buffer.from(
    JSON.stringify({
      created: CREATED_AT,
      architecture: 'amd64',
      os: 'linux',
      config: {
        Env: ['PATH=/usr/bin:/bin', 'APP_CONFIG=/app/config.yaml'],
        Cmd: ['/usr/bin/hello'],
        WorkingDir: '/app',
        Labels: { 'org.opencontainers.image.title': 'Stowage demo image' },
      },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [
        { created: CREATED_AT, created_by: 'demo: the app, its configuration and a greeting' },
        { created: CREATED_AT, created_by: 'demo: configuration 3 replicas, motd removed, README added' },
      ],
    }),
  );
  const configDescriptor = { mediaType: MediaType.ociConfig, digest: digestOf(config), size: config.length };
  await target.pushBlob(configDescriptor, bytesContent(config));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers,
      annotations: { 'org.opencontainers.image.created': CREATED_AT },
    }),
  );
  const image = { mediaType: MediaType.ociManifest, digest: digestOf(manifest), size: manifest.length };
  await target.pushManifest(image, manifest, { tag: DEMO_IMAGE_TAG });
  return { dir: path.resolve(dir), target, image };
}

/** A tar of `entries` in the order given, with nothing of the machine in it (no times, owners or user names). */
function tarOf(entries: readonly DemoEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  const header = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };
  for (const entry of entries) {
    if (entry.name.endsWith('/')) pack.entry({ ...header, name: entry.name, type: 'directory', mode: 0o755 });
    else pack.entry({ ...header, name: entry.name, mode: entry.mode ?? 0o644 }, entry.content ?? '');
  }
  pack.finalize();
  return done;
}
