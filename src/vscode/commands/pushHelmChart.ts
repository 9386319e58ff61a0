// Push as Artifact… of one packaged Helm chart (a .tgz holding <chart>/Chart.yaml) offers Helm's shape: the chart
// goes to <repository chosen>/<name>:<version>, as `helm push <chart>.tgz oci://<registry>/<namespace>` stores it
// (the chosen repository is the namespace), with Helm's config and layer types and the .prov beside it.
import * as path from 'node:path';
import { pushHelmChart as pushChart, readHelmChartPackage, type HelmChartPackage } from '../../core/files';
import { formatReference, type StoreRef } from '../../core/oci';
import { transferInto } from './transferInto';
import { refreshStore, type CommandContext } from './CommandContext';
import { notifyArtifactTransferred } from './notifyTransferDone';
import { shownDigest } from './doneWithReference';
import { helmChartPushDetail } from './helmChartPushDetail';
import { shownReference } from '../shownReference';

export const AS_HELM_CHART = 'As Helm Chart';
export const AS_FILES = 'As Files';

/** The chart `file` packages, or undefined when it is no chart (any other file is pushed as a file). */
export async function helmChartIn(file: string): Promise<HelmChartPackage | undefined> {
  if (!/\.tgz$/i.test(file)) return undefined;
  return readHelmChartPackage(file).catch(() => undefined);
}

/** Asks whether `file`, a chart, goes as Helm's shape; undefined when the user cancelled. */
export async function askHelmShape(
  ctx: CommandContext,
  file: string,
  chart: HelmChartPackage,
): Promise<boolean | undefined> {
  const choice = await ctx.prompts().choose({
    message: `${path.basename(file)} is the Helm chart ${chart.name} ${chart.version}. Push it as helm push does?`,
    detail: `As a Helm chart it goes to <repository>/${chart.name}:${chart.tag} with Helm's config and layer types, and helm pull and helm install read it. As files it is one file of an ORAS artifact.`,
    actions: [AS_HELM_CHART, AS_FILES],
  });
  return choice === undefined ? undefined : choice === AS_HELM_CHART;
}

/** The chart's destination in `namespace` (a layout keeps its place: it has no repositories). */
export function chartDestination(namespace: StoreRef, chart: HelmChartPackage): StoreRef {
  return namespace.kind === 'registry'
    ? { ...namespace, repository: `${namespace.repository}/${chart.name}` }
    : namespace;
}

export async function pushChartTo(
  ctx: CommandContext,
  file: string,
  chart: HelmChartPackage,
  namespace: StoreRef,
): Promise<{ reference: string; digest: string } | undefined> {
  const destination = chartDestination(namespace, chart);
  const reference = formatReference({ ...destination, tag: chart.tag });
  const shown = shownReference({ ...destination, tag: chart.tag });
  const confirmed = await ctx.prompts().confirm({
    message: `Push the Helm chart ${chart.name} ${chart.version} to ${shown}?`,
    detail: helmChartPushDetail(file, chart),
    action: 'Push',
  });
  if (!confirmed) return undefined;
  const result = await transferInto(ctx, `Pushing to ${shown}`, destination, (target, signal, report) =>
    pushChart(target, file, chart, { concurrency: ctx.settings().concurrency, signal, onProgress: report }),
  );
  const digest = result.manifest.descriptor.digest;
  // The log keeps the whole reference (shownReference is for what people read at a glance).
  const pushed = (where: string) =>
    `Pushed the Helm chart ${chart.name} ${chart.version}${result.provenance ? ' with its provenance' : ''} to ${where} as`;
  ctx.log.info(`${pushed(reference)} ${digest}`);
  refreshStore(ctx, destination);
  void notifyArtifactTransferred(ctx, `${pushed(shown)} ${shownDigest(digest)}.`, {
    store: destination,
    tag: chart.tag,
    digest,
  });
  return { reference, digest };
}
