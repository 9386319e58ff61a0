// Everything a CLI run shares: registry settings from flags and the --hosts-config file, credentials from -u/-p
// and the --registry-config auth files, one client per
// registry (so connections and tokens are reused), and the opening of references as Targets.
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { isFinisher, type Finisher, type FinishOptions } from '../core/content';
import { ARCHIVE_PREFIX, LAYOUT_PREFIX, isTag, parseReference, type Reference } from '../core/oci';
import type { LockHolder } from '../core/layout';
import { openTarget, type OpenedTarget } from '../core/open';
import {
  Connections,
  type RegistryClient,
  type SharedClientOptions,
  type RegistryLimits,
  type RegistryConfig,
  type Credentials,
  proxyFromEnvironment,
  LoopbackTransports,
  parseCustomHeaders,
  parseResolveOverride,
  type NamespaceApiBases,
  type ResolveOverride,
} from '../core/registry';
import { parseTypedReference, UsageError, type ParsedArgs } from './args';
import { checkAuthFiles } from './authFiles';
import { CreatedLayouts } from './createdLayouts';
import { asSoleArtifact } from './soleArtifact';
import { unreadable } from './fileArgs';
import { readTlsFiles } from './tlsFiles';
import { hasSideFlags, sidedOption, type Side, type SidedOption } from './sideOptions';

const MiB = 1024 * 1024;

/** What tests may change in the engine a command line runs on. */
export interface CliEngineOptions {
  /** Where the Docker Hub and GitHub web APIs are (`stowage repos docker.io/<namespace>`). */
  namespaceApiBases?: Partial<NamespaceApiBases>;
  /** How long a TLS file given as a named pipe may keep the start waiting (default 30 s; tlsFiles.ts). */
  pipeDeadlineMs?: number;
}

/** A reference read as a layout when `asLayout` (ORAS's --oci-layout): `oci:` in front, unless already there. */
export function layoutInput(input: string, asLayout: boolean): string {
  if (!asLayout || input.startsWith(LAYOUT_PREFIX) || input.startsWith(ARCHIVE_PREFIX)) return input;
  // As ORAS reads `--oci-layout layout.tar:v1`: a path ending in .tar (before its tag or digest) is an archive.
  return `${TAR_PATH.test(input) ? ARCHIVE_PREFIX : LAYOUT_PREFIX}${input}`;
}

/**
 * With ORAS's --oci-layout-path DIR, the reference typed (`v1`, `v1,v2`, `sha256:…` or `@sha256:…`) names a manifest
 * in that layout: the layout reference it stands for. Without the flag, the reference as typed.
 */
export function layoutPathInput(args: ParsedArgs, given: string): string {
  const dir = layoutPathOption(args);
  if (dir === undefined) return given;
  const prefix = /\.tar$/.test(dir) ? ARCHIVE_PREFIX : LAYOUT_PREFIX;
  const digest = given.replace(/^@/, '');
  // A digest's algorithm is sha256 or sha512: `example.com:test` (a ref.name ORAS writes) is no digest.
  if (/^sha(?:256|512):/.test(digest)) {
    // "oci:a:b@sha256:…" reads as tag b of folder a: a last segment with ":" or "@" keeps its name behind a "/".
    if (!/[:@][^/\\]*$/.test(dir)) return `${prefix}${dir}@${digest}`;
    if (prefix === ARCHIVE_PREFIX)
      throw new UsageError(
        `--oci-layout-path ${dir}: an archive whose name holds ":" or "@" cannot be named with a digest; rename it, or name the artifact by its tag`,
      );
    return `${prefix}${dir}/@${digest}`;
  }
  if (given.split(',').every(isTag)) return `${prefix}${dir}:${given}`;
  throw new UsageError(
    `with --oci-layout-path the reference is a tag or digest in ${dir}, not "${given}" (Stowage names a layout's manifests by tag: a ref.name such as example.com/app:v1 is found by its tag, v1)`,
  );
}

/**
 * With --oci-layout-path DIR and nothing named in it (`blob push` of a blob whose digest the file gives): the layout
 * reference of DIR itself. Undefined without the flag.
 */
