// A Helm chart as `helm push` stores it: a config of Helm's type holding Chart.yaml's fields as JSON, one layer
// with the packaged chart and perhaps one with its provenance file. Its layers carry no file names: the chart's
// name and version in the config name it, as `helm pull` names the file it writes (`<name>-<version>.tgz`).
// Everything read here is untrusted: names are held to a chart's own grammar, callers still show them as text.
import {
  descriptorProblem,
  isIndex,
  parseJsonObject,
  titleOf,
  type Descriptor,
  type Manifest,
  MediaType,
} from '../oci';
import { readSmallBlob, type ReadOnlyTarget } from '../content';

/** Chart.yaml as JSON is a few KiB; descriptions, dependencies and annotations rarely take more than this. */
export const MAX_HELM_CONFIG_BYTES = 1024 * 1024;

/** The chart layer's type before Helm 3.8 settled on its own; `helm pull` still reads it. */
export const LEGACY_HELM_CHART_LAYER = 'application/tar+gzip';

export interface HelmChartMetadata {
  name: string;
  version: string;
  appVersion?: string;
}

// A chart name is lowercase letters, digits and dashes by Helm's rules; older charts used dots, underscores and
// capitals. A version is SemVer 2 (with build metadata after "+"). Anything else is no chart's: not used as a name.
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const CHART_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,99}$/;
const APP_VERSION = /^[\x21-\x7e][\x20-\x7e]{0,99}$/;

/** The chart's name, version and appVersion from its config's bytes, or undefined when they are not a chart's. */
export function parseHelmChartMetadata(bytes: Buffer): HelmChartMetadata | undefined {
  const parsed = parseJsonObject(bytes);
  if (!parsed) return undefined;
  const { name, version, appVersion } = parsed;
  if (typeof name !== 'string' || !CHART_NAME.test(name)) return undefined;
  if (typeof version !== 'string' || !CHART_VERSION.test(version)) return undefined;
  return {
    name,
    version,
    ...(typeof appVersion === 'string' && APP_VERSION.test(appVersion) ? { appVersion } : {}),
  };
}

export function isHelmChart(manifest: Manifest): boolean {
  return !isIndex(manifest) && manifest.config?.mediaType === MediaType.helmConfig;
}

/** Reads a chart's metadata from its config; undefined when `manifest` is no chart or its config says no name. */
export async function readHelmChartMetadata(
  source: Pick<ReadOnlyTarget, 'fetchBlob'>,
  manifest: Manifest,
  signal?: AbortSignal,
): Promise<HelmChartMetadata | undefined> {
  if (!isHelmChart(manifest) || isIndex(manifest)) return undefined;
  if (manifest.config.size > MAX_HELM_CONFIG_BYTES) return undefined;
  return parseHelmChartMetadata(await readSmallBlob(source, manifest.config, signal, MAX_HELM_CONFIG_BYTES));
}

/**
 * The file names `helm pull` (with `--prov`) gives a chart's layers: `<name>-<version>.tgz` for the chart and the
 * same plus `.prov` for its provenance, keyed by layer. Only for the one chart layer and at most one provenance
 * layer Helm itself accepts; layers that already have a title keep it.
 */
export function helmChartFileNames(manifest: Manifest, chart: HelmChartMetadata): Map<Descriptor, string> {
  const names = new Map<Descriptor, string>();
  if (isIndex(manifest)) return names;
  // Layers as a registry wrote them, which may be anything: what is no descriptor is left to the pull to refuse.
  const layers: Descriptor[] = Array.isArray(manifest.layers)
    ? manifest.layers.filter((l) => !descriptorProblem(l))
    : [];
  const charts = layers.filter((l) => l.mediaType === MediaType.helmChart || l.mediaType === LEGACY_HELM_CHART_LAYER);
  const provenance = layers.filter((l) => l.mediaType === MediaType.helmProvenance);
  if (charts.length !== 1 || provenance.length > 1) return names;
  const file = `${chart.name}-${chart.version}.tgz`;
  if (!titleOf(charts[0]!)) names.set(charts[0]!, file);
  if (provenance[0] && !titleOf(provenance[0])) names.set(provenance[0], `${file}.prov`);
  return names;
}
