// What a reference names, in one read: skopeo's `inspect` for images (created, platform, labels, environment,
// layers, the repository's tags) and the same facts for any OCI artifact (its kind, artifact type, annotations,
// subject, files). An index is described through one of its manifests, as skopeo does: the platform asked for,
// else the one of this machine when the index has it; without either, its entries are listed instead.
// Every string comes from the store and is untrusted: callers print it through the terminal-safe paths only.
import {
  AuthError,
  type Descriptor,
  isIndex,
  isJsonObject,
  MediaType,
  type ImageManifest,
  type Manifest,
  wellShaped,
  platformMatches,
  platformText,
  type Platform,
} from '../oci';
import { readSmallBlob, type ReadOnlyTarget, type Target } from '../content';
import { describeManifest } from './describeArtifact';

/** An image config is read into memory to be shown: a larger one is not an image's config. */
export const MAX_INSPECTED_CONFIG_BYTES = 1024 * 1024;

/** Tags listed with the inspection; a repository with more says so instead of holding them all. */
export const MAX_INSPECTED_TAGS = 10_000;

/**
 * Pages of the tag list read for the inspection, past which it says there are more: ten times what
 * MAX_INSPECTED_TAGS fills at 100 tags a page (Distribution's own page size), while a registry sending empty
 * next pages without end no longer holds the inspection until the listing limit of all commands fails it.
 */
export const MAX_INSPECTED_TAG_PAGES = 1000;

export interface InspectOptions {
  /** The platform asked for (`--platform`): an index without it is an error naming the platforms it has. */
  platform?: Partial<Platform> & { os: string };
  /** The platform to pick from an index when none is asked for (this machine's), if the index has it. */
  preferred?: Partial<Platform> & { os: string };
  /** List the repository's tags (skopeo's RepoTags); off for `--no-tags`. */
  tags?: boolean;
  signal?: AbortSignal;
}

/** The facts of an image config that skopeo and docker show; each only when the config has it, well-typed. */
export interface ImageFacts {
  created?: string;
  author?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  dockerVersion?: string;
  labels?: Record<string, string>;
  env?: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
}

export interface InspectedManifest {
  descriptor: Descriptor;
  /** "Image", "Helm chart", "CycloneDX SBOM"… and what the kind tells at a glance (chart name, signer…). */
  kindLabel: string;
  details: string[];
  artifactType?: string;
  annotations?: Record<string, string>;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  /** The image config's facts, when the config is an image config of at most MAX_INSPECTED_CONFIG_BYTES. */
  image?: ImageFacts;
  /** The config's bytes (verified) when they were read for `image`: `inspect --config` prints them, not reads again. */
  configBytes?: Buffer;
}

export interface Inspection {
  /** The repository or layout (skopeo's Name). */
  name: string;
  /** What the reference names: the index's own descriptor when it names an index (skopeo's Digest). */
  descriptor: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** The index's entries, when the reference names an index. */
  entries?: Descriptor[];
  /** Why `manifest` is the entry described: asked for, or this machine's platform. */
  chosenBy?: 'platform' | 'preferred';
  /** The platform's entry when it is an index itself (not walked: inspect it by its digest). */
  chosenIndex?: Descriptor;
  /** The manifest described; absent for an index with no entry of the platform wanted, or one that is an index. */
  manifest?: InspectedManifest;
  tags?: string[];
  /** More tags exist than MAX_INSPECTED_TAGS, or than MAX_INSPECTED_TAG_PAGES pages list. */
  moreTags?: boolean;
  /** Why `tags` is empty: the registry let this account read the artifact but not list the tags (skopeo's warning). */
  tagsRefused?: string;
}

export class PlatformNotFoundError extends Error {
  constructor(
    readonly wanted: string,
    readonly offered: string[],
  ) {
    super(`no manifest for platform ${wanted} (it has: ${offered.join(', ') || 'no platforms'})`);
    this.name = 'PlatformNotFoundError';
  }
}

export async function inspectArtifact(
  target: Target,
  tagOrDigest: string,
  options: InspectOptions = {},
): Promise<Inspection> {
  const { signal } = options;
  const fetched = await target.fetchManifest(tagOrDigest, { signal });
  const top = checked(target, fetched.descriptor, fetched.manifest);
  const inspection: Inspection = {
    name: target.location,
    descriptor: fetched.descriptor,
    ...(top.artifactType ? { artifactType: top.artifactType } : {}),
    ...(top.annotations ? { annotations: top.annotations } : {}),
  };
  if (!isIndex(top)) inspection.manifest = await inspectManifest(target, fetched.descriptor, top, signal);
  else {
    inspection.entries = top.manifests;
    const chosen = chooseEntry(top.manifests, options);
    if (chosen) {
      const entry = await target.fetchManifest(chosen.entry, { signal });
      const manifest = checked(target, entry.descriptor, entry.manifest);
      // An index of indexes is listed, not walked: its entry is described by its own entries.
      inspection.chosenBy = chosen.by;
      if (isIndex(manifest)) inspection.chosenIndex = entry.descriptor;
      else inspection.manifest = await inspectManifest(target, entry.descriptor, manifest, signal);
    }
  }
  if (options.tags) Object.assign(inspection, await someTags(target, signal));
  return inspection;
}