export function layoutPathStore(args: ParsedArgs): string | undefined {
  const dir = layoutPathOption(args);
  if (dir === undefined) return undefined;
  if (/\.tar$/.test(dir)) return `${ARCHIVE_PREFIX}${dir}`;
  // "oci:a:b" reads as tag b of folder a: a last segment with ":" or "@" keeps its name behind a "/".
  return `${LAYOUT_PREFIX}${dir}${/[:@][^/\\]*$/.test(dir) ? '/' : ''}`;
}

function layoutPathOption(args: ParsedArgs): string | undefined {
  const dir = args.options['oci-layout-path'] as string | undefined;
  if (dir === undefined) return undefined;
  if (args.options['oci-layout'])
    throw new UsageError('--oci-layout-path names the layout itself: give it without --oci-layout');
  if (dir === '') throw new UsageError('--oci-layout-path is empty: give the layout folder (or .tar file)');
  return dir;
}

const TAR_PATH = /\.tar(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)?$/;

export class Session {
  private connections: Promise<Connections> | undefined;
  /** -u/-p (or --password-stdin) for every registry named on the command line, filled as references open. */
  private readonly explicit: Record<string, Credentials> = {};
  /** How each loopback registry no flag or file configures is spoken to (one TLS hello each). */
  private readonly loopback = new LoopbackTransports();
  private hostsRead: Promise<RegistryConfig[]> | undefined;
  /** Stores whose writes wait for `finish` (layout archives), finished once the command succeeded. */
  private readonly finishers: (Finisher & { location: string })[] = [];

  constructor(
    private readonly args: ParsedArgs,
    /** The HTTP log (-v), where registry warnings go, and who hears of a wait for another archive writer. */
    private readonly hooks: Pick<SharedClientOptions, 'logger' | 'onWarning'> & {
      onLockWait?: (location: string, holder: LockHolder | undefined) => void;
    } = {},
    private readonly credentialEnv: NodeJS.ProcessEnv = process.env,
    /** Where --password-stdin reads from. */
    private readonly readStdin: () => Promise<string> = () => Promise.resolve(''),
    /** Engine options only tests set (never flags or settings). */
    readonly engine: CliEngineOptions = {},
  ) {
    const lines = (name: string) => (args.options[name] as string[] | undefined) ?? [];
    for (const side of [undefined, 'from', 'to'] as const) {
      const name = side ? `${side}-header` : 'header';
      const headers = lines(name);
      if (headers.length)
        this.headers.set(
          side,
          asUsageError(() => parseCustomHeaders(headers), side ? `--${name}: ` : '-H: '),
        );
    }
    // A certificate without its key (or a key alone) would fail every TLS handshake without saying why.
    for (const prefix of ['', 'from-', 'to-'])
      if ((args.options[`${prefix}cert-file`] === undefined) !== (args.options[`${prefix}key-file`] === undefined))
        throw new UsageError(`--${prefix}cert-file and --${prefix}key-file go together: give both, or neither`);
    // Entries name their host:port, so both sides' go in one list.
    this.resolve = ['resolve', 'from-resolve', 'to-resolve']
      .flatMap(lines)
      .map((line) => asUsageError(() => parseResolveOverride(line)));
  }

  /** --resolve host:port:address[:port] (curl's and ORAS's flag), checked before anything is opened. */
  private readonly resolve: ResolveOverride[];

  /** -H "Name: value" for every registry named (ORAS's flag), and --from-header/--to-header, checked up front. */
  private readonly headers = new Map<Side | undefined, Record<string, string>>();

  /** The side of a copy each registry is on, when the command has --from-/--to- flags (see sideOptions.ts). */
  private readonly sides = new Map<string, Side>();

  /** Records `host` as one side of a copy; a registry on both sides cannot take per-side flags. */
  private takeSide(host: string, side: Side): void {
    const other = this.sides.get(host);
    if (other && other !== side && hasSideFlags(this.args))
      throw new UsageError(
        `${host} is both the source and the destination: --from-… and --to-… flags cannot tell them apart (use the plain flags)`,
      );
    this.sides.set(host, side);
  }

  private option(host: string, name: SidedOption): unknown {
    return sidedOption(this.args, name, this.sides.get(host));
  }

  /** The docker-style auth files of --registry-config, in order (empty: docker's own config and podman's). */
  get authFiles(): string[] {
    return (this.args.options['registry-config'] as string[] | undefined) ?? [];
  }

