// The shape of Stowage's settings and their validation, free of the editor API so it is unit-tested in Node.
import { DEFAULT_LIMITS, type RegistryConfig, type RegistryLimits } from '../core/registry';

/**
 * One entry of `stowage.registries`: how to reach the registry (the engine's RegistryConfig, whose fields and
 * meanings it shares; request headers are the CLI's only) and what the Registries view shows of it.
 */
export interface RegistrySetting extends Omit<RegistryConfig, 'headers'> {
  name?: string;
  /** Repositories to show (registries without a catalog, or just the ones of interest). */
  repositories?: string[];
  /** The registry's web page for Open in Browser, with {repository}, {tag}… (see core/registry/webUrl.ts). */
  webUrl?: string;
  /** Docker Hub namespaces or GitHub owners whose repositories to list (those registries have no catalog). */
  namespaces?: string[];
  /** Which Add Registry kind created it (shapes prompts and hints only). */
  kind?: RegistryKind;
}

export type RegistryKind = 'dockerhub' | 'ghcr' | 'azure' | 'ecr' | 'quay' | 'harbor' | 'gitlab' | 'generic';
export type TagOrder = 'semver' | 'name' | 'recent';

export interface StowageSettings {
  registries: RegistrySetting[];
  layouts: string[];
  concurrency: number;
  defaultArtifactType: string;
  pullSizeCapMiB: number;
  verboseHttpLog: boolean;
  pageSize: number;
  tagOrder: TagOrder;
  /** Name tags by their kind (fetches each tag's manifest; never on Docker Hub, where a GET counts as a pull). */
  describeTags: boolean;
  /** Bounds on what a registry may make us fetch and wait for (stowage.limits.*), in the engine's units. */
  limits: RegistryLimits;
}

export const DEFAULT_SETTINGS: Readonly<StowageSettings> = Object.freeze({
  registries: [],
  layouts: [],
  concurrency: 4,
  defaultArtifactType: 'application/vnd.stowage.artifact.v1',
  pullSizeCapMiB: 1024,
  verboseHttpLog: false,
  pageSize: 100,
  tagOrder: 'semver',
  describeTags: true,
  limits: DEFAULT_LIMITS,
});

/** stowage.limits.* as written in settings (MiB and seconds, as people think of them). */
export interface LimitSettings {
  maxPages?: unknown;
  maxItems?: unknown;
  maxListingMiB?: unknown;
  maxResponseMiB?: unknown;
  requestTimeoutSeconds?: unknown;
}

const MiB = 1024 * 1024;

function normaliseLimits(raw: unknown): RegistryLimits {
  const given = (raw && typeof raw === 'object' ? raw : {}) as LimitSettings;
  const d = DEFAULT_LIMITS;
  return {
    maxPages: positiveInteger(given.maxPages, d.maxPages, Number.MAX_SAFE_INTEGER),
    maxItems: positiveInteger(given.maxItems, d.maxItems, Number.MAX_SAFE_INTEGER),
    maxListingBytes: positiveInteger(given.maxListingMiB, d.maxListingBytes / MiB, 1024 * 1024) * MiB,
    maxResponseBytes: positiveInteger(given.maxResponseMiB, d.maxResponseBytes / MiB, 1024 * 1024) * MiB,
    requestTimeoutMs: positiveInteger(given.requestTimeoutSeconds, d.requestTimeoutMs / 1000, 24 * 3600) * 1000,
  };
}

/** Settings as read from the editor, with anything malformed dropped instead of trusted. */
export function normaliseSettings(raw: Partial<Record<keyof StowageSettings, unknown>>): StowageSettings {
  return {
    registries: normaliseRegistries(raw.registries),
    layouts: Array.isArray(raw.layouts)
      ? raw.layouts.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
      : [],
    concurrency: positiveInteger(raw.concurrency, DEFAULT_SETTINGS.concurrency, 64),
    defaultArtifactType:
      typeof raw.defaultArtifactType === 'string' && raw.defaultArtifactType
        ? raw.defaultArtifactType
        : DEFAULT_SETTINGS.defaultArtifactType,
    pullSizeCapMiB: positiveInteger(raw.pullSizeCapMiB, DEFAULT_SETTINGS.pullSizeCapMiB, 1024 * 1024),
    verboseHttpLog: typeof raw.verboseHttpLog === 'boolean' ? raw.verboseHttpLog : DEFAULT_SETTINGS.verboseHttpLog,
    pageSize: positiveInteger(raw.pageSize, DEFAULT_SETTINGS.pageSize, 1000),
    tagOrder: raw.tagOrder === 'name' || raw.tagOrder === 'recent' ? raw.tagOrder : 'semver',
    describeTags: typeof raw.describeTags === 'boolean' ? raw.describeTags : DEFAULT_SETTINGS.describeTags,
    limits: normaliseLimits(raw.limits),
  };
}

function positiveInteger(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

function normaliseRegistries(value: unknown): RegistrySetting[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const out: RegistrySetting[] = [];
  for (const item of value) {
    if (!item || typeof item !== 'object') continue;
    const entry = item as Record<string, unknown>;
    const host = typeof entry.host === 'string' ? normaliseHost(entry.host) : '';
    if (!host || seen.has(host)) continue;
    seen.add(host);
    const registry: RegistrySetting = { host };
    if (typeof entry.name === 'string' && entry.name) registry.name = entry.name;
    if (entry.plainHttp === true) registry.plainHttp = true;
    if (typeof entry.caFile === 'string' && entry.caFile) registry.caFile = entry.caFile;
    if (typeof entry.certFile === 'string' && entry.certFile) registry.certFile = entry.certFile;
    if (typeof entry.keyFile === 'string' && entry.keyFile) registry.keyFile = entry.keyFile;
    if (entry.skipTlsVerify === true) registry.skipTlsVerify = true;
    if (entry.allowCredentialsOverHttp === true) registry.allowCredentialsOverHttp = true;
    if (Array.isArray(entry.repositories)) {
      registry.repositories = [
        ...new Set(entry.repositories.filter((r): r is string => typeof r === 'string' && r !== '')),
      ];
    }
    if (typeof entry.webUrl === 'string' && /^https?:\/\//i.test(entry.webUrl)) registry.webUrl = entry.webUrl;
    if (Array.isArray(entry.namespaces)) {
      const namespaces = entry.namespaces.filter((n): n is string => typeof n === 'string' && n.trim() !== '');
      if (namespaces.length) registry.namespaces = [...new Set(namespaces.map((n) => n.trim()))];
    }
    if (typeof entry.kind === 'string') registry.kind = entry.kind as RegistryKind;
    out.push(registry);
  }
  return out;
}

/** "https://Ghcr.io/" → "ghcr.io": what users paste is reduced to the host (and port) references use. */
export function normaliseHost(input: string): string {
  return input
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}
