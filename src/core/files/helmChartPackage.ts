// What `helm push` reads from a packaged chart (`helm package`'s .tgz): Chart.yaml, from the chart's folder at the
// top of the archive. It becomes the artifact's config (the chart's fields as JSON, in the order Helm's Go struct
// writes them), its repository name (<namespace>/<name>), its tag (the version, "+" as "_") and the manifest's
// annotations, as Helm derives them. The archive is hostile until read: streamed, decompressed bytes and entries
// capped, Chart.yaml capped, and its name and version held to the rules Helm holds them to.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { isScalar, Lexer, parseDocument, visit } from 'yaml';
import { Annotation, OciError, printable, SizeExceededError } from '../oci';
import { limitBytes } from './limitBytes';

/** Helm's own caps on a chart archive: 100 MiB decompressed, 5 MiB per file. Chart.yaml is far smaller. */
export const MAX_CHART_ARCHIVE_BYTES = 100 * 1024 * 1024;
export const MAX_CHART_YAML_BYTES = 1024 * 1024;
export const MAX_CHART_ARCHIVE_ENTRIES = 100_000;

export interface HelmChartPackage {
  name: string;
  version: string;
  /** The tag `helm push` gives it: the version with "+" as "_". */
  tag: string;
  /** Chart.yaml's fields as JSON, as Helm's config holds them. */
  config: Buffer;
  /** The manifest annotations Helm writes (created aside: the pusher adds it). */
  annotations: Record<string, string>;
}

// The repository's last path component (the distribution grammar, lowercase): Helm names the repository after the
// chart, and a name the registry would refuse, or one with a "/", is refused here first.
const REPOSITORY_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// SemVer 2 (semver.org's grammar), with the leading "v" Helm's parser accepts.
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_VERSION_LENGTH = 128; // a tag's limit

