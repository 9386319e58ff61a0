// An inspection as lines of "Key: value" text (lists indented below their key): what `stowage inspect` prints and
// what the editor shows and compares (Compare With…). The strings are the store's, untrusted: callers escape them
// for where they go (a terminal, a document).
import { formatBytes, platformText, titleOf, type Descriptor } from '../oci';
import type { InspectedManifest, Inspection } from './inspectArtifact';

export function inspectionLines(inspection: Inspection): string[] {
  const lines: string[] = [];
  const { line, list } = lineWriters(lines);
  const { manifest, entries } = inspection;
  line('Name', inspection.name);
  line('Digest', inspection.descriptor.digest);
  line('Media type', `${inspection.descriptor.mediaType}, ${formatBytes(inspection.descriptor.size)}`);
  if (entries) {
    line('Artifact type', inspection.artifactType);
    list('Annotations', keyValues(inspection.annotations));
    list(
      `Manifests (${entries.length})`,
      entries.map((e) => `${platformText(e.platform) ?? e.artifactType ?? e.mediaType}  ${e.digest}`),
    );
    const why = inspection.chosenBy === 'preferred' ? 'this machine’s platform' : 'the platform asked for';
    if (inspection.chosenIndex)
      line('Manifest', `${inspection.chosenIndex.digest} (${why}) is an index itself: inspect it by its digest`);
    else if (!manifest) lines.push('(no manifest for this machine’s platform: --platform os/arch shows one)');
    else line('Manifest', `${manifest.descriptor.digest} (${why})`);
  }
  if (manifest) lines.push(...manifestLines(manifest));
  if (inspection.tags) {
    const { tags, moreTags } = inspection;
    if (moreTags) lines.push(`Tags (${tags.length}+):`, ...tags.map((tag) => `  ${tag}`));
    else list(`Tags (${tags.length})`, tags);
    if (moreTags) lines.push(`  … and more (${tags.length ? `the first ${tags.length} listed` : 'none listed yet'})`);
  }
  return lines;
}

/** The described manifest's lines: kind, image facts, config and layers. */
export function manifestLines(manifest: InspectedManifest): string[] {
  const lines: string[] = [];
  const { line, list } = lineWriters(lines);
  const image = manifest.image;
  // The artifact type has a line of its own.
  const details = manifest.details.filter((detail) => detail !== manifest.artifactType);
  line('Kind', [manifest.kindLabel, ...details].join(' · '));
  line('Artifact type', manifest.artifactType);
  line('Platform', platformText(image) ?? image?.os);
  line('Created', image?.created);
  line('Author', image?.author);
  line('Subject', manifest.subject && `${manifest.subject.digest} (${manifest.subject.mediaType})`);
  list('Annotations', keyValues(manifest.annotations));
  list('Labels', keyValues(image?.labels));
  list('Env', image?.env);
  line('Entrypoint', image?.entrypoint && JSON.stringify(image.entrypoint));
  line('Cmd', image?.cmd && JSON.stringify(image.cmd));
  line('WorkingDir', image?.workingDir);
  line('User', image?.user);
  line('Ports', image?.exposedPorts?.join(', '));
  line('Config', `${manifest.config.digest}, ${manifest.config.mediaType}, ${formatBytes(manifest.config.size)}`);
  lines.push(`Layers (${manifest.layers.length}, ${formatBytes(layersSize(manifest.layers))}):`);
  manifest.layers.forEach((layer, i) => lines.push(`  ${i + 1}  ${layerText(layer)}`));
  return lines;
}

export function layerText(layer: Descriptor): string {
  const title = titleOf(layer);
  return [layer.digest, formatBytes(layer.size), layer.mediaType, ...(title ? [title] : [])].join('  ');
}

export function layersSize(layers: readonly Descriptor[]): number {
  return layers.reduce((sum, layer) => sum + layer.size, 0);
}

function keyValues(map: Record<string, string> | undefined): string[] | undefined {
  return map && Object.entries(map).map(([key, value]) => `${key}=${value}`);
}

function lineWriters(lines: string[]) {
  return {
    line(key: string, value: string | undefined) {
      if (value !== undefined && value !== '') lines.push(`${`${key}:`.padEnd(15)}${value}`);
    },
    list(key: string, values: readonly string[] | undefined) {
      if (!values?.length) return;
      lines.push(`${key}:`);
      for (const value of values) lines.push(`  ${value}`);
    },
  };
}
