// A scripted registry for peak RSS over many tags, where seeding a real registry would take the whole budget:
// `signed` holds `tags` small images, each signed `signatures` times with Notary signatures listed under its
// fallback tag (`sha256-<hex>`, as docker-registry has no referrers API); `listed` has `listedTags` tag names only,
// paged with `n`/`last` and a `Link` header; `sink` takes pushes (blob bytes counted and dropped, manifests and tags
// kept), a destination that costs a copy nothing, so that the copy's own memory shows at 10,000 tags. Images and
// their signatures are made from their number when the server starts (2,000 tags × 3 signatures: about 2 s), so
// the commands measured pay for none of it. Nothing is written to disk. Loopback only.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSignatureManifest, signDescriptor, type SigningKey } from '../src/core/sign';

export interface ManyTagsRegistry {
  /** "127.0.0.1:PORT". */
  host: string;
  signedRepository: string;
  listedRepository: string;
  sinkRepository: string;
  close(): Promise<void>;
}

export interface ManyTagsShape {
  tags: number;
  signatures: number;
  listedTags: number;
}

interface Stored {
  mediaType: string;
  bytes: Buffer;
}

const SIGNED = 'many/signed';
const LISTED = 'many/listed';
const SINK = 'many/sink';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const PAGE_MAX = 1000;
const MAX_MANIFEST = 4 * 1024 * 1024;
const json = { 'content-type': 'application/json' };

type Send = (status: number, body: Buffer | string, headers: Record<string, string>) => void;

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export const signedTag = (i: number) => `t${String(i).padStart(5, '0')}`;

