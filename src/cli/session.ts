// Everything a CLI run shares: registry settings from flags and the registry config file, one client per
// registry (so connections and tokens are reused), and the opening of references as Targets.
import { readFile } from 'node:fs/promises';
import { isFinisher, type Finisher } from '../core/content';
import { OciError, type Reference } from '../core/oci';
import { openTarget, type OpenedTarget } from '../core/open';
import {
  Connections,
  type RegistryClient,
  type HttpLogger,
  DEFAULT_LIMITS,
  type RegistryLimits,
  type RegistryConfig,
  proxyFromEnvironment,
} from '../core/registry';
import { UsageError, type OptionSpec, type ParsedArgs } from './args';

const MiB = 1024 * 1024;

export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'plain-http', type: 'boolean', description: 'talk plain HTTP to every registry named on this command line' },
  {
    name: 'plain-http-registry',
    type: 'strings',
    valueName: 'host',
    description: 'talk plain HTTP to this registry only (repeatable; e.g. the destination of a copy)',
  },
  { name: 'insecure', type: 'boolean', description: 'do not verify TLS certificates of any registry named (unsafe)' },
  {
    name: 'insecure-registry',
    type: 'strings',
    valueName: 'host',
    description: 'do not verify the TLS certificate of this registry only (repeatable; unsafe)',
  },
  {
    name: 'ca-file',
    type: 'string',
    valueName: 'file',
    description: 'PEM file with CA certificates to trust for the registries named',
  },
  {
    name: 'registry-config',
    type: 'string',
    valueName: 'file',
    description: 'JSON file: {"registries":[{"host","plainHttp","caFile","skipTlsVerify","allowCredentialsOverHttp"}]}',
  },
  { name: 'concurrency', type: 'number', description: 'parallel transfers (default 4)' },
  {
    name: 'max-pages',
    type: 'number',
    description: `stop a listing (tags, repos, referrers) after this many pages (default ${DEFAULT_LIMITS.maxPages})`,
  },
  {
    name: 'max-items',
    type: 'number',
    description: `stop a listing after this many entries (default ${DEFAULT_LIMITS.maxItems})`,
  },
  {
    name: 'max-listing-mib',
    type: 'number',
    valueName: 'MiB',
    description: `stop a listing after this many MiB of answers (default ${DEFAULT_LIMITS.maxListingBytes / MiB})`,
  },
  {
    name: 'max-response-mib',
    type: 'number',
    valueName: 'MiB',
    description: `refuse a single JSON answer larger than this (default ${DEFAULT_LIMITS.maxResponseBytes / MiB}; manifests: 4 MiB)`,
  },
  {
    name: 'request-timeout',
    type: 'number',
    valueName: 'seconds',
    description: `overall deadline of one request other than a blob transfer (default ${DEFAULT_LIMITS.requestTimeoutMs / 1000})`,
  },
  { name: 'verbose', short: 'v', type: 'boolean', description: 'log every HTTP request to stderr (secrets redacted)' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show help for this command' },
];

export class Session {
  private connections: Promise<Connections> | undefined;
  /** Stores whose writes wait for `finish` (layout archives), finished once the command succeeded. */
  private readonly finishers: Finisher[] = [];

