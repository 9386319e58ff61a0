// What differs between two inspected artifacts (`stowage diff`): the facts `inspect` shows, compared one by one —
// kind, platform, created, labels, environment, entrypoint… — keyed lists by key (a label changed, added or
// removed; an environment variable by its name), and layers by digest (how many the two share from the bottom, which
// are only in one). Two digests that are equal are identical and nothing else is compared. Strings are the stores',
// untrusted: callers escape them for where they go.
import { platformText, type Descriptor } from '../oci';
import type { InspectedManifest, Inspection } from './inspectArtifact';
import { layersSize } from './inspectionText';

export type Change = 'added' | 'removed' | 'changed';

export interface FactDifference {
  /** As `inspect` names it: "Created", "Labels", "Env"… */
  fact: string;
  /** For keyed facts (annotations, labels, environment, ports, an index's entries): which one. */
  key?: string;
  change: Change;
  from?: string;
  to?: string;
}

export interface LayerChange {
  change: 'added' | 'removed';
  /** Its place in its own manifest, from 1 (bottom), as `inspect` and `files --layer` number them. */
  position: number;
  layer: Descriptor;
}

export interface LayersComparison {
  /** Layers the two have in common from the bottom, in the same order: the shared base. */
  sharedFromBottom: number;
  fromCount: number;
  toCount: number;
  fromBytes: number;
  toBytes: number;
  /** Layers only one side has (by digest, a layer listed twice counted twice). */
  changes: LayerChange[];
  /** The same layers, in another order. */
  reordered: boolean;
}

export interface InspectionComparison {
  /** Both name the same digest: the same bytes, nothing else to compare. */
  identical: boolean;
  differences: FactDifference[];
  /** When both sides describe a manifest. */
  layers?: LayersComparison;
}

export function compareInspections(from: Inspection, to: Inspection): InspectionComparison {
  if (from.descriptor.digest === to.descriptor.digest) return { identical: true, differences: [] };
  const differences: FactDifference[] = [];
  const fact = (name: string, a: string | undefined, b: string | undefined) => {
    const difference = scalarDifference(name, a, b);
    if (difference) differences.push(difference);
  };
  fact('Media type', from.descriptor.mediaType, to.descriptor.mediaType);
  if (from.entries || to.entries) {
    fact('Artifact type', from.artifactType, to.artifactType);
    differences.push(...keyedDifferences('Annotations', from.annotations, to.annotations));
    differences.push(...keyedDifferences('Manifests', entryMap(from.entries), entryMap(to.entries)));
  }
  fact('Manifest', described(from), described(to));
  const a = from.manifest;
  const b = to.manifest;
  if (!a || !b) return { identical: false, differences };
  differences.push(...manifestDifferences(a, b));
  return { identical: false, differences, layers: compareLayers(a.layers, b.layers) };
}

function manifestDifferences(a: InspectedManifest, b: InspectedManifest): FactDifference[] {
  const differences: FactDifference[] = [];
  const fact = (name: string, x: string | undefined, y: string | undefined) => {
    const difference = scalarDifference(name, x, y);
    if (difference) differences.push(difference);
  };
  const json = (value: readonly string[] | undefined) => value && JSON.stringify(value);
  const ai = a.image;
  const bi = b.image;
  fact('Kind', kindText(a), kindText(b));
  fact('Artifact type', a.artifactType, b.artifactType);
  fact('Platform', platformText(ai) ?? ai?.os, platformText(bi) ?? bi?.os);
  fact('Created', ai?.created, bi?.created);
  fact('Author', ai?.author, bi?.author);
  fact('Subject', a.subject?.digest, b.subject?.digest);
  differences.push(...keyedDifferences('Annotations', a.annotations, b.annotations));
  differences.push(...keyedDifferences('Labels', ai?.labels, bi?.labels));
  differences.push(...keyedDifferences('Env', environment(ai?.env), environment(bi?.env)));
  fact('Entrypoint', json(ai?.entrypoint), json(bi?.entrypoint));
  fact('Cmd', json(ai?.cmd), json(bi?.cmd));
  fact('WorkingDir', ai?.workingDir, bi?.workingDir);
  fact('User', ai?.user, bi?.user);
  differences.push(...keyedDifferences('Ports', portMap(ai?.exposedPorts), portMap(bi?.exposedPorts)));
  fact('Config', a.config.digest, b.config.digest);
  fact('Config type', a.config.mediaType, b.config.mediaType);
  return differences;
}

