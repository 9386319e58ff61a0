// `helm push <chart>.tgz oci://<registry>/<namespace>`: the packaged chart as one untitled layer of Helm's chart
// type, its provenance file (`<chart>.tgz.prov`, when beside it) as a second, Chart.yaml as Helm's config, and the
// annotations Helm derives from it; tagged with the chart's version ("+" as "_") in `<namespace>/<name>`. The
// destination is opened by the caller from the package's name (see readHelmChartPackage).
import { promises as fs } from 'node:fs';
import { copy, type CopyOptions, type CopyResult, StagedGraph } from '../graph';
import { type Descriptor, MediaType } from '../oci';
import { bytesContent, digestOf, type Target } from '../content';
import { buildArtifactManifest, configFromFile, type BuiltManifest } from './artifactManifest';
import type { HelmChartPackage } from './helmChartPackage';

export interface PushHelmChartOptions extends Pick<CopyOptions, 'concurrency' | 'onProgress' | 'signal'> {
  /** org.opencontainers.image.created (default now), as Helm sets it. */
  created?: string | Date;
  /** The tag (default the chart's version, "+" as "_", as helm push tags it). */
  tag?: string;
}

export interface PushHelmChartResult extends CopyResult {
  manifest: BuiltManifest;
  /** Whether a provenance file was found beside the chart and pushed. */
  provenance: boolean;
}

/** Pushes `chartFile` (already read into `chart`) to `dst`, tagged with the chart's version, as helm push does. */
export async function pushHelmChart(
  dst: Target,
  chartFile: string,
  chart: HelmChartPackage,
  options: PushHelmChartOptions = {},
): Promise<PushHelmChartResult> {
  const { signal } = options;
  const config = {
    descriptor: { mediaType: MediaType.helmConfig, digest: digestOf(chart.config), size: chart.config.length },
    content: bytesContent(chart.config),
  };
  const layers = [await configFromFile(chartFile, MediaType.helmChart, signal)];
  const provenanceFile = `${chartFile}.prov`;
  const provenance = !!(await fs.stat(provenanceFile).catch(() => undefined))?.isFile();
  if (provenance) layers.push(await configFromFile(provenanceFile, MediaType.helmProvenance, signal));
  const built = buildArtifactManifest({
    imageSpec: 'v1.0',
    config,
    layers: layers.map((l): Descriptor => l.descriptor),
    annotations: chart.annotations,
    created: options.created,
  });
  const source = new StagedGraph('local chart', built, [config, ...layers]);
  const result = await copy(source, built.descriptor, dst, {
    tag: options.tag ?? chart.tag,
    concurrency: options.concurrency,
    onProgress: options.onProgress,
    signal,
  });
  return { ...result, manifest: built, provenance };
}
