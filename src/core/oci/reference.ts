// References: `[host[:port]/]repo[:tag][@digest]` for registries, `oci:<path>[:tag|@digest]` for image layout folders
// and `oci-archive:<file.tar>[:tag|@digest]` for layouts in a tar file (skopeo's transport names; same path rules).
//
// Registry rules (Docker's, so references mean what users expect):
// - the first path component is a host only when it contains "." or ":", is "localhost" or is a bracketed
//   IPv6 address; otherwise the host is docker.io, and a one-component docker.io repository gets "library/";
// - "index.docker.io" is the same registry as "docker.io" and is written as "docker.io";
// - the repository length limit (255) applies to the repository path after normalisation, without the host.
//
// Layout rules (skopeo's `oci:` transport, made unambiguous):
// - "@" starts the digest only when what follows has the shape "<algorithm>:" (so "@" may appear in a path);
// - the text after the last ":" is the tag unless it contains "/" or "\" (then the ":" belongs to the path);
//   a Windows drive prefix such as "C:\" or "C:/" is never split;
// - therefore a path whose last segment contains ":" must be followed by an explicit tag or digest
//   (`oci:/data/a:b:latest` is path "/data/a:b", tag "latest"; `oci:/data/a:b` is path "/data/a", tag "b").
import { digestProblem } from './digest';
import { InvalidReferenceError } from './errors';

