// File names for layers whose own tools name the files they write, although the layers carry no title: a Helm
// chart pulled by `helm pull` becomes `<name>-<version>.tgz` (and `.prov`), named from the chart's config. ORAS
// writes nothing for such layers; a Helm user pulling a chart expects the chart.
import { Annotation, isIndex, type Manifest } from '../oci';
import type { ReadOnlyTarget } from '../content';
import { helmChartFileNames, isHelmChart, readHelmChartMetadata } from '../graph';

/** Whether withConventionalTitles reads anything for `manifest` (a Helm chart's config): a request to show. */
export function conventionalTitlesNeedReading(manifest: Manifest): boolean {
  return isHelmChart(manifest);
}

/**
 * `manifest` with a title on each layer its tool would name (only in memory, to plan the pull: the stored manifest
 * is not touched). A manifest of no such kind, or whose config names nothing usable, is returned as it is.
 */
export async function withConventionalTitles(
  manifest: Manifest,
  source: Pick<ReadOnlyTarget, 'fetchBlob'>,
  signal?: AbortSignal,
): Promise<Manifest> {
  if (isIndex(manifest) || !conventionalTitlesNeedReading(manifest)) return manifest;
  const chart = await readHelmChartMetadata(source, manifest, signal);
  if (!chart) return manifest;
  const names = helmChartFileNames(manifest, chart);
  if (!names.size) return manifest;
  return {
    ...manifest,
    layers: manifest.layers.map((layer) => {
      const title = names.get(layer);
      return title ? { ...layer, annotations: { ...layer.annotations, [Annotation.title]: title } } : layer;
    }),
  };
}
