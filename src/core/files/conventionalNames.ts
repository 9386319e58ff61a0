// File names for layers whose own tools name the files they write, although the layers carry no title: a Helm
// chart pulled by `helm pull` becomes `<name>-<version>.tgz` (and `.prov`), named from the chart's config; a
// WebAssembly component pulled by `wkg oci pull` becomes `<repository, "/" as "_">.wasm`. ORAS writes nothing for
// such layers; a Helm or wkg user pulling one expects the file.
import * as path from 'node:path';
import { Annotation, isIndex, type Descriptor, type Manifest, MediaType } from '../oci';
import { isMounter, type ReadOnlyTarget } from '../content';
import { helmChartFileNames, isHelmChart, readHelmChartMetadata } from '../graph';
import { unsafePathProblem } from './safeNames';
import { soleUntitledLayer } from './fluxArtifact';

/** Whether withConventionalTitles reads anything for `manifest` (a Helm chart's config): a request to show. A
 * WebAssembly component is named from where it is, without a read. */
export function conventionalTitlesNeedReading(manifest: Manifest): boolean {
  return isHelmChart(manifest);
}

/**
 * `manifest` with a title on each layer its tool would name (only in memory, to plan the pull: the stored manifest
 * is not touched). A manifest of no such kind, or whose config names nothing usable, is returned as it is.
 */
export async function withConventionalTitles(
  manifest: Manifest,
  source: Pick<ReadOnlyTarget, 'fetchBlob' | 'location'>,
  signal?: AbortSignal,
): Promise<Manifest> {
  if (isIndex(manifest)) return manifest;
  const names = conventionalTitlesNeedReading(manifest)
    ? await helmNames(manifest, source, signal)
    : wasmNames(manifest, source);
  if (!names.size) return manifest;
  return {
    ...manifest,
    layers: manifest.layers.map((layer) => {
      const title = names.get(layer);
      return title ? { ...layer, annotations: { ...layer.annotations, [Annotation.title]: title } } : layer;
    }),
  };
}

async function helmNames(
  manifest: Manifest,
  source: Pick<ReadOnlyTarget, 'fetchBlob'>,
  signal?: AbortSignal,
): Promise<Map<Descriptor, string>> {
  const chart = await readHelmChartMetadata(source, manifest, signal);
  return chart ? helmChartFileNames(manifest, chart) : new Map();
}

/**
 * A WebAssembly component of the CNCF layout (wkg, Spin, runwasi) with one untitled `application/wasm` layer: named
 * as `wkg oci pull` names it without -o, after the repository ("wasm/hello" → "wasm_hello.wasm"). From a layout,
 * which has no repository, after the layout's folder. Nothing is named when that would not be a safe file name.
 */
function wasmNames(manifest: Manifest, source: Pick<ReadOnlyTarget, 'location'>): Map<Descriptor, string> {
  const names = new Map<Descriptor, string>();
  const layer = soleUntitledLayer(manifest, MediaType.wasmConfig, MediaType.wasmLayer);
  if (!layer) return names;
  const repository = isMounter(source)
    ? source.mountOrigin.repository
    : path.basename(source.location).replace(/\.tar$/i, '');
  const file = `${repository.replace(/\//g, '_')}.wasm`;
  if (repository && !unsafePathProblem(file)) names.set(layer, file);
  return names;
}
