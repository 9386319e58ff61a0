// Turning command-line words into pack inputs and annotations: `file[:media/type]`, `-a key=value`, and
// ORAS-style annotation files ({"$manifest": {...}, "<file title or path as typed>": {...}}).
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { PackInput } from '../core/files';
import { UsageError, type ParsedArgs } from './args';
import { isTag } from '../core/oci';
import { unreadable } from '../core/registry';

export { unreadable };

/**
 * `file:type` splits at the last colon only when what follows looks like a media type (so C:\x stays a path);
 * a trailing colon ends a name that holds colons itself (ORAS's `hi:txt:` is the file "hi:txt").
 */
export function parseFileArg(arg: string): PackInput {
  if (arg.length > 1 && arg.endsWith(':')) return { path: arg.slice(0, -1) };
  const colon = arg.lastIndexOf(':');
  if (colon > 0) {
    const type = arg.slice(colon + 1);
    if (/^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*$/.test(type))
      return { path: arg.slice(0, colon), mediaType: type };
  }
  if (arg === '') throw new UsageError('an empty file name was given');
  return { path: arg };
}

/**
 * For `file:text/plain; charset=utf-8` or `sbom.json:spdx`, kept whole as a path: why what follows the colon was not
 * taken as its media type (a media type has a slash, or the name before the colon is a file that is there).
 */
async function notAMediaType(arg: string): Promise<string> {
  const colon = arg.lastIndexOf(':');
  if (colon <= 0) return '';
  const type = arg.slice(colon + 1);
  const file = arg.slice(0, colon);
  if (
    !type.includes('/') &&
    !(await stat(file).then(
      () => true,
      () => false,
    ))
  )
    return '';
  return ` (if "${type}" is meant as the media type of "${file}": a media type is type/subtype, such as application/json (RFC 6838), with no parameters or spaces)`;
}

/** Fails, naming the first input that is missing, before anything is created for a push. */
export async function assertInputsExist(inputs: PackInput[]): Promise<void> {
  for (const input of inputs) {
    const missing = await stat(input.path).then(
      () => undefined,
      (err: NodeJS.ErrnoException) => err,
    );
    if (!missing) continue;
    throw new UsageError(
      `cannot pack "${input.path}": ${missing.code === 'ENOENT' ? `no such file or folder${await notAMediaType(input.path)}` : missing.message}`,
    );
  }
}

/** A file an option names (--config F): refused before anything is sent unless it is a readable file. */
export async function assertOptionFile(option: string, file: string): Promise<void> {
  const info = await stat(file).catch((err: unknown) => {
    throw new UsageError(`${option} ${file}: ${unreadable(err)}`);
  });
  if (!info.isFile()) throw new UsageError(`${option} ${file}: ${unreadable({ code: 'EISDIR' })}`);
}

/** A file an option writes (--export-manifest F): refused before anything is pushed unless it can be written there. */
export async function assertOutputFile(option: string, file: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const parent = await stat(folder).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`${option} ${file}: the folder ${folder} does not exist`);
  if ((await stat(file).catch(() => undefined))?.isDirectory())
    throw new UsageError(`${option} ${file}: ${unreadable({ code: 'EISDIR' })}`);
}

export function parseAnnotationArgs(values: string[] | undefined): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`annotation "${value}" is not key=value`);
    annotations[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return annotations;
}

export interface AnnotationFile {
  manifest: Record<string, string>;
  /** `$config`: annotations of the config descriptor. */
  config: Record<string, string>;
  /** Annotations per layer title. */
  layers: Record<string, Record<string, string>>;
}

/** A file pushed: its layer's title, and its path as typed on the command line (without `:type`). */
export interface PushedName {
  title: string;
  typed: string;
}

/**
 * Reads an annotation file. A file's key is its title (`readme.md`) or, as ORAS keys it, the path as typed
 * (`./docs/readme.md`, `site/`): an annotation file written for `oras push` works unchanged.
 */
export async function readAnnotationFile(file: string | undefined, names: PushedName[]): Promise<AnnotationFile> {
  const titles = names.map((n) => n.title);
  const result: AnnotationFile = { manifest: {}, config: {}, layers: {} };
  if (!file) return result;
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new UsageError(`--annotation-file ${file}: ${unreadable(err)}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--annotation-file ${file}: not JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`--annotation-file ${file}: expected a JSON object`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!value || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string')) {
      throw new UsageError(`--annotation-file ${file}: "${key}" must map to an object of string values`);
    }
    if (key === '$manifest') result.manifest = value as Record<string, string>;
    else if (key === '$config') result.config = value as Record<string, string>;
    else if (titles.includes(key)) result.layers[key] = { ...result.layers[key], ...(value as Record<string, string>) };
    else if (names.some((n) => n.typed === key)) {
      const title = names.find((n) => n.typed === key)!.title;
      result.layers[title] = { ...result.layers[title], ...(value as Record<string, string>) };
    } else
      throw new UsageError(
        `--annotation-file ${file}: "${key}" is neither $manifest, $config nor one of the files pushed (${titles.join(', ')})`,
      );
  }
  return result;
}

export function titleOfInput(input: PackInput): string {
  return input.title ?? path.basename(path.resolve(input.path));
}

/**
 * ORAS's `name:tag1,tag2,tag3`: the reference with its first tag, and the other tags to add (each checked). Only
 * the part after the last slash can hold tags, so a path or a port with a comma or colon elsewhere is left alone.
 */
export function splitTagList(input: string): { reference: string; moreTags: string[] } {
  if (input.includes('@')) return { reference: input, moreTags: [] };
  const slash = input.lastIndexOf('/');
  const colon = input.lastIndexOf(':');
  if (colon <= slash) return { reference: input, moreTags: [] };
  const [first, ...more] = input.slice(colon + 1).split(',');
  const bad = more.find((t) => !isTag(t));
  if (bad !== undefined) throw new UsageError(`"${bad}" in "${input}" is not a valid tag`);
  return { reference: `${input.slice(0, colon + 1)}${first}`, moreTags: more };
}

/** Content read from standard input (`-`) cannot share it with --password-stdin or --identity-token-stdin. */
export function refuseStdinTwice(args: ParsedArgs, content: string): void {
  const secret = args.options['password-stdin']
    ? 'password'
    : args.options['identity-token-stdin']
      ? 'identity token'
      : '';
  if (secret)
    throw new UsageError(`standard input cannot hold both ${content} and the ${secret}: use a file for one of them`);
}
