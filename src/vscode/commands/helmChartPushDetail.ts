// The confirmation's detail before a Helm chart is pushed: what goes where, and the annotations derived from its
// Chart.yaml. A chart packaged elsewhere is hostile: its annotation keys and values are shown escaped, and a
// Chart.yaml of thousands of annotations (it may be 1 MiB) shows a few of them, not a dialog taller than the screen.
import * as path from 'node:path';
import type { HelmChartPackage } from '../../core/files';
import { counted, printable } from '../../core/oci';

export const MAX_SHOWN_ANNOTATIONS = 20;

export function helmChartPushDetail(file: string, chart: HelmChartPackage): string {
  const annotations = Object.entries(chart.annotations);
  const more = annotations.length - MAX_SHOWN_ANNOTATIONS;
  return [
    `${printable(path.basename(file))} — Helm chart (application/vnd.cncf.helm.chart.content.v1.tar+gzip)`,
    `config: Chart.yaml as application/vnd.cncf.helm.config.v1+json`,
    ...annotations.slice(0, MAX_SHOWN_ANNOTATIONS).map(([k, v]) => `${printable(k)}: ${printable(v)}`),
    ...(more > 0 ? [`… and ${counted(more, 'more annotation')}`] : []),
  ].join('\n');
}
