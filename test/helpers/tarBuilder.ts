// Builds tar and tar+gzip bytes in memory for tests (including hostile ones), with tar-stream.
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import type { Descriptor } from '../../src/core/oci/descriptor';
import { digestOf } from '../../src/core/content/hashing';
import { Annotation, MediaType } from '../../src/core/oci/mediaTypes';

export interface TarEntry {
  name: string;
  type?: tar.Header['type'];
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

export async function buildTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const content = entry.content === undefined ? undefined : Buffer.from(entry.content);
    const header: Partial<tar.Header> & { name: string } = {
      name: entry.name,
      type: entry.type ?? 'file',
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
    };
    if (entry.linkname !== undefined) header.linkname = entry.linkname;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (content) pack.entry({ ...header, size: content.length }, content, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** A folder layer as ORAS writes it, from tar bytes; `tarDigest` overrides the content digest annotation. */
export function folderLayer(
  title: string,
  tarBytes: Buffer,
  tarDigest = digestOf(tarBytes),
): { descriptor: Descriptor; bytes: Buffer } {
  const bytes = gzipSync(tarBytes);
  return {
    bytes,
    descriptor: {
      mediaType: MediaType.ociLayerGzip,
      digest: digestOf(bytes),
      size: bytes.length,
      annotations: {
        [Annotation.title]: title,
        [Annotation.orasUnpack]: 'true',
        [Annotation.orasContentDigest]: tarDigest,
      },
    },
  };
}