/** Reads and checks the chart packaged in `file`; `what` names it in errors. */
export async function readHelmChartPackage(file: string, signal?: AbortSignal): Promise<HelmChartPackage> {
  const what = `the chart archive ${file}`;
  const text = await readChartYaml(file, what, signal);
  let parsed: unknown;
  try {
    parsed = parseChartYaml(text);
  } catch (err) {
    throw new OciError(
      'INVALID_CONTENT',
      `${what}: Chart.yaml is not valid YAML (${printable((err as Error).message)})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new OciError('INVALID_CONTENT', `${what}: Chart.yaml is not a mapping of fields`);
  return chartPackage(parsed as Record<string, unknown>, what);
}

/**
 * Chart.yaml as JavaScript values, each mapping's keys unique and text, aliases capped (a billion laughs). The
 * parser's own check of unique keys compares each key with every earlier one: a Chart.yaml of 1 MiB of keys took
 * minutes, so each mapping's keys go into a set here instead.
 */
function parseChartYaml(text: string): unknown {
  refuseDeepFlow(text);
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length) throw document.errors[0]!;
  visit(document, {
    Map(_, map) {
      const keys = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) throw new Error('a key is not text (Chart.yaml keys are field names)');
        const key = String(pair.key.value);
        if (keys.has(key)) throw new Error(`Map keys must be unique: "${key}" is there twice`);
        keys.add(key);
      }
    },
  });
  return document.toJS({ maxAliasCount: 100 });
}

/** Helm's fields nest a few levels; import-values a few more. */
const MAX_FLOW_DEPTH = 64;

/**
 * Refuses flow collections ("[", "{") nested deeper than MAX_FLOW_DEPTH, from the lexer's tokens (brackets inside
 * text are no tokens): the parser took seconds over 1 MiB of "[" before it gave up, on the extension host.
 */
function refuseDeepFlow(text: string): void {
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_FLOW_DEPTH) throw new Error(`it is nested deeper than ${MAX_FLOW_DEPTH} levels`);
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
}

/** The checked package of Chart.yaml's parsed fields. */
export function chartPackage(fields: Record<string, unknown>, what: string): HelmChartPackage {
  const fail = (reason: string): never => {
    throw new OciError('INVALID_CONTENT', `${what}: Chart.yaml ${reason}`);
  };
  const text = (key: string): string | undefined => {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') fail(`"${key}" must be text (quote it in Chart.yaml)`);
    return value as string;
  };
  const name = text('name') ?? fail('has no "name"');
  const version = text('version') ?? fail('has no "version"');
  const apiVersion = text('apiVersion') ?? fail('has no "apiVersion"');
  if (apiVersion !== 'v1' && apiVersion !== 'v2') fail(`"apiVersion" is "${printable(apiVersion)}", not v1 or v2`);
  if (!REPOSITORY_COMPONENT.test(name))
    fail(
      `"name" "${printable(name)}" is not a chart name a registry repository can hold (lowercase letters, digits, ".", "_", "-"; no "/")`,
    );
  if (version.length > MAX_VERSION_LENGTH || !SEMVER.test(version))
    fail(`"version" "${printable(version)}" is not a SemVer 2 version (as Helm requires)`);
  const type = text('type');
  if (type !== undefined && type !== '' && type !== 'application' && type !== 'library')
    fail(`"type" is "${printable(type)}", not application or library`);
  const config = helmConfig(fields, fail);
  return {
    name,
    version,
    tag: version.replace(/\+/g, '_'),
    config: Buffer.from(JSON.stringify(config)),
    annotations: helmAnnotations(config),
  };
}

type Fail = (reason: string) => never;

/**
 * Chart.yaml's fields in the order Helm's Metadata struct marshals them, empty ones left out (omitempty); fields
 * Helm does not know are dropped, as its loader drops them. A field of the wrong kind is refused, as Helm refuses it.
 */
function helmConfig(fields: Record<string, unknown>, fail: Fail): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value === undefined || value === '' || value === false) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) return;
    out[key] = value;
  };
  const str = (key: string, from = fields): string | undefined => {
    const value = from[key];
    if (value === undefined || value === null) return undefined;
    // appVersion is often written unquoted (1.16): Helm takes it as text.
    if (key === 'appVersion' && typeof value === 'number') return String(value);
    if (typeof value !== 'string') fail(`"${key}" must be text`);
    return value as string;
  };
  const strings = (key: string, from = fields): string[] | undefined => {
    const value = from[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`"${key}" must be a list of text`);
    return value as string[];
  };
  const objects = (key: string): Record<string, unknown>[] => {
    const value = fields[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
      fail(`"${key}" must be a list of mappings`);
    return value as Record<string, unknown>[];
  };
  put('name', str('name'));
  put('home', str('home'));
  put('sources', strings('sources'));
  put('version', str('version'));
  put('description', str('description'));
  put('keywords', strings('keywords'));
  put(
    'maintainers',
    objects('maintainers').map((m) => compact({ name: str('name', m), email: str('email', m), url: str('url', m) })),
  );
  put('icon', str('icon'));
  put('apiVersion', str('apiVersion'));
  put('condition', str('condition'));
  put('tags', str('tags'));
  put('appVersion', str('appVersion'));
  const deprecated = fields['deprecated'];
  if (deprecated !== undefined && deprecated !== null && typeof deprecated !== 'boolean')
    fail('"deprecated" must be true or false');
  put('deprecated', deprecated ?? undefined);
  put('annotations', sortedAnnotations(fields['annotations'], fail));
  put('kubeVersion', str('kubeVersion'));
  put(
    'dependencies',
    objects('dependencies').map((d) => {
      const enabled = d['enabled'];
      return compact({
        name: str('name', d),
        version: str('version', d),
        repository: str('repository', d),
        condition: str('condition', d),
        tags: strings('tags', d),
        enabled: typeof enabled === 'boolean' ? enabled : undefined,
        'import-values': Array.isArray(d['import-values']) ? d['import-values'] : undefined,
        alias: str('alias', d),
      });
    }),
  );
  put('type', str('type'));
  return out;
}

/** Go marshals a map with its keys sorted; each value must be text. */
function sortedAnnotations(value: unknown, fail: Fail): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail('"annotations" must be a mapping of text');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v !== 'string')) fail('"annotations" must be a mapping of text');
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Record<string, string>;
}

function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
  );
}

/** The manifest annotations `helm push` writes from the chart (the creation time aside). */
function helmAnnotations(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') out[key] = value;
  };
  add(Annotation.description, config['description']);
  add(Annotation.title, config['name']);
  add(Annotation.version, config['version']);
  add(Annotation.url, config['home']);
  add(Annotation.source, (config['sources'] as string[] | undefined)?.[0]);
  const maintainers = config['maintainers'] as { name?: string; email?: string }[] | undefined;
  if (maintainers?.length)
    add(Annotation.authors, maintainers.map((m) => `${m.name ?? ''}${m.email ? ` (${m.email})` : ''}`).join(', '));
  // The chart's own annotations, except the two Helm keeps for the chart's name and version.
  for (const [key, value] of Object.entries((config['annotations'] as Record<string, string>) ?? {}))
    if (key !== Annotation.title && key !== Annotation.version) out[key] = value;
  return out;
}

/** Streams the archive until `<chart>/Chart.yaml`; decompressed bytes, entries and Chart.yaml's size are capped. */
async function readChartYaml(file: string, what: string, signal?: AbortSignal): Promise<string> {
  const extract = tar.extract();
  let found: string | undefined;
  let entries = 0;
  const reading = (async () => {
    for await (const entry of extract) {
      const header = entry.header;
      if (++entries > MAX_CHART_ARCHIVE_ENTRIES)
        throw new OciError('INVALID_CONTENT', `${what}: more than ${MAX_CHART_ARCHIVE_ENTRIES} entries`);
      const parts = header.name.replace(/^(\.\/)+/, '').split('/');
      if (parts.length === 2 && parts[1] === 'Chart.yaml' && found === undefined) {
        if (header.type !== 'file')
          throw new OciError('INVALID_CONTENT', `${what}: "${printable(header.name)}" is not a regular file`);
        if ((header.size ?? 0) > MAX_CHART_YAML_BYTES)
          throw new SizeExceededError(`${what}: ${printable(header.name)}`, MAX_CHART_YAML_BYTES);
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        found = Buffer.concat(chunks).toString('utf8');
        extract.destroy(); // nothing after Chart.yaml is needed
        return;
      }
      entry.resume();
    }
  })();
  const feeding = pipeline(
    createReadStream(file),
    createGunzip(),
    limitBytes(MAX_CHART_ARCHIVE_BYTES, `${what}: the decompressed archive`),
    extract as unknown as NodeJS.WritableStream,
    { signal },
  );
  try {
    await reading;
  } catch (err) {
    feeding.catch(() => undefined);
    throw archiveError(err, what);
  }
  await feeding.catch((err: unknown) => {
    if (found === undefined) throw archiveError(err, what);
  });
  if (found === undefined)
    throw new OciError(
      'INVALID_CONTENT',
      `${what}: no <chart>/Chart.yaml in it (is it a chart packaged by helm package?)`,
    );
  return found;
}

function archiveError(err: unknown, what: string): unknown {
  if (err instanceof OciError || (err as Error)?.name === 'AbortError') return err;
  const detail = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
  return new OciError('INVALID_CONTENT', `${what} is not a gzip-compressed tar (${printable(String(detail))})`, {
    cause: err,
  });
}
