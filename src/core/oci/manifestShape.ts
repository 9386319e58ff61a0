// Whether a parsed manifest or index has the shape code may read fields of without checking each one. Stores
// check only that manifest bytes are JSON with schemaVersion 2: a registry's or a layout's manifest may still hold
// `"layers": {}`, a null entry, an annotation whose value is an object, which crash whatever walks them.
import { descriptorProblem, isIndex, type Manifest } from './descriptor';
import { OciError } from './errors';
import { isJsonObject } from './jsonObject';

/** `manifest`, refused (naming `what`, e.g. "oci:dir: the manifest sha256:…") when its shape is not the spec's. */
export function wellShaped<M extends Manifest>(what: string, manifest: M): M {
  const problem = manifestShapeProblem(manifest);
  if (problem) throw new OciError('INVALID_CONTENT', `${what} ${problem}`);
  return manifest;
}

/** Why `manifest` cannot be read as the image spec shapes it, or undefined; the text is safe to show. */
export function manifestShapeProblem(manifest: Manifest): string | undefined {
  const own = optionalStrings(manifest, ['mediaType', 'artifactType']) ?? annotationsProblem(manifest.annotations);
  if (own) return own;
  if (manifest.subject !== undefined) {
    const subject = descriptorShapeProblem(manifest.subject);
    if (subject) return `has a subject that ${subject}`;
  }
  if (isIndex(manifest)) return listProblem(manifest.manifests, 'an entry');
  const config = descriptorShapeProblem(manifest.config);
  if (config) return `has a config that ${manifest.config === undefined ? 'is missing' : config}`;
  if (manifest.layers === undefined) return undefined;
  if (!Array.isArray(manifest.layers)) return 'has "layers" that are not a list';
  return listProblem(manifest.layers, 'a layer');
}

function listProblem(list: readonly unknown[], what: string): string | undefined {
  for (const [i, item] of list.entries()) {
    const problem = descriptorShapeProblem(item);
    if (problem) return `has ${what} (${i + 1} of ${list.length}) that ${problem}`;
  }
  return undefined;
}

/** descriptorProblem, and the descriptor's optional fields (artifact type, annotations, platform) well-typed. */
function descriptorShapeProblem(value: unknown): string | undefined {
  const problem = descriptorProblem(value);
  if (problem) return problem;
  const d = value as Record<string, unknown>;
  return optionalStrings(d, ['artifactType']) ?? annotationsProblem(d['annotations']) ?? platformProblem(d['platform']);
}

function platformProblem(platform: unknown): string | undefined {
  if (platform === undefined) return undefined;
  if (!isJsonObject(platform)) return 'has a platform that is not an object';
  const problem = optionalStrings(platform, ['os', 'architecture', 'variant', 'os.version']);
  return problem && `has a platform that ${problem}`;
}

function annotationsProblem(annotations: unknown): string | undefined {
  if (annotations === undefined) return undefined;
  if (!isJsonObject(annotations) || !Object.values(annotations).every((v) => typeof v === 'string'))
    return 'has annotations that are not a map of strings';
  return undefined;
}

function optionalStrings(value: object, keys: readonly string[]): string | undefined {
  const record = value as Record<string, unknown>;
  const wrong = keys.find((key) => record[key] !== undefined && typeof record[key] !== 'string');
  return wrong && `has a "${wrong}" that is not a string`;
}