export interface RegistryReference {
  kind: 'registry';
  /** Host with optional port as written ("docker.io" for Docker Hub, never "index.docker.io"). */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface LayoutReference {
  kind: 'layout';
  path: string;
  /** The layout is a tar file (`oci-archive:`), not a folder. */
  archive?: true;
  tag?: string;
  digest?: string;
}

export type Reference = RegistryReference | LayoutReference;

export const DOCKER_HUB = 'docker.io';
export const LAYOUT_PREFIX = 'oci:';
export const ARCHIVE_PREFIX = 'oci-archive:';
export const MAX_REPOSITORY_LENGTH = 255;
export const MAX_TAG_LENGTH = 128;

const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::([0-9]+))?$`);
const DIGEST_SHAPE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:/;
const DRIVE_PREFIX = /^[A-Za-z]:[\\/]/;

/** Why `tag` is not a valid tag, or undefined when it is one. */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'the tag is empty';
  if (tag.length > MAX_TAG_LENGTH)
    return `the tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed`;
  if (!/^\w/.test(tag)) return `the tag "${tag}" must start with a letter, digit or "_"`;
  if (!TAG.test(tag)) return `the tag "${tag}" may contain only letters, digits, "_", "." and "-"`;
  return undefined;
}

export function isTag(tag: string): boolean {
  return tagProblem(tag) === undefined;
}

/** Why `repository` is not a valid repository path, or undefined when it is one. */
export function repositoryProblem(repository: string): string | undefined {
  if (repository === '') return 'the repository name is empty';
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    return `the repository "${repository.slice(0, 40)}…" is ${repository.length} characters long; at most ${MAX_REPOSITORY_LENGTH} are allowed`;
  }
  for (const component of repository.split('/')) {
    if (component === '')
      return `the repository "${repository}" has an empty path component (leading, trailing or doubled "/")`;
    if (/[A-Z]/.test(component))
      return `the repository "${repository}" must be lowercase ("${component}" has uppercase letters)`;
    if (!PATH_COMPONENT.test(component)) {
      return `the repository path component "${component}" is invalid: use lowercase letters and digits, separated by ".", "_", "__" or "-"`;
    }
  }
  return undefined;
}

/** `host` without what an "@" puts before it ("alice:pw@host", a sign-in): what a message may echo of it. */
export function hostWithoutSignIn(host: string): string {
  return host.slice(host.lastIndexOf('@') + 1);
}

/** Why `host` is not a valid registry host (with optional port), or undefined when it is one. */
export function hostProblem(host: string): string | undefined {
  if (host.includes('@'))
    return `the registry host "${hostWithoutSignIn(host)}" is written with a user name or password before "@" (left out here): log in to the registry instead`;
  const match = HOST.exec(host);
  if (!match)
    return `the registry host "${host}" is not a host name, IPv4 address or [IPv6] address with an optional :port`;
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return `the port ${port} of "${host}" is outside 1-65535`;
  return undefined;
}

/** Parses a registry or layout reference; throws InvalidReferenceError saying what is wrong. */
export function parseReference(input: string): Reference {
  if (input.startsWith(LAYOUT_PREFIX) || input.startsWith(ARCHIVE_PREFIX)) return parseLayoutReference(input);
  return parseRegistryReference(input);
}

/** A URL's scheme and "://" ("https://", "oras://"): never part of a reference, whose errors say so. */
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * A reference with a sign-in written before its host ("https://alice:pw@host/repo", a URL's user information, or
 * "alice:pw@host/repo"): the same text without it, else undefined. Only a URL's "@" before its first "/" is one
 * for sure; without a scheme (or with docker://, a reference's) the text after "@" must hold a "/", which a digest
 * ("repo@sha256:…") never does, and begin with a registry host ("app@x/y" is a digest gone wrong: see signInHidden).
 */
function withoutSignIn(input: string): string | undefined {
  const scheme = URL_SCHEME.exec(input)?.[0] ?? '';
  const rest = input.slice(scheme.length);
  const slash = rest.indexOf('/');
  // The last "@" before the host: a password may hold one too ("p@ss"), and none of it is echoed.
  const at = slash >= 0 ? rest.lastIndexOf('@', slash) : rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const url = scheme !== '' && scheme.toLowerCase() !== 'docker://';
  const afterAt = rest.slice(at + 1);
  if (url || (slash > at && looksLikeHost(afterAt.slice(0, afterAt.indexOf('/'))))) return `${scheme}${afterAt}`;
  return undefined;
}

/**
 * The input as an error may echo it: "alice:pw@x/y" is read as a bad digest ("x" is no registry host), yet what
 * stands before its "@" may still be a user name and password, and is left out ("…@x/y"). So is it when the
 * password holds a "/" (a base64 token: "alice:p/w@r.io/app") or when no repository follows ("alice:pw@r.io"):
 * whatever holds a ":" before the last "@" that is not a digest's.
 */
function signInHidden(input: string): string {
  const scheme = URL_SCHEME.exec(input)?.[0] ?? '';
  const rest = input.slice(scheme.length);
  for (let at = rest.lastIndexOf('@'); at > 0; at = rest.lastIndexOf('@', at - 1)) {
    const after = rest.slice(at + 1);
    if (!after.includes('/') && DIGEST_LIKE.test(after)) continue;
    return rest.slice(0, at).includes(':') ? `${scheme}…${rest.slice(at)}` : input;
  }
  return input;
}

/** Text after "@" that is meant as a digest, right or wrong ("sha256:…"), not a host and port ("r.io:5000"). */
const DIGEST_LIKE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:(?!\d{1,5}$)/;

/** The first component of a name is a registry host (not a repository's first part) when it reads as one. */
function looksLikeHost(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
}

/** A reference as the user wrote it, as an error may echo it: without a user name and password written into it. */
export function echoedReference(input: string): string {
  return withoutSignIn(input) ?? signInHidden(input);
}

export function parseRegistryReference(input: string): RegistryReference {
  // A user name and password written into the reference are never echoed: errors reach terminals, logs and JSON.
  const signedOut = withoutSignIn(input);
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(echoedReference(input), reason);
  };
  if (signedOut !== undefined) {
    const meant = signedOut.replace(URL_SCHEME, '').replace(/\/+$/, '');
    fail(
      `a reference holds no user name or password (left out here): log in to the registry instead, and write "${meant}"`,
    );
  }
  const text = input.startsWith('docker://') ? input.slice('docker://'.length) : input;
  if (text === '') fail('the reference is empty');
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(text)) fail('the reference contains whitespace or control characters');
  // A URL copied from a browser or a registry's web page: its host was read as "https:", which told nothing.
  const url = URL_SCHEME.exec(text);
  if (url) {
    const scheme = url[1]!;
    const rest = text.slice(url[0].length);
    const plain =
      scheme.toLowerCase() === 'http' ? '; plain HTTP is a setting of the registry, not of its references' : '';
    fail(`a reference is not a URL: write "${signInHidden(rest).replace(/\/+$/, '')}" without "${scheme}://"${plain}`);
  }

  let name = text;
  let digest: string | undefined;
  const at = text.indexOf('@');
  if (at >= 0) {
    name = text.slice(0, at);
    digest = text.slice(at + 1);
    const problem = digestProblem(digest);
    if (problem) fail(`the digest "${digest}" after "@" is invalid: ${problem}`);
    if (name === '') fail('the repository name before "@" is missing');
  }

  let host = DOCKER_HUB;
  let rest = name;
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (looksLikeHost(first)) {
      host = first;
      rest = name.slice(slash + 1);
      const problem = hostProblem(host);
      if (problem) fail(problem);
    }
  }

  let repository = rest;
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    repository = rest.slice(0, colon);
    tag = rest.slice(colon + 1);
    const problem = tagProblem(tag);
    if (problem) fail(problem);
  }

  if (host === 'index.docker.io') host = DOCKER_HUB;
  if (host === DOCKER_HUB && repository !== '' && !repository.includes('/')) repository = `library/${repository}`;
  const problem = repositoryProblem(repository);
  if (problem) fail(problem);

  const ref: RegistryReference = { kind: 'registry', host, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export function parseLayoutReference(input: string): LayoutReference {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(input, reason);
  };
  const archive = input.startsWith(ARCHIVE_PREFIX);
  if (!archive && !input.startsWith(LAYOUT_PREFIX))
    fail(`a layout reference starts with "${LAYOUT_PREFIX}" (a folder) or "${ARCHIVE_PREFIX}" (a tar file)`);
  let body = input.slice(archive ? ARCHIVE_PREFIX.length : LAYOUT_PREFIX.length);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(body)) fail('the layout reference contains control characters');

  let digest: string | undefined;
  const at = body.lastIndexOf('@');
  if (at >= 0 && DIGEST_SHAPE.test(body.slice(at + 1))) {
    digest = body.slice(at + 1);
    const problem = digestProblem(digest);
    if (problem) fail(`the digest "${digest}" after "@" is invalid: ${problem}`);
    body = body.slice(0, at);
  }

  let tag: string | undefined;
  const searchFrom = DRIVE_PREFIX.test(body) ? 2 : 0;
  const colon = body.lastIndexOf(':');
  if (colon >= searchFrom) {
    const tail = body.slice(colon + 1);
    if (!tail.includes('/') && !tail.includes('\\')) {
      const problem = tagProblem(tail);
      if (problem) {
        fail(
          `${problem} (the text after the last ":" is the tag; a path whose last segment contains ":" needs an explicit ":tag")`,
        );
      }
      tag = tail;
      body = body.slice(0, colon);
    }
  }
  if (body === '') fail('the layout path is empty');

  const ref: LayoutReference = { kind: 'layout', path: body };
  if (archive) ref.archive = true;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The canonical text of a reference (Docker Hub written in full: "docker.io/library/alpine:3"). */
export function formatReference(ref: Reference): string {
  const base =
    ref.kind === 'layout'
      ? `${ref.archive ? ARCHIVE_PREFIX : LAYOUT_PREFIX}${ref.path}`
      : `${ref.host}/${ref.repository}`;
  return `${base}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
