// Extracts a tar stream into a fresh staging folder, refusing anything that could write or point outside it.
//
// Rules, beyond the name rules of safeNames.ts:
// - every entry lies under `<prefix>/` (the layer title), as ORAS writes folders; each name appears once;
// - regular files and folders are extracted with normalised modes (0644/0755; no setuid, setgid or sticky);
// - a symlink's target must be relative and stay inside `<prefix>/` when resolved from the link's folder;
//   after extraction every symlink is resolved on disk (following chains) and must exist inside `<prefix>/`,
//   so a chain like `a -> .`, `b -> a/..` is refused, as are dangling links;
// - a hardlink must name a regular file extracted earlier from the same archive; it is written as a copy,
//   so nothing can ever be linked to a file outside;
// - no entry is ever written through a symlink or a file: each parent must be a real folder;
// - device, FIFO and other special entries are refused (a pull must produce plain files only);
// - sizes count against `maxBytes` and entries against `maxEntries` before anything is written;
// - with the prefix "" the entries lie anywhere in the staging folder (a Flux artifact, extracted into the folder
//   pulled into): "./" before a name is dropped and "." is that folder itself, as Go's and GNU tar write them;
// - with `links: false` symlinks and hardlinks are refused too (Flux neither packs nor needs them).
import { constants, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { makeFolders } from '../content';
import { OciError, SizeExceededError, throwIfAborted, UnsafePathError } from '../oci';
import { symlinkTargetProblem, unsafePathProblem } from './safeNames';
import { forEachTarEntry, throwIfEntryGone } from './tarEntries';

export interface ExtractLimits {
  /** Bytes of file content the archive may expand to. */
  maxBytes: number;
  maxEntries: number;
}

export interface ExtractRules {
  /** Whether symlinks and hardlinks (each checked as above) may be extracted. */
  links: boolean;
}

export interface ExtractResult {
  bytes: number;
  entries: number;
}

type Kind = 'file' | 'directory' | 'symlink';

class Extraction {
  private readonly kinds = new Map<string, Kind>();
  private readonly symlinks: string[] = [];
  /** Names the archive itself listed (parents created implicitly are not in here). */
  private readonly listed = new Set<string>();
  bytes = 0;
  entries = 0;

  constructor(
    private readonly stagingDir: string,
    private readonly prefix: string,
    private readonly limits: ExtractLimits,
    private readonly what: string,
    private readonly rules: ExtractRules,
  ) {
    this.kinds.set(prefix, 'directory');
  }

  private refuse(name: string, reason: string): never {
    throw new UnsafePathError(name, `${this.what}: ${reason}`);
  }

  private absolute(name: string): string {
    return path.join(this.stagingDir, ...name.split('/'));
  }

  /** The entry's name without a trailing "/", checked against the name rules and the prefix. */
  private checkedName(raw: string): string {
    let name = raw.endsWith('/') ? raw.slice(0, -1) : raw;
    if (this.prefix === '') while (name.startsWith('./')) name = name.slice(2);
    const problem = unsafePathProblem(name);
    if (problem) this.refuse(raw, problem);
    if (this.prefix !== '' && name !== this.prefix && !name.startsWith(`${this.prefix}/`))
      this.refuse(raw, `the entry is not inside "${this.prefix}/"`);
    if (this.listed.has(name)) this.refuse(raw, 'the archive holds this name more than once');
    this.listed.add(name);
    return name;
  }

  /** Makes sure every parent of `name` is a real folder (creating missing ones), never a symlink or a file. */
  private async prepareParents(name: string): Promise<void> {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const known = this.kinds.get(parent);
      if (known === 'symlink') this.refuse(name, `the entry would be written through the symlink "${parent}"`);
      if (known === 'file') this.refuse(name, `the entry would be written inside the file "${parent}"`);
      const stats = await fs.lstat(this.absolute(parent)).catch(() => undefined);
      if (stats && !stats.isDirectory())
        this.refuse(name, `the entry would be written through "${parent}", which is not a folder`);
      if (!stats) await fs.mkdir(this.absolute(parent), { mode: 0o755 });
      this.kinds.set(parent, 'directory');
    }
  }

  private count(name: string, size: number): void {
    this.entries++;
    if (this.entries > this.limits.maxEntries)
      this.refuse(name, `the archive has more than ${this.limits.maxEntries} entries`);
    if (this.bytes + size > this.limits.maxBytes)
      throw new SizeExceededError(`${this.what}: the unpacked content`, this.limits.maxBytes);
    this.bytes += size;
  }

  async entry(header: tar.Header, stream: Readable, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const type = header.type ?? 'file';
    if (type === 'character-device' || type === 'block-device' || type === 'fifo')
      this.refuse(header.name, `${type} entries are refused: a pull writes plain files only`);
    if (!this.rules.links && (type === 'symlink' || type === 'link'))
      this.refuse(header.name, `${type === 'link' ? 'hardlink' : 'symlink'} entries are refused in this archive`);
    const size = type === 'file' || type === 'contiguous-file' ? (header.size ?? 0) : 0;
    this.count(header.name, size);
    if (this.isRootFolder(header.name, type)) {
      stream.resume();
      return;
    }
    const name = this.checkedName(header.name);
    const target = this.absolute(name);
    if (type !== 'directory' && this.kinds.has(name))
      this.refuse(header.name, 'the entry has the name of a folder the archive already holds');
    switch (type) {
      case 'directory':
        await this.prepareParents(name);
        if (this.kinds.get(name) !== 'directory') await fs.mkdir(target, { mode: 0o755 });
        this.kinds.set(name, 'directory');
        stream.resume();
        return;
      case 'file':
      case 'contiguous-file':
        await this.prepareParents(name);
        this.kinds.set(name, 'file');
        throwIfEntryGone(stream); // before the file is made: nothing may be written once the extraction failed
        await pipeline(
          stream,
          sizeGuard(size, name, this.what),
          createWriteStream(target, { flags: 'wx', mode: header.mode && header.mode & 0o111 ? 0o755 : 0o644 }),
          { signal },
        );
        return;
      case 'symlink':
        await this.prepareParents(name);
        this.checkSymlinkTarget(name, header.linkname ?? '');
        this.kinds.set(name, 'symlink');
        this.symlinks.push(name);
        await fs.symlink(header.linkname!, target);
        stream.resume();
        return;
      case 'link': {
        await this.prepareParents(name);
        const source = this.checkedLinkSource(name, header.linkname ?? '');
        const sourceSize = (await fs.stat(this.absolute(source))).size;
        if (this.bytes + sourceSize > this.limits.maxBytes)
          throw new SizeExceededError(`${this.what}: the unpacked content`, this.limits.maxBytes);
        this.bytes += sourceSize;
        await fs.copyFile(this.absolute(source), target, constants.COPYFILE_EXCL);
        this.kinds.set(name, 'file');
        stream.resume();
        return;
      }
      default:
        this.refuse(header.name, `"${type}" entries are not supported`);
    }
  }

  /** "." or "./" in an archive extracted into the staging folder itself names that folder (written once). */
  private isRootFolder(raw: string, type: string): boolean {
    if (this.prefix !== '' || !/^(\.\/)*\.\/?$/.test(raw)) return false;
    if (type !== 'directory') this.refuse(raw, 'an entry that is not a folder names the folder itself');
    if (this.listed.has('.')) this.refuse(raw, 'the archive holds this name more than once');
    this.listed.add('.');
    return true;
  }

  private checkSymlinkTarget(name: string, linkname: string): void {
    const problem = symlinkTargetProblem(name, linkname, this.prefix);
    if (problem) this.refuse(name, `the symlink is unsafe: ${problem}`);
  }

  private checkedLinkSource(name: string, linkname: string): string {
    const problem = unsafePathProblem(linkname);
    if (problem) this.refuse(name, `hardlink target "${linkname}": ${problem}`);
    if (!linkname.startsWith(`${this.prefix}/`))
      this.refuse(name, `the hardlink points outside "${this.prefix}/" (to "${linkname}")`);
    if (this.kinds.get(linkname) !== 'file')
      this.refuse(name, `the hardlink target "${linkname}" is not a file extracted earlier from this archive`);
    return linkname;
  }

  /** Resolves every symlink on disk, following chains: each must exist and stay inside the prefix folder. */
  async checkSymlinksOnDisk(): Promise<void> {
    const root = await fs.realpath(this.absolute(this.prefix));
    for (const link of this.symlinks) {
      const resolved = await fs.realpath(this.absolute(link)).catch(() => undefined);
      if (resolved === undefined)
        this.refuse(link, 'the symlink is dangling or loops (its target does not exist in the archive)');
      if (resolved !== root && !resolved.startsWith(`${root}${path.sep}`))
        this.refuse(link, `the symlink resolves outside "${this.prefix}/" through a chain of links`);
    }
  }
}

/** Fails when an entry carries more bytes than its header declared (tar-stream enforces it too; this names it). */
function sizeGuard(size: number, name: string, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > size)
        callback(new OciError('INVALID_CONTENT', `${what}: entry "${name}" is longer than its header says`));
      else callback(null, chunk);
    },
  });
}

/**
 * Extracts the tar bytes of `source` (after `transforms`: verification, gunzip) under `stagingDir/<prefix>` (the
 * prefix "" is `stagingDir` itself); `stagingDir` must be a fresh, empty folder.
 */
export async function extractTarSafely(
  source: Readable,
  transforms: Transform[],
  stagingDir: string,
  prefix: string,
  limits: ExtractLimits,
  what: string,
  signal?: AbortSignal,
  rules: ExtractRules = { links: true },
): Promise<ExtractResult> {
  const extraction = new Extraction(stagingDir, prefix, limits, what, rules);
  await makeFolders(path.join(stagingDir, ...prefix.split('/')), 0o755);
  await forEachTarEntry(
    source,
    transforms,
    (header, content) => extraction.entry(header, content, signal),
    what,
    signal,
  );
  await extraction.checkSymlinksOnDisk();
  return { bytes: extraction.bytes, entries: extraction.entries };
}