/** `manifest`, refused when a field read below has another type than the image spec gives it. */
function checked(target: ReadOnlyTarget, descriptor: Descriptor, manifest: Manifest): Manifest {
  return wellShaped(`${target.location}: the manifest ${descriptor.digest}`, manifest);
}

function chooseEntry(
  entries: readonly Descriptor[],
  { platform, preferred }: InspectOptions,
): { entry: Descriptor; by: 'platform' | 'preferred' } | undefined {
  if (platform) {
    const entry = entries.find((e) => platformMatches(e.platform, platform));
    if (!entry)
      throw new PlatformNotFoundError(
        [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/'),
        entries.map((e) => platformText(e.platform)).filter((p): p is string => !!p),
      );
    return { entry, by: 'platform' };
  }
  const entry = preferred && entries.find((e) => platformMatches(e.platform, preferred));
  return entry ? { entry, by: 'preferred' } : undefined;
}

async function inspectManifest(
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  manifest: ImageManifest,
  signal: AbortSignal | undefined,
): Promise<InspectedManifest> {
  const described = await describeManifest(target, descriptor, manifest, { signal });
  const config = await imageConfigOf(target, manifest.config, signal);
  return {
    descriptor,
    kindLabel: described.kindLabel,
    details: described.details,
    ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
    ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
    config: manifest.config,
    layers: manifest.layers ?? [],
    ...(manifest.subject ? { subject: manifest.subject } : {}),
    ...(config ? { image: config.facts, configBytes: config.bytes } : {}),
  };
}

/** An image config's bytes and facts; undefined for a config that is no image's, or larger than one is. */
async function imageConfigOf(
  target: ReadOnlyTarget,
  config: Descriptor | undefined,
  signal: AbortSignal | undefined,
): Promise<{ bytes: Buffer; facts: ImageFacts } | undefined> {
  if (!config || config.size > MAX_INSPECTED_CONFIG_BYTES) return undefined;
  if (config.mediaType !== MediaType.ociConfig && config.mediaType !== MediaType.dockerConfig) return undefined;
  const bytes = await readSmallBlob(target, config, signal, MAX_INSPECTED_CONFIG_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`the image config ${config.digest} is not JSON`);
  }
  return { bytes, facts: parseImageFacts(parsed) };
}

/** The facts of an image config, each kept only when it has the type the image spec gives it. */
export function parseImageFacts(value: unknown): ImageFacts {
  const root = objectOr(value);
  const run = objectOr(root['config']);
  const facts: ImageFacts = {};
  const put = <K extends keyof ImageFacts>(key: K, fact: ImageFacts[K] | undefined) => {
    if (fact !== undefined) facts[key] = fact;
  };
  put('created', stringOr(root['created']));
  put('author', stringOr(root['author']));
  put('architecture', stringOr(root['architecture']));
  put('os', stringOr(root['os']));
  put('variant', stringOr(root['variant']));
  put('dockerVersion', stringOr(root['docker_version']));
  put('labels', stringMapOr(run['Labels']));
  put('env', stringsOr(run['Env']));
  put('entrypoint', stringsOr(run['Entrypoint']));
  put('cmd', stringsOr(run['Cmd']));
  put('workingDir', stringOr(run['WorkingDir']) || undefined);
  put('user', stringOr(run['User']) || undefined);
  const ports = objectOr(run['ExposedPorts']);
  if (Object.keys(ports).length) put('exposedPorts', Object.keys(ports).sort());
  return facts;
}

async function someTags(
  target: Target,
  signal: AbortSignal | undefined,
): Promise<{ tags: string[]; moreTags?: boolean; tagsRefused?: string }> {
  const tags: string[] = [];
  try {
    let pages = 0;
    for await (const page of target.listTags({ signal })) {
      if (++pages > MAX_INSPECTED_TAG_PAGES) return { tags, moreTags: true };
      for (const tag of page) {
        if (tags.length === MAX_INSPECTED_TAGS) return { tags, moreTags: true };
        tags.push(tag);
      }
    }
  } catch (err) {
    // Some registries serve an image but refuse to list its repository's tags: skopeo shows the image anyway.
    if (err instanceof AuthError) return { tags: [], tagsRefused: err.message };
    throw err;
  }
  return { tags };
}

function objectOr(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringsOr(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function stringMapOr(value: unknown): Record<string, string> | undefined {
  const map = objectOr(value);
  const entries = Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? Object.fromEntries(entries) : undefined;
}
