// An ORAS-style artifact with two titled files, as the SBOM generators receive it.
import { type ImageManifest, EMPTY_DESCRIPTOR } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { SbomFile, SbomSubject } from '../../../src/core/sbom';

const readme = Buffer.from('# hello\n');
const data = Buffer.from('{"a":1}');
const hex = (bytes: Buffer) => digestOf(bytes).slice('sha256:'.length);

export const FILES: SbomFile[] = [
  { name: 'README.md', size: readme.length, sha256: hex(readme), mediaType: 'text/markdown' },
  { name: 'data/config.json', size: data.length, sha256: hex(data), mediaType: 'application/json' },
];

const manifest: ImageManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  artifactType: 'application/vnd.example.bundle',
  config: { ...EMPTY_DESCRIPTOR },
  layers: FILES.map((file) => ({
    mediaType: file.mediaType,
    digest: `sha256:${file.sha256}`,
    size: file.size,
    annotations: { 'org.opencontainers.image.title': file.name },
  })),
};
const manifestBytes = Buffer.from(JSON.stringify(manifest));

export const SUBJECT: SbomSubject = {
  reference: 'ghcr.io/Example/bundle:v1',
  descriptor: { mediaType: MediaType.ociManifest, digest: digestOf(manifestBytes), size: manifestBytes.length },
  manifest,
};

export const CREATED = new Date('2026-05-06T07:08:09Z');