/** The kind and what it tells, as `inspect` shows it: the artifact type is a fact of its own. */
function kindText(manifest: InspectedManifest): string {
  return [manifest.kindLabel, ...manifest.details.filter((detail) => detail !== manifest.artifactType)].join(' · ');
}

function scalarDifference(fact: string, from: string | undefined, to: string | undefined): FactDifference | undefined {
  if (from === to) return undefined;
  if (from === undefined) return { fact, change: 'added', to: to! };
  if (to === undefined) return { fact, change: 'removed', from };
  return { fact, change: 'changed', from, to };
}

/** Keys in the order `from` lists them, then those only `to` has, in its order. */
function keyedDifferences(
  fact: string,
  from: Readonly<Record<string, string>> | undefined,
  to: Readonly<Record<string, string>> | undefined,
): FactDifference[] {
  const a = new Map(Object.entries(from ?? {}));
  const b = new Map(Object.entries(to ?? {}));
  const differences: FactDifference[] = [];
  for (const [key, value] of a) {
    const difference = scalarDifference(fact, value, b.has(key) ? b.get(key) : undefined);
    if (difference) differences.push({ fact, key, change: difference.change, ...fromTo(difference) });
  }
  for (const [key, value] of b) if (!a.has(key)) differences.push({ fact, key, change: 'added', to: value });
  return differences;
}

function fromTo(difference: FactDifference): Pick<FactDifference, 'from' | 'to'> {
  return {
    ...(difference.from !== undefined ? { from: difference.from } : {}),
    ...(difference.to !== undefined ? { to: difference.to } : {}),
  };
}

/** Environment variables by name ("PATH=/bin" → PATH: /bin); a later one of the same name wins, as a shell's. */
function environment(env: readonly string[] | undefined): Record<string, string> | undefined {
  if (!env) return undefined;
  const map: Record<string, string> = {};
  for (const variable of env) {
    const cut = variable.indexOf('=');
    if (cut < 0) map[variable] = '';
    else map[variable.slice(0, cut)] = variable.slice(cut + 1);
  }
  return map;
}

function portMap(ports: readonly string[] | undefined): Record<string, string> | undefined {
  return ports && Object.fromEntries(ports.map((port) => [port, 'exposed']));
}

/** An index's entries by what tells them apart: platform, else artifact type, else media type (then the digest). */
function entryMap(entries: readonly Descriptor[] | undefined): Record<string, string> | undefined {
  if (!entries) return undefined;
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const base = platformText(entry.platform) ?? entry.artifactType ?? entry.mediaType;
    let key = base;
    for (let n = 2; key in map; n++) key = `${base} (${n})`;
    map[key] = entry.digest;
  }
  return map;
}

function described(inspection: Inspection): string | undefined {
  if (!inspection.entries) return undefined;
  return inspection.chosenIndex?.digest ?? inspection.manifest?.descriptor.digest;
}

export function compareLayers(from: readonly Descriptor[], to: readonly Descriptor[]): LayersComparison {
  let shared = 0;
  while (shared < from.length && shared < to.length && from[shared]!.digest === to[shared]!.digest) shared++;
  const remaining = (layers: readonly Descriptor[]) => {
    const counts = new Map<string, number>();
    for (const layer of layers) counts.set(layer.digest, (counts.get(layer.digest) ?? 0) + 1);
    return counts;
  };
  const inTo = remaining(to);
  const inFrom = remaining(from);
  const changes: LayerChange[] = [];
  const onlyIn = (layers: readonly Descriptor[], other: Map<string, number>, change: LayerChange['change']) =>
    layers.forEach((layer, i) => {
      const left = other.get(layer.digest) ?? 0;
      if (left > 0) other.set(layer.digest, left - 1);
      else changes.push({ change, position: i + 1, layer });
    });
  onlyIn(from, inTo, 'removed');
  onlyIn(to, inFrom, 'added');
  const reordered =
    changes.length === 0 && from.length === to.length && from.some((layer, i) => layer.digest !== to[i]!.digest);
  return {
    sharedFromBottom: shared,
    fromCount: from.length,
    toCount: to.length,
    fromBytes: layersSize(from),
    toBytes: layersSize(to),
    changes,
    reordered,
  };
}
