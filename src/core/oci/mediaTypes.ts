// Media types Stowage knows by name (image-spec v1.1, Docker schema2, well-known artifacts).

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayoutHeader: 'application/vnd.oci.layout.header.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  notarySignature: 'application/vnd.cncf.notary.signature',
  jws: 'application/jose+json',
  cose: 'application/cose',
  spdx: 'application/spdx+json',
  cyclonedx: 'application/vnd.cyclonedx+json',
  inToto: 'application/vnd.in-toto+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  sigstoreBundle: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
  /** The Wasm OCI artifact layout of the CNCF TAG Runtime (wkg, Spin, runwasi): this config, `application/wasm` layers. */
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasmLayer: 'application/wasm',
  /** wasm-to-oci's config and layer types. */
  wasmToOciConfig: 'application/vnd.wasm.config.v1+json',
  wasmContent: 'application/vnd.wasm.content.layer.v1+wasm',
  /** Solo's Wasm image spec (Istio and Envoy Wasm plugins). */
  wasmModuleConfig: 'application/vnd.module.wasm.config.v1+json',
  wasmModuleContent: 'application/vnd.module.wasm.content.layer.v1+wasm',
  fluxConfig: 'application/vnd.cncf.flux.config.v1+json',
  fluxContent: 'application/vnd.cncf.flux.content.v1.tar+gzip',
  opaConfig: 'application/vnd.cncf.openpolicyagent.config.v1+json',
  singularityConfig: 'application/vnd.sylabs.sif.config.v1+json',
} as const;

/** Layers that are filesystem changes of a container image (OCI, Docker, and their non-distributable forms). */
export const IMAGE_LAYER_TYPES: ReadonlySet<string> = new Set([
  MediaType.ociLayer,
  MediaType.ociLayerGzip,
  MediaType.ociLayerZstd,
  MediaType.dockerLayerGzip,
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
const MEDIA_TYPE = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}$`);

/** `type/subtype` as RFC 6838 section 4.2 names them: what image-spec requires of a media type or artifactType. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

const MAX_NAME_LENGTH = 127;
const NAME_CHARACTER = /[A-Za-z0-9!#$&^_.+-]/u;

/**
 * Why `value` is no media type, in words a user can act on (undefined when it is one): "is not type/subtype" read
 * the same for a 300-character subtype, a space or a missing slash, and left the user guessing which it was.
 */
export function mediaTypeProblem(value: string): string | undefined {
  if (isMediaType(value)) return undefined;
  const parts = value.split('/');
  if (parts.length !== 2) return parts.length < 2 ? 'it has no "/"' : 'it has more than one "/"';
  for (const [part, name] of [
    [parts[0]!, 'type'],
    [parts[1]!, 'subtype'],
  ] as const) {
    if (!part) return `its ${name} is empty`;
    const length = Array.from(part).length;
    if (length > MAX_NAME_LENGTH)
      return `its ${name} is ${length} characters long; RFC 6838 allows at most ${MAX_NAME_LENGTH}`;
    const bad = Array.from(part).find((c) => !NAME_CHARACTER.test(c));
    if (bad !== undefined)
      return `its ${name} holds U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}; only letters, digits and !#$&^_.+- may be there`;
    if (!/^[A-Za-z0-9]/.test(part)) return `its ${name} must begin with a letter or digit`;
  }
  return 'it is not type/subtype';
}

/** The empty descriptor's content `{}` in base64 and its fixed digest (its bytes are content's EMPTY_JSON). */
export const EMPTY_JSON_BASE64 = 'e30=';
export const EMPTY_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** Manifests (and indexes) registries accept are capped at 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export const MANIFEST_MEDIA_TYPES: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest];
export const INDEX_MEDIA_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList];

/** The Accept header for manifest requests: every manifest type Stowage can read. */
export const MANIFEST_ACCEPT = [...MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES].join(', ');

export function isManifestType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && MANIFEST_MEDIA_TYPES.includes(mediaType);
}

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}

/** True for anything that is fetched through the manifests endpoint rather than blobs. */
export function isManifestOrIndex(mediaType: string | undefined): boolean {
  return isManifestType(mediaType) || isIndexType(mediaType);
}

// Annotation keys used across the engine.
export const Annotation = {
  title: 'org.opencontainers.image.title',
  created: 'org.opencontainers.image.created',
  revision: 'org.opencontainers.image.revision',
  description: 'org.opencontainers.image.description',
  version: 'org.opencontainers.image.version',
  url: 'org.opencontainers.image.url',
  source: 'org.opencontainers.image.source',
  authors: 'org.opencontainers.image.authors',
  refName: 'org.opencontainers.image.ref.name',
  orasUnpack: 'io.deis.oras.content.unpack',
  orasContentDigest: 'io.deis.oras.content.digest',
  notaryThumbprints: 'io.cncf.notary.x509chain.thumbprint#S256',
} as const;
