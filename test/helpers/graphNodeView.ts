// A node of the referrer graph's view model as the webview receives it: a plain artifact manifest, with what a test
// needs changed on top.
import type { GraphNodeView } from '../../src/protocol/messages';

export function graphNodeView(digest: string, extra: Partial<GraphNodeView> = {}): GraphNodeView {
  return {
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 1,
    kind: 'other',
    kindLabel: 'Artifact',
    family: 'other',
    annotations: {},
    descriptorJson: '{}',
    depth: 0,
    truncated: false,
    ...extra,
  };
}