export async function startManyTagsRegistry(shape: ManyTagsShape, key: SigningKey): Promise<ManyTagsRegistry> {
  const store = new Map<string, Stored>();
  const keep = (mediaType: string, bytes: Buffer) => {
    const digest = digestOf(bytes);
    store.set(digest, { mediaType, bytes });
    return { mediaType, digest, size: bytes.length };
  };
  const images = new Map<string, string>();
  const subjectOf = new Map<string, { mediaType: string; digest: string; size: number }>();
  for (let i = 0; i < shape.tags; i++) {
    const config = keep(
      'application/vnd.oci.image.config.v1+json',
      Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { n: String(i) } } })),
    );
    const layer = keep('application/vnd.oci.image.layer.v1.tar', Buffer.from(`layer of image ${i}\n`.repeat(16)));
    const image = keep(
      MANIFEST,
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers: [layer] })),
    );
    images.set(signedTag(i), image.digest);
    subjectOf.set(`sha256-${image.digest.slice('sha256:'.length)}`, image);
  }
  // Parsed once: parsing the PEMs again for each signature took six times as long.
  const signer = { key: createPrivateKey(key.privateKeyPem), certChain: [new X509Certificate(key.certChainPem)] };
  /** The fallback tags' indexes, by tag: each image's signatures listed under `sha256-<hex>`. */
  const fallbackIndexes = new Map<string, string>();
  for (const [tag, subject] of subjectOf) {
    const manifests = [];
    for (let s = 0; s < shape.signatures; s++) {
      const envelope = signDescriptor(subject, signer);
      const signature = buildSignatureManifest(subject, envelope, signer.certChain);
      for (const blob of signature.blobs) keep(blob.descriptor.mediaType, blob.bytes);
      keep(MANIFEST, signature.bytes);
      manifests.push({ ...signature.descriptor, artifactType: signature.manifest.artifactType });
    }
    fallbackIndexes.set(
      tag,
      keep(INDEX, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }))).digest,
    );
  }
  const signedTags = [...images.keys(), ...subjectOf.keys()];
  const listedTag = (i: number) => `v${String(i).padStart(6, '0')}`;

  const sink = {
    blobs: new Map<string, number>(),
    manifests: new Map<string, Stored>(),
    tags: new Map<string, string>(),
  };
  const uploads = new Map<string, number>();
  let nextUpload = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://many');
    const send: Send = (status, body, headers) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'content-length': String(bytes.length), ...headers });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    };
    const error = (status: number, code: string) =>
      send(status, JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }), {
        'content-type': 'application/json',
      });
    if (url.pathname === '/v2/') return send(200, '{}', json);
    if (url.pathname.startsWith(`/v2/${SINK}/`)) return sinkRoute(req, res, url, send, error);
    req.resume();
    const match = /^\/v2\/(.+)\/(tags\/list|manifests|blobs|referrers)(?:\/(.+))?$/.exec(url.pathname);
    if (!match || (match[1] !== SIGNED && match[1] !== LISTED)) return error(404, 'NAME_UNKNOWN');
    const [, repository, kind, ref] = match;
    if (kind === 'tags/list') {
      if (repository === SIGNED) return send(200, JSON.stringify({ name: SIGNED, tags: signedTags }), json);
      const n = Math.min(Number(url.searchParams.get('n') ?? PAGE_MAX) || PAGE_MAX, PAGE_MAX);
      const last = url.searchParams.get('last');
      const start = last ? Number(last.slice(1)) + 1 : 0;
      const end = Math.min(start + n, shape.listedTags);
      const tags = Array.from({ length: Math.max(0, end - start) }, (_, k) => listedTag(start + k));
      const link: Record<string, string> =
        end < shape.listedTags
          ? { link: `</v2/${LISTED}/tags/list?n=${n}&last=${encodeURIComponent(tags[tags.length - 1]!)}>; rel="next"` }
          : {};
      return send(200, JSON.stringify({ name: LISTED, tags }), { ...json, ...link });
    }
    // docker-registry has no referrers API: clients fall back to the `sha256-<hex>` tag.
    if (kind === 'referrers') return send(404, '404 page not found\n', { 'content-type': 'text/plain' });
    if (repository !== SIGNED || !ref) return error(404, kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN');
    const digest = ref.startsWith('sha256:') ? ref : (images.get(ref) ?? fallbackIndexes.get(ref));
    const stored = digest && store.get(digest);
    if (!stored) return error(404, kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN');
    const type = kind === 'blobs' ? 'application/octet-stream' : stored.mediaType;
    return send(200, stored.bytes, { 'content-type': type, 'docker-content-digest': digest });
  });
  /** Pushes into `sink`: uploads are one PUT (or PATCHes then a PUT) whose bytes are dropped once hashed. */
  const sinkRoute = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    send: Send,
    error: (s: number, c: string) => void,
  ) => {
    const rest = url.pathname.slice(`/v2/${SINK}/`.length);
    const empty = { 'content-type': 'application/json' };
    if (rest === 'blobs/uploads/' && req.method === 'POST') {
      req.resume();
      const id = String(++nextUpload);
      uploads.set(id, 0);
      return send(202, '', { ...empty, location: `/v2/${SINK}/blobs/uploads/${id}`, range: '0-0' });
    }
    if (rest.startsWith('blobs/uploads/')) {
      const id = rest.slice('blobs/uploads/'.length);
      req.on('data', (chunk: Buffer) => uploads.set(id, (uploads.get(id) ?? 0) + chunk.length));
      req.on('end', () => {
        const size = uploads.get(id) ?? 0;
        const range = { range: `0-${Math.max(0, size - 1)}` };
        if (req.method === 'PATCH') return send(202, '', { ...empty, location: url.pathname, ...range });
        uploads.delete(id);
        const digest = url.searchParams.get('digest') ?? '';
        sink.blobs.set(digest, size);
        send(201, '', { ...empty, location: `/v2/${SINK}/blobs/${digest}`, 'docker-content-digest': digest });
      });
      return;
    }
    if (rest.startsWith('blobs/')) {
      req.resume();
      const digest = rest.slice('blobs/'.length);
      const size = sink.blobs.get(digest);
      if (size === undefined) return error(404, 'BLOB_UNKNOWN');
      // HEAD only (a copy asks whether the blob is there): the bytes were not kept.
      res.writeHead(200, { 'content-length': String(size), 'docker-content-digest': digest });
      return res.end();
    }
    if (rest.startsWith('manifests/')) {
      const ref = decodeURIComponent(rest.slice('manifests/'.length));
      if (req.method === 'PUT') {
        const chunks: Buffer[] = [];
        let received = 0;
        req.on('data', (chunk: Buffer) => {
          received += chunk.length;
          // A manifest is small (the registry's 4 MiB, as distribution's): more is refused, not held.
          if (received > MAX_MANIFEST) req.destroy();
          else chunks.push(chunk);
        });
        req.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const digest = digestOf(bytes);
          sink.manifests.set(digest, { mediaType: String(req.headers['content-type']), bytes });
          if (!ref.startsWith('sha256:')) sink.tags.set(ref, digest);
          send(201, '', { location: `/v2/${SINK}/manifests/${digest}`, 'docker-content-digest': digest });
        });
        return;
      }
      req.resume();
      const digest = ref.startsWith('sha256:') ? ref : sink.tags.get(ref);
      const stored = digest && sink.manifests.get(digest);
      if (!stored) return error(404, 'MANIFEST_UNKNOWN');
      return send(200, stored.bytes, { 'content-type': stored.mediaType, 'docker-content-digest': digest });
    }
    req.resume();
    if (rest === 'tags/list') return send(200, JSON.stringify({ name: SINK, tags: [...sink.tags.keys()] }), empty);
    if (rest.startsWith('referrers/')) return send(404, '404 page not found\n', { 'content-type': 'text/plain' });
    return error(404, 'NAME_UNKNOWN');
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    signedRepository: SIGNED,
    listedRepository: LISTED,
    sinkRepository: SINK,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
