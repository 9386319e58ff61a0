// `stowage push --helm <registry>/<namespace> <chart>.tgz`: what `helm push <chart>.tgz oci://<registry>/<namespace>`
// stores. Helm users name a namespace and let the chart name the repository and the version the tag; they type the
// chart first, so either order is taken, and `oci://` is dropped as helm reads it.
import { creationTime } from '../creationTime';
import { stat } from 'node:fs/promises';
import { pushHelmChart, readHelmChartPackage } from '../../core/files';
import { printable } from '../../core/oci';
import { writeFileAtomic } from '../../core/content';
import { UsageError } from '../args';
import { printJson, type CommandContext } from '../command';
import { printPushed, referenced } from '../orasOutput';
import { progressReporter } from '../progress';

/** Options that shape a files artifact; a chart's shape is Helm's, so they are refused beside --helm. */
const NOT_WITH_HELM = ['artifact-type', 'annotation', 'annotation-file', 'config', 'artifact-platform', 'image-spec'];

export async function pushHelm(context: CommandContext): Promise<number> {
  const { args, io, session, signal } = context;
  for (const option of NOT_WITH_HELM)
    if (args.options[option] !== undefined)
      throw new UsageError(`--${option} does not go with --helm: a chart is pushed in Helm's shape, as helm push does`);
  const { namespace, chartFile } = await helmArguments(args.positionals);
  const chart = await readHelmChartPackage(chartFile, signal);
  const destination = await session.open(`${namespace}/${chart.name}:${chart.tag}`, { create: true });
  if (destination.reference.kind !== 'registry')
    throw new UsageError('--helm pushes to a registry namespace, as helm push does: give <registry>/<namespace>');
  const progress = progressReporter(io, 'pushing');
  let pushed;
  try {
    pushed = await pushHelmChart(destination.target, chartFile, chart, {
      created: creationTime(args, io.env),
      concurrency: session.concurrency,
      onProgress: progress.onProgress,
      signal,
    });
  } finally {
    progress.done();
  }
  const exportTo = args.options['export-manifest'] as string | undefined;
  if (exportTo) await writeFileAtomic(exportTo, pushed.manifest.bytes);
  const location = destination.target.location;
  if (args.options['format'] === 'json')
    printJson(io, {
      ...referenced(location, pushed.manifest.descriptor),
      referenceAsTags: [`${location}:${chart.tag}`],
    });
  else
    printPushed(
      io,
      `Pushed Helm chart ${printable(chart.name)} ${printable(chart.version)}${pushed.provenance ? ' with its provenance' : ''} to`,
      `${location}:${chart.tag}`,
      pushed.manifest.descriptor,
    );
  return 0;
}

/** The namespace (no tag, no digest: those come from the chart) and the chart file, in either order. */
async function helmArguments(positionals: readonly string[]): Promise<{ namespace: string; chartFile: string }> {
  if (positionals.length !== 2)
    throw new UsageError(
      '--helm takes a namespace and one chart: stowage push --helm <registry>/<namespace> <chart>.tgz',
    );
  const isFile = async (p: string) => !!(await stat(p).catch(() => undefined))?.isFile();
  const [a, b] = positionals as [string, string];
  const [chartFile, given] = (await isFile(b)) ? [b, a] : (await isFile(a)) ? [a, b] : [undefined, undefined];
  if (!chartFile || !given) throw new UsageError(`--helm: neither "${a}" nor "${b}" is a chart file`);
  const namespace = given.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  const last = namespace.includes('/') ? namespace.slice(namespace.lastIndexOf('/') + 1) : '';
  if (namespace.includes('@') || last.includes(':'))
    throw new UsageError(
      `--helm: "${given}" names a tag or digest; give the namespace alone: the chart's name and version name the repository and tag, as helm push does`,
    );
  return { namespace, chartFile };
}
