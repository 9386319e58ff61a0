// A glyph per artifact kind (drawn as text, so no font or image has to be loaded).
import type { ArtifactKind } from '../../src/protocol/messages';

export const KIND_GLYPHS: Readonly<Record<ArtifactKind, string>> = {
  'notary-signature': '✍',
  'cosign-signature': '✒',
  signature: '✎',
  'spdx-sbom': '☰',
  'cyclonedx-sbom': '☷',
  sbom: '☰',
  'in-toto-attestation': '✔',
  'buildx-attestation': '⚒',
  attestation: '✔',
  image: '▣',
  'image-index': '▤',
  'helm-chart': '⎈',
  wasm: '◇',
  'opa-bundle': '⚖',
  'flux-artifact': '⟳',
  'singularity-image': '◉',
  other: '●',
};
