// What well-known media types mean, in a line each, for hovers and help. Written for Stowage from the specs
// that define them (image-spec, Docker distribution, ORAS, Notary, cosign, Helm, WASM, SBOM formats).
import { MediaType } from '../oci';

export const MEDIA_TYPE_MEANINGS: Readonly<Record<string, string>> = {
  [MediaType.ociManifest]: 'OCI image manifest: a config descriptor plus an ordered list of layers (image-spec v1).',
  [MediaType.ociIndex]: 'OCI image index: a list of manifests, e.g. one per platform, or a referrers list.',
  [MediaType.ociConfig]: 'OCI image configuration: platform, rootfs diff_ids, history and runtime defaults.',
  [MediaType.ociLayer]: 'OCI image layer: an uncompressed tar changeset.',
  [MediaType.ociLayerGzip]: 'OCI image layer: a gzip-compressed tar changeset.',
  [MediaType.ociLayerZstd]: 'OCI image layer: a zstd-compressed tar changeset.',
  [MediaType.ociEmpty]:
    'The empty descriptor: the two bytes `{}` (digest sha256:44136fa…, size 2), used as a placeholder config or layer.',
  [MediaType.ociLayoutHeader]: 'Image layout header: the `oci-layout` file of an image layout.',
  [MediaType.dockerManifest]: 'Docker image manifest, schema 2: the format `docker push` writes.',
  [MediaType.dockerManifestList]: "Docker manifest list: Docker's multi-platform list of manifests.",
  [MediaType.dockerConfig]: 'Docker image configuration (same shape as the OCI image config).',
  [MediaType.dockerLayerGzip]: 'Docker image layer: a gzip-compressed tar changeset.',
  [MediaType.notarySignature]: 'Notary Project signature artifact: a JWS or COSE envelope layer signing its subject.',
  [MediaType.jws]: 'JSON Web Signature envelope (Notary Project signatures use the flattened JSON form).',
  [MediaType.cose]: 'COSE_Sign1 envelope (CBOR), an alternative Notary Project signature format.',
  [MediaType.spdx]: 'SPDX software bill of materials in JSON.',
  [MediaType.cyclonedx]: 'CycloneDX software bill of materials in JSON.',
  [MediaType.inToto]: 'in-toto attestation statement (provenance, SBOM, vulnerability scan…).',
  [MediaType.sigstoreBundle]: 'Sigstore bundle: a signature with its certificate and transparency-log proof.',
  [MediaType.cosignSimpleSigning]: 'cosign "simple signing" payload: what a cosign signature signs.',
  [MediaType.helmConfig]: "Helm chart configuration: the chart's metadata (Chart.yaml as JSON).",
  [MediaType.helmChart]: 'Helm chart content: the packaged chart archive (.tgz).',
  [MediaType.helmProvenance]: 'Helm chart provenance file: a PGP-signed digest of the chart.',
  [MediaType.wasmConfig]:
    "WebAssembly configuration of the CNCF TAG Runtime's Wasm OCI artifact layout: architecture wasm, os wasip1 or wasip2, the layers' digests, a component's imports and exports.",
  [MediaType.wasmLayer]: "WebAssembly binary (.wasm): a module or component, the CNCF Wasm OCI artifact's layer.",
  [MediaType.wasmToOciConfig]: 'WebAssembly module configuration as wasm-to-oci writes it.',
  [MediaType.wasmContent]: 'WebAssembly module content as wasm-to-oci writes it: the .wasm binary.',
  [MediaType.wasmModuleConfig]:
    "WebAssembly plugin configuration of Solo's Wasm image spec (Istio and Envoy Wasm plugins).",
  [MediaType.wasmModuleContent]: "WebAssembly plugin binary (.wasm) of Solo's Wasm image spec.",
  [MediaType.fluxConfig]:
    'Flux artifact configuration (`flux push artifact`): its source and revision are annotations.',
  [MediaType.fluxContent]: 'Flux artifact content: Kubernetes manifests as a tar+gzip of the pushed folder or file.',
  'application/vnd.oci.image.layer.nondistributable.v1.tar':
    'Non-distributable layer (deprecated): registries may not accept or serve it.',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip':
    'Non-distributable gzip layer (deprecated): registries may not accept or serve it.',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip':
    'Docker foreign layer: fetched from its `urls`, not from the registry.',
  'application/vnd.dev.cosign.artifact.sig.v1+json': 'cosign signature artifact (the OCI 1.1 referrers form).',
  'application/vnd.unknown.config.v1+json': "ORAS's placeholder config type for artifacts pushed without one.",
};

/** A media type split by RFC 6838: type, subtype, and the structured syntax suffix after `+`, if any. */
export function mediaTypeParts(mediaType: string): { type: string; subtype: string; suffix?: string } | undefined {
  const match = /^([^/]+)\/([^+]+?)(?:\+([^+]+))?$/.exec(mediaType);
  if (!match) return undefined;
  return { type: match[1]!, subtype: match[2]!, ...(match[3] ? { suffix: match[3] } : {}) };
}
