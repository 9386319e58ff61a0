// `stowage gc <layout>`: garbage collection of an OCI image layout, or of a layout archive (`oci-archive:x.tar`,
// written again without the blobs nothing reaches). A dry run unless --apply, like
// `registry garbage-collect --dry-run` turned around: removing blobs cannot be undone, so the command that
// removes is the one that says so (`git clean` refuses without -f for the same reason).
// On a plain folder (no oci-layout file) it looks only for the staging folders killed pulls left in it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import { print, printJson, type Command, type CliIO } from '../command';
import { HELP_OPTION, formatOption } from '../commonOptions';
import {
  printable,
  ARCHIVE_PREFIX,
  LAYOUT_PREFIX,
  LAYOUT_FILE,
  parseReference,
  formatBytes,
  counted,
} from '../../core/oci';
import { ArchiveTarget, DEFAULT_GC_GRACE_MS, LayoutTarget } from '../../core/layout';
import { leftOverStagingFolders, removeLeftOverStagingFolders } from '../../core/content';

const DEFAULT_GRACE_SECONDS = DEFAULT_GC_GRACE_MS / 1000;

export const gcCommand: Command = {
  name: 'gc',
  summary:
    'show (or with --apply remove) unreferenced blobs and temporaries crashed writers left in a layout or layout archive, or killed pulls’ staging folders in a plain folder',
  examples: [
    { does: 'show what garbage collection would remove from a layout', run: 'stowage gc ./app-layout' },
    { does: 'remove it', run: 'stowage gc --apply ./app-layout' },
  ],
  usage: 'stowage gc <layout-folder | oci:path | oci-archive:file.tar | folder> [--apply] [--grace seconds]',
  options: [
    { name: 'apply', type: 'boolean', description: 'remove what is listed (without it, nothing is removed)' },
    {
      name: 'grace',
      type: 'number',
      valueName: 'seconds',
      description: `keep unreferenced blobs written in the last N seconds, which a push in progress may still tag (default ${DEFAULT_GRACE_SECONDS}; an archive has no writes in progress: its writers take turns)`,
    },
    formatOption('text or json'),
    HELP_OPTION,
  ],
  arity: [1, 1],
  async run({ io, args, signal }) {
    const { path: folder, archive } = layoutFolder(args.positionals[0]!);
    const grace = (args.options['grace'] as number | undefined) ?? DEFAULT_GRACE_SECONDS;
    if (!Number.isFinite(grace) || grace < 0)
      throw new UsageError(`--grace must be a number of seconds, 0 or more, not ${grace}`);
    const apply = !!args.options['apply'];
    const json = args.options['format'] === 'json';
    if (!archive && !args.positionals[0]!.startsWith(LAYOUT_PREFIX) && (await isPlainFolder(folder)))
      return collectPlainFolder(io, folder, apply, json);
    const layout = archive ? await ArchiveTarget.open(folder) : await LayoutTarget.open(folder);
    const result =
      layout instanceof ArchiveTarget
        ? await layout.garbageCollect({ dryRun: !apply, signal })
        : await layout.garbageCollect({ dryRun: !apply, graceMs: grace * 1000, signal });
    if (args.options['format'] === 'json') {
      printJson(io, {
        layout: layout instanceof ArchiveTarget ? layout.file : layout.root,
        applied: apply,
        blobs: result.blobs,
        temporaries: result.temporaries,
        bytes: result.freedBytes,
        kept: result.young,
      });
      return 0;
    }
    const verb = apply ? 'removed' : 'would remove';
    for (const blob of result.blobs) print(io, `${verb} blob ${blob.digest} (${formatBytes(blob.size)})`);
    for (const temp of result.temporaries)
      print(io, `${verb} temporary ${printable(temp.path)} (${formatBytes(temp.size)})`);
    const items = result.blobs.length + result.temporaries.length;
    const total = `${counted(result.blobs.length, 'unreferenced blob')} and ${counted(result.temporaries.length, 'stale temporary item')}, ${formatBytes(result.freedBytes)}`;
    if (apply) print(io, `removed ${total} from ${printable(layout.location)}`);
    else if (items === 0) print(io, `nothing to remove in ${printable(layout.location)}`);
    else print(io, `dry run: would remove ${total}; nothing was removed (run again with --apply to remove)`);
    if (result.young.length) {
      const bytes = formatBytes(result.young.reduce((sum, b) => sum + b.size, 0));
      print(
        io,
        `kept ${counted(result.young.length, 'unreferenced blob')} (${bytes}) younger than ${grace} s: a push may still tag it (--grace 0 removes them)`,
      );
    }
    return 0;
  },
};

/** A folder without an oci-layout entry (gc of a layout that lost that file still fails, naming it). */
async function isPlainFolder(folder: string): Promise<boolean> {
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) return false;
  return (await fs.lstat(path.join(folder, LAYOUT_FILE)).catch(() => undefined)) === undefined;
}

/** The staging folders killed pulls left directly in `folder` (pull stages beside its target or inside it). */
async function collectPlainFolder(io: CliIO, folder: string, apply: boolean, json: boolean): Promise<number> {
  const found = apply ? await removeLeftOverStagingFolders(folder) : await leftOverStagingFolders(folder);
  const temporaries = found.map((f) => ({ path: path.basename(f.path), size: f.size }));
  const bytes = temporaries.reduce((sum, t) => sum + t.size, 0);
  const root = path.resolve(folder);
  if (json) {
    printJson(io, { folder: root, applied: apply, temporaries, bytes });
    return 0;
  }
  const verb = apply ? 'removed' : 'would remove';
  for (const temp of temporaries)
    print(io, `${verb} staging folder ${printable(temp.path)} (${formatBytes(temp.size)})`);
  const total = `${counted(temporaries.length, 'staging folder')} of killed pulls, ${formatBytes(bytes)}`;
  if (apply) print(io, `removed ${total} from ${printable(root)}`);
  else if (temporaries.length === 0)
    print(io, `nothing to remove in ${printable(root)} (not an OCI layout: only pull staging folders were looked for)`);
  else print(io, `dry run: would remove ${total}; nothing was removed (run again with --apply to remove)`);
  return 0;
}

/** A folder, or an `oci:` / `oci-archive:` reference without tag or digest (gc works on the whole layout). */
function layoutFolder(input: string): { path: string; archive: boolean } {
  if (!input.startsWith(LAYOUT_PREFIX) && !input.startsWith(ARCHIVE_PREFIX)) return { path: input, archive: false };
  const reference = parseReference(input);
  if (reference.kind !== 'layout') throw new UsageError(`"${input}" is not a layout`);
  const prefix = reference.archive ? ARCHIVE_PREFIX : LAYOUT_PREFIX;
  if (reference.tag || reference.digest)
    throw new UsageError(`gc works on a whole layout: give "${prefix}${reference.path}" without a tag or digest`);
  return { path: reference.path, archive: !!reference.archive };
}
