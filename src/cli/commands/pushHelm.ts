// `stowage push --helm <registry>/<namespace> <chart>.tgz`: what `helm push <chart>.tgz oci://<registry>/<namespace>`
// stores. Helm users name a namespace and let the chart name the repository and the version the tag; they type the
// chart first, so either order is taken, and `oci://` is dropped as helm reads it. Into a layout (`oci:<dir>[:tag]`,
// which has no repositories) the same manifest goes, tagged with the version unless a tag is given.
import { creationTime } from '../creationTime';
import { stat } from 'node:fs/promises';
import { pushHelmChart, readHelmChartPackage } from '../../core/files';
import { ARCHIVE_PREFIX, LAYOUT_PREFIX, parseReference, printable } from '../../core/oci';
import { layoutInput } from '../session';
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
  const layout = !!args.options['oci-layout'];
  const { namespace, chartFile } = await helmArguments(args.positionals, layout);
  const chart = await readHelmChartPackage(chartFile, signal);
  const toLayout = layout || isLayoutInput(namespace);
  const destination = await session.open(toLayout ? namespace : `${namespace}/${chart.name}:${chart.tag}`, {
    create: true,
  });
  const { reference } = destination;
  if (!toLayout && reference.kind !== 'registry')
    throw new UsageError('--helm pushes to a registry namespace, as helm push does: give <registry>/<namespace>');
  const tag = (reference.kind === 'layout' && reference.tag) || chart.tag;
  const progress = progressReporter(io, 'pushing');
  let pushed;
  try {
    pushed = await pushHelmChart(destination.target, chartFile, chart, {
      tag,
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
      referenceAsTags: [`${location}:${tag}`],
    });
  else
    printPushed(
      io,
      `Pushed Helm chart ${printable(chart.name)} ${printable(chart.version)}${pushed.provenance ? ' with its provenance' : ''} to`,
      `${location}:${tag}`,
      pushed.manifest.descriptor,
    );
  return 0;
}

/**
 * The namespace (no tag, no digest: those come from the chart) and the chart file, in either order; or a layout
 * (`oci:<dir>[:tag]`, or any path under --oci-layout) without a digest.
 */
async function helmArguments(
  positionals: readonly string[],
  ociLayout: boolean,
): Promise<{ namespace: string; chartFile: string }> {
  if (positionals.length !== 2)
    throw new UsageError(
      '--helm takes a namespace (or a layout) and one chart: stowage push --helm <registry>/<namespace>|oci:<dir>[:tag] <chart>.tgz',
    );
  const isFile = async (p: string) => !!(await stat(p).catch(() => undefined))?.isFile();
  const [a, b] = positionals as [string, string];
  const [chartFile, given] = (await isFile(b)) ? [b, a] : (await isFile(a)) ? [a, b] : [undefined, undefined];
  if (!chartFile || !given) throw new UsageError(`--helm: neither "${a}" nor "${b}" is a chart file`);
  if (ociLayout || isLayoutInput(given)) {
    if (parseReference(layoutInput(given, ociLayout)).digest)
      throw new UsageError(
        `--helm: "${given}" names a digest; a layout takes a tag at most (the chart's version, "+" as "_", by default)`,
      );
    return { namespace: given, chartFile };
  }
  const namespace = given.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  const last = namespace.includes('/') ? namespace.slice(namespace.lastIndexOf('/') + 1) : '';
  if (namespace.includes('@') || last.includes(':'))
    throw new UsageError(
      `--helm: "${given}" names a tag or digest; give the namespace alone: the chart's name and version name the repository and tag, as helm push does`,
    );
  return { namespace, chartFile };
}

/** `oci:<dir>` or `oci-archive:<file>`, not helm's `oci://<registry>`. */
function isLayoutInput(given: string): boolean {
  return given.startsWith(ARCHIVE_PREFIX) || (given.startsWith(LAYOUT_PREFIX) && !given.startsWith('oci://'));
}