  /**
   * -u with -p or --password-stdin (for a side of a copy, its --from-/--to-username and -password first); a
   * password without a user name is an identity token (ORAS's rule); undefined when none is given. Standard
   * input is read once.
   */
  flagCredentials(side?: Side): Promise<Credentials | undefined> {
    if (side && (['username', 'password', 'identity-token'] as const).every((n) => !this.sided(side, n)))
      return this.flagCredentials();
    const cached = this.flagCredentialsRead.get(side);
    if (cached) return cached;
    const read = (async () => {
      const { options } = this.args;
      const username = sidedOption(this.args, 'username', side) as string | undefined;
      let password = sidedOption(this.args, 'password', side) as string | undefined;
      const flag = side ? `--${side}-` : '-';
      // `-u "$REGISTRY_USER" -p "$REGISTRY_TOKEN"` with a secret the job does not have (a fork's pull request, a
      // variable of another environment) gives an empty value: said as such, not sent as no or other credentials.
      for (const [name, value] of [
        [side ? 'username' : 'u', username],
        [side ? 'password' : 'p', password],
      ] as const)
        if (value === '')
          throw new UsageError(
            `${flag}${name} is empty (an unset variable or CI secret?): give its value, or leave ${flag}${name} out`,
          );
      const identityToken = await this.identityToken(side, username !== undefined || password !== undefined);
      if (identityToken !== undefined) return { identityToken };
      if (options['password-stdin'] && this.stdinCompletes(side, username)) {
        if (password !== undefined) throw new UsageError('give either --password or --password-stdin, not both');
        password = await this.readStandardInput();
        if (!password) throw new UsageError('--password-stdin: nothing was given on standard input');
      }
      if (password === undefined && username === undefined) return undefined;
      // A password without a user name is an identity (refresh) token, as ORAS and docker read it.
      if (!username) return { identityToken: password };
      if (password === undefined)
        throw new UsageError(
          `${flag}${side ? 'username' : 'u'} ${username} needs a password: ${flag}${side ? 'password' : 'p'} or --password-stdin`,
        );
      return { username, password };
    })();
    this.flagCredentialsRead.set(side, read);
    return read;
  }
  private readonly flagCredentialsRead = new Map<Side | undefined, Promise<Credentials | undefined>>();

  /** Whether a side's own form of a flag (--from-username…) is given. */
  private sided(side: Side, name: SidedOption): boolean {
    return this.args.options[`${side}-${name}`] !== undefined;
  }

  /**
   * ORAS's --identity-token / --identity-token-stdin (a side's --from-/--to-identity-token first): a refresh token
   * (ACR's, or another OAuth2 registry's) in place of a user and password. `withUser`: -u/-p apply here too.
   */
  private async identityToken(side: Side | undefined, withUser: boolean): Promise<string | undefined> {
    const { options } = this.args;
    const own = side && this.sided(side, 'identity-token');
    const name = own ? `${side}-identity-token` : 'identity-token';
    const token = options[name] as string | undefined;
    const fromStdin = !own && !!options['identity-token-stdin'];
    if (token === undefined && !fromStdin) return undefined;
    // A side's own user (or token) wins over the plain flags, which are then the other side's.
    if (!own && side && (this.sided(side, 'username') || this.sided(side, 'password'))) return undefined;
    const userHere = own ? this.sided(side, 'username') || this.sided(side, 'password') : withUser;
    if (userHere || (!own && options['password-stdin']))
      throw new UsageError(`an identity token replaces a user and password: give --${name} or -u/-p, not both`);
    if (token !== undefined && fromStdin)
      throw new UsageError('give either --identity-token or --identity-token-stdin, not both');
    if (token === '')
      throw new UsageError(
        `--${name} is empty (an unset variable or CI secret?): give its value, or leave --${name} out`,
      );
    const value = token ?? (await this.readStandardInput());
    if (!value) throw new UsageError('--identity-token-stdin: nothing was given on standard input');
    return value;
  }
  private stdinRead: Promise<string> | undefined;

  /** Standard input whole (without its final line break), read once: a password or token piped in. */
  readStandardInput(): Promise<string> {
    return (this.stdinRead ??= this.readStdin());
  }

