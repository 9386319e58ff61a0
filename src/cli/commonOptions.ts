// The flags every command that reaches a registry or a layout takes (transport, credentials, limits, output), and
// ORAS's --oci-layout; their values are read by the session (session.ts).
import { DEFAULT_LIMITS } from '../core/registry';
import type { OptionSpec } from './args';

const MiB = 1024 * 1024;

/** -h/--help: every command takes it (a command's own option list must include it). */
export const HELP_OPTION: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  description: 'show help for this command',
};

/** --format text|json: text for people (the default), json for scripts; `description` says what each prints. */
export function formatOption(description: string): OptionSpec {
  return { name: 'format', type: 'string', choices: ['text', 'json'], description };
}

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
    name: 'cert-file',
    type: 'string',
    valueName: 'file',
    description:
      'PEM client certificate to present to the registries named, for mutual TLS (with --key-file; without it, docker’s certs.d/<host>/client.cert is used)',
  },
  {
    name: 'key-file',
    type: 'string',
    valueName: 'file',
    description: 'PEM private key of the --cert-file client certificate',
  },
  {
    name: 'registry-config',
    type: 'strings',
    valueName: 'file',
    description:
      "docker-style auth file (auths, credHelpers, credsStore) to read credentials from instead of docker's and podman's (repeatable, read in order; login and logout write to the first), as in ORAS",
  },
  {
    name: 'hosts-config',
    type: 'string',
    valueName: 'file',
    description:
      'per-registry connection settings, JSON: {"registries":[{"host","plainHttp","caFile","skipTlsVerify","allowCredentialsOverHttp"}]} (the editor\'s stowage.registries)',
  },
  {
    name: 'resolve',
    type: 'strings',
    valueName: 'host:port:address[:port]',
    description:
      'connect to this address for host:port instead of what DNS says (repeatable; TLS is still checked against the host name; not through a proxy), as curl and ORAS',
  },
  {
    name: 'header',
    short: 'H',
    type: 'strings',
    valueName: 'Name: value',
    description:
      'add this header to every request to the registries named (repeatable; e.g. for an API gateway; not to a token service or blob store on another host; held to the rule for secrets)',
  },
  { name: 'username', short: 'u', type: 'string', valueName: 'user', description: 'registry user name' },
  {
    name: 'password',
    short: 'p',
    type: 'string',
    valueName: 'secret',
    description: 'registry password or token (insecure: other users can see it; prefer --password-stdin)',
  },
  { name: 'password-stdin', type: 'boolean', description: 'read the registry password or token from standard input' },
  {
    name: 'identity-token',
    type: 'string',
    valueName: 'token',
    description:
      'an identity (refresh) token instead of a user and password, as ORAS (insecure: prefer --identity-token-stdin)',
  },
  { name: 'identity-token-stdin', type: 'boolean', description: 'read the identity token from standard input' },
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
  { name: 'debug', short: 'd', type: 'boolean', description: 'same as --verbose (ORAS’s flag)' },
  {
    name: 'no-tty',
    type: 'boolean',
    description: 'draw no progress on the terminal (ORAS’s flag; without a terminal none is drawn anyway)',
  },
  HELP_OPTION,
];

/** ORAS's `--oci-layout`: the reference is an OCI image layout folder (Stowage also reads `oci:<path>`). */
export const OCI_LAYOUT_OPTION: OptionSpec = {
  name: 'oci-layout',
  type: 'boolean',
  description: 'the reference is an OCI image layout folder, <path>[:tag|@digest] (same as writing oci:<path>)',
};

/**
 * ORAS's --oci-layout-path DIR: the layout folder (or .tar archive) given apart, so the reference typed is the tag
 * or digest alone (push, pull, blob).
 */
export const OCI_LAYOUT_PATH_OPTION: OptionSpec = {
  name: 'oci-layout-path',
  type: 'string',
  valueName: 'dir',
  description:
    'the reference is a tag (push: tags a,b) or digest in this OCI image layout folder or .tar (same as oci:<dir>:<tag>); blob: its digest, which blob push may leave out',
};