  constructor(
    private readonly args: ParsedArgs,
    private readonly logger?: HttpLogger,
    private readonly credentialEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  get concurrency(): number | undefined {
    const n = this.args.options['concurrency'] as number | undefined;
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 64))
      throw new UsageError(`--concurrency must be a whole number from 1 to 64, not ${n}`);
    return n;
  }

  /** Opens a reference as a Target; `create` makes a missing layout. */
  async open(input: string | Reference, options: { create?: boolean } = {}): Promise<OpenedTarget> {
    const opened = await openTarget(input, await this.pool(), options);
    if (isFinisher(opened.target)) this.finishers.push(opened.target);
    return opened;
  }

  /**
   * Makes the command's writes durable where a store holds them back (a layout archive is rewritten here). Called
   * after the command succeeded only: after a failure the staged writes stay for a rerun to reuse.
   */
  async finish(signal?: AbortSignal): Promise<void> {
    for (const store of this.finishers) await store.finish({ signal });
  }

  /** Folders holding writes of this command that were never finished (a failed run leaves them for a rerun). */
  staged(): string[] {
    return this.finishers.map((store) => store.stagedIn()).filter((folder): folder is string => folder !== undefined);
  }

  /** Like open, but the reference must name a tag or digest. */
  async openManifest(
    input: string,
    options: { create?: boolean } = {},
  ): Promise<OpenedTarget & { tagOrDigest: string }> {
    const opened = await this.open(input, options);
    if (!opened.tagOrDigest) throw new UsageError(`"${input}" names no tag or digest (add :tag or @sha256:…)`);
    return opened as OpenedTarget & { tagOrDigest: string };
  }

  async client(host: string): Promise<RegistryClient> {
    return (await this.pool()).client(host);
  }

  /** One client per registry, built from the flags and the config file (read once, when the first reference opens). */
  private pool(): Promise<Connections> {
    this.connections ??= this.loadConfigFile().then(
      (fileConfigs) =>
        new Connections((host) => ({ registry: this.registryConfig(host, fileConfigs), limits: this.limits() }), {
          logger: this.logger,
          credentials: { env: this.credentialEnv },
          proxy: proxyFromEnvironment(this.credentialEnv),
        }),
    );
    return this.connections;
  }

  /** The bounds given on the command line (the engine's defaults for the rest; see limits.ts). */
  private limits(): Partial<RegistryLimits> {
    const { options } = this.args;
    const positive = (name: string, scale: number): number | undefined => {
      const value = options[name] as number | undefined;
      if (value === undefined) return undefined;
      if (!Number.isFinite(value) || value <= 0)
        throw new UsageError(`--${name} must be a positive number, not ${value}`);
      return value * scale;
    };
    return definedOnly({
      maxPages: positive('max-pages', 1),
      maxItems: positive('max-items', 1),
      maxListingBytes: positive('max-listing-mib', MiB),
      maxResponseBytes: positive('max-response-mib', MiB),
      requestTimeoutMs: positive('request-timeout', 1000),
    });
  }

  /** Always a config: the CLI reaches every registry over TLS unless a flag or the config file says otherwise. */
  private registryConfig(host: string, fileConfigs: RegistryConfig[]): RegistryConfig {
    const fromFile = fileConfigs.find((c) => c.host === host);
    const { options } = this.args;
    // A per-host flag wins for its host; the plain flags apply to every registry (fine when there is one).
    return {
      ...fromFile,
      host,
      plainHttp: namesHost(options['plain-http-registry'], host)
        ? true
        : ((options['plain-http'] as boolean | undefined) ?? fromFile?.plainHttp),
      skipTlsVerify: namesHost(options['insecure-registry'], host)
        ? true
        : ((options['insecure'] as boolean | undefined) ?? fromFile?.skipTlsVerify),
      caFile: (options['ca-file'] as string | undefined) ?? fromFile?.caFile,
    };
  }

  private async loadConfigFile(): Promise<RegistryConfig[]> {
    const file = this.args.options['registry-config'] as string | undefined;
    if (!file) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new OciError('USAGE', `--registry-config ${file}: ${(err as Error).message}`, { cause: err });
    }
    const registries = (parsed as { registries?: unknown }).registries;
    if (!Array.isArray(registries) || registries.some((r) => typeof (r as RegistryConfig)?.host !== 'string')) {
      throw new OciError('USAGE', `--registry-config ${file}: expected {"registries": [{"host": "…"}, …]}`);
    }
    return registries as RegistryConfig[];
  }

  async close(): Promise<void> {
    await (await this.connections?.catch(() => undefined))?.clear();
  }
}

/** Whether a list of hosts given on the command line names `host` (case-insensitively, as hosts are). */
function namesHost(list: unknown, host: string): boolean {
  return (
    Array.isArray(list) && list.some((h) => typeof h === 'string' && h.trim().toLowerCase() === host.toLowerCase())
  );
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