  /**
   * Whose password --password-stdin is: a side's user given without a password (--to-username U
   * --password-stdin), else -u's. Read once, it serves every user it completes.
   */
  private stdinCompletes(side: Side | undefined, username: string | undefined): boolean {
    const { options } = this.args;
    if (side) return options[`${side}-password`] === undefined;
    const sideUser = (['from', 'to'] as const).some(
      (s) => options[`${s}-username`] !== undefined && options[`${s}-password`] === undefined,
    );
    return username !== undefined || !sideUser;
  }

  /** Credentials the command asked for itself (login's prompt), in place of the flags'. */
  useCredentials(credentials: Credentials): void {
    this.flagCredentialsRead.set(undefined, Promise.resolve(credentials));
  }

  get concurrency(): number | undefined {
    const n = this.args.options['concurrency'] as number | undefined;
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 64))
      throw new UsageError(`--concurrency must be a whole number from 1 to 64, not ${n}`);
    return n;
  }

  /**
   * Opens a reference as a Target; `create` makes a missing layout. `layout` reads a text reference as a layout
   * folder (default: the command's --oci-layout).
   */
  async open(
    input: string | Reference,
    options: { create?: boolean; layout?: boolean; side?: Side } = {},
  ): Promise<OpenedTarget> {
    const reference =
      typeof input === 'string'
        ? parseTypedReference(() =>
            parseReference(layoutInput(input, options.layout ?? !!this.args.options['oci-layout'])),
          )
        : input;
    if (reference.kind === 'registry' && options.side) this.takeSide(reference.host, options.side);
    if (reference.kind === 'registry') {
      await this.prepareHost(reference.host);
      this.repositories.push({ host: reference.host, repository: reference.repository });
    }
    if (reference.kind === 'layout' && !reference.archive && options.create)
      await this.createdLayouts.noteIfNew(reference.path);
    const onLockWait = this.hooks.onLockWait;
    const opened = await openTarget(reference, await this.pool(), {
      ...options,
      ...(onLockWait &&
        reference.kind === 'layout' && {
          onLockWait: (holder: LockHolder | undefined) =>
            onLockWait(`${ARCHIVE_PREFIX}${path.resolve(reference.path)}`, holder),
        }),
    });
    if (reference.kind === 'layout' && !reference.archive && options.create)
      this.createdLayouts.noteWriter(reference.path, opened.target);
    if (isFinisher(opened.target)) this.finishers.push(opened.target);
    return opened;
  }

  /**
   * Makes the command's writes durable where a store holds them back (a layout archive is rewritten here). Called
   * after the command succeeded only: after a failure the staged writes stay for a rerun to reuse.
   */
  async finish(signal?: AbortSignal, progress?: (location: string) => FinishOptions['onProgress']): Promise<void> {
    for (const store of this.finishers) await store.finish({ signal, onProgress: progress?.(store.location) });
  }

  /** Layout folders this command made (removed again when it fails before writing into them). */
  readonly createdLayouts = new CreatedLayouts();

  /** The registry repositories this command opened (one not found is explained with similar names there). */
  readonly repositories: { host: string; repository: string }[] = [];

  /** The tags this command named (a "not found" is then explained with the tags that are there). */
  readonly tagged: { target: OpenedTarget['target']; tag: string }[] = [];

  /** Folders holding writes of this command that were never finished (a failed run leaves them for a rerun). */
  staged(): string[] {
    return this.finishers.map((store) => store.stagedIn()).filter((folder): folder is string => folder !== undefined);
  }

  /**
   * Like open, but the reference must name a tag or digest — except a layout or archive holding one artifact, which
   * stands for it as in skopeo (`explicit` refuses that too: deleting wants the artifact named).
   */
  async openManifest(
    input: string,
    options: { create?: boolean; layout?: boolean; side?: Side; explicit?: boolean } = {},
  ): Promise<OpenedTarget & { tagOrDigest: string }> {
    const given = await this.open(input, options);
    const opened = options.explicit ? given : await asSoleArtifact(input, given);
    if (!opened.tagOrDigest) throw new UsageError(`"${input}" names no tag or digest (add :tag or @sha256:…)`);
    if (opened.reference.tag && !opened.reference.digest)
      this.tagged.push({ target: opened.target, tag: opened.reference.tag });
    return opened as OpenedTarget & { tagOrDigest: string };
  }

  async client(host: string): Promise<RegistryClient> {
    await this.prepareHost(host);
    return (await this.pool()).client(host);
  }

  /** What a host needs before its client is built: the flags' credentials, and how a loopback host is spoken to. */
  private async prepareHost(host: string): Promise<void> {
    const credentials = await this.flagCredentials(this.sides.get(host));
    if (credentials) this.explicit[host] = credentials;
    const { options } = this.args;
    // Only a statement about the protocol settles it: --insecure and --ca-file are about TLS if TLS it is.
    const configured =
      this.option(host, 'plain-http') !== undefined ||
      namesHost(options['plain-http-registry'], host) ||
      (await this.hostsFile()).some((c) => c.host === host && c.plainHttp !== undefined);
    if (!configured) await this.loopback.learn(host);
  }

  /** One client per registry, built from the flags and the config file (read once, when the first reference opens). */
  private pool(): Promise<Connections> {
    this.connections ??= Promise.all([this.hostsFile(), checkAuthFiles(this.authFiles)]).then(([fileConfigs]) => {
      return new Connections((host) => ({ registry: this.registryConfig(host, fileConfigs), limits: this.limits() }), {
        ...this.hooks,
        credentials: {
          env: this.credentialEnv,
          explicit: this.explicit,
          ...(this.authFiles.length ? { authFiles: this.authFiles } : {}),
        },
        proxy: proxyFromEnvironment(this.credentialEnv),
        ...(this.trustFiles?.size ? { trustFiles: this.trustFiles } : {}),
        ...(this.resolve.length ? { resolve: this.resolve } : {}),
      });
    });
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
    const headers = this.headers.get(this.sides.get(host)) ?? this.headers.get(undefined);
    // A per-host flag wins for its host (so does a side's, in a copy); the plain flags apply to every registry.
    return {
      ...fromFile,
      host,
      plainHttp: namesHost(options['plain-http-registry'], host)
        ? true
        : ((this.option(host, 'plain-http') as boolean | undefined) ??
          fromFile?.plainHttp ??
          this.loopback.plainHttp(host)),
      skipTlsVerify: namesHost(options['insecure-registry'], host)
        ? true
        : ((this.option(host, 'insecure') as boolean | undefined) ?? fromFile?.skipTlsVerify),
      caFile: (this.option(host, 'ca-file') as string | undefined) ?? fromFile?.caFile,
      ...this.clientCertificate(host),
      ...(headers ? { headers } : {}),
    };
  }

  /** --cert-file with --key-file (a side's pair first), else the --hosts-config entry's: one pair, never mixed. */
  private clientCertificate(host: string): Pick<RegistryConfig, 'certFile' | 'keyFile'> {
    const certFile = this.option(host, 'cert-file') as string | undefined;
    return certFile ? { certFile, keyFile: this.option(host, 'key-file') as string } : {};
  }

  /**
   * The TLS files the flags and --hosts-config name, each read once and checked before any work starts; the
   * connections use the text read (tlsFiles.ts).
   */
  async checkTlsFiles(): Promise<void> {
    this.trustFiles = await readTlsFiles(this.args, await this.hostsFile(), this.engine.pipeDeadlineMs);
  }
  private trustFiles: ReadonlyMap<string, string> | undefined;

  /** The --hosts-config file's entries (read once). */
  private hostsFile(): Promise<RegistryConfig[]> {
    this.hostsRead ??= readHostsFile(this.args.options['hosts-config'] as string | undefined);
    return this.hostsRead;
  }

  async close(): Promise<void> {
    // After a failure the stores' staged writes stay for a rerun, but their writer locks go now.
    for (const store of this.finishers) await store.release().catch(() => undefined);
    await (await this.connections?.catch(() => undefined))?.clear();
  }
}

async function readHostsFile(file: string | undefined): Promise<RegistryConfig[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new UsageError(`--hosts-config ${file}: ${unreadable(err)}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--hosts-config ${file}: not JSON (${(err as Error).message})`);
  }
  const registries = (parsed as { registries?: unknown }).registries;
  if (!Array.isArray(registries) || registries.some((r) => typeof (r as RegistryConfig)?.host !== 'string')) {
    throw new UsageError(`--hosts-config ${file}: expected {"registries": [{"host": "…"}, …]}`);
  }
  return registries as RegistryConfig[];
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

/** What the engine refuses in a flag's value, as a usage error (exit 2, the usage line). */
function asUsageError<T>(parse: () => T, prefix = ''): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError(`${prefix}${(err as Error).message}`);
  }
}
