// "Push Manifest…": a manifest or index written by hand in the editor (or a JSON file in the Explorer) pushed as
// its exact bytes to a registry repository or a layout, as `stowage manifest push` does. It is checked against the
// destination first (the linter, and each descriptor's blob or manifest there with that size); errors are named in
// a modal that pushes only when asked to.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mediaTypeOfManifest, parseManifestBytes } from '../../core/content';
import { manifestDescriptor, pushManifestBytes } from '../../core/graph';
import {
  checkManifestForPush,
  decodeDocument,
  LineColumns,
  lint,
  tagMoveWarning,
  tagsMoved,
  type Problem,
} from '../../core/lint';
import {
  counted,
  formatBytes,
  MAX_MANIFEST_BYTES,
  formatReference,
  mediaTypeProblem,
  OciError,
  printable,
  type StoreRef,
} from '../../core/oci';
import { refreshStore, type CommandContext } from './CommandContext';
import { notifyArtifactTransferred } from './notifyTransferDone';
import { runSteps } from '../multiStep';
import type { TypedDestination } from './destinationReference';
import { shownDigest } from './doneWithReference';
import { askTag, pickDestination } from './pickers';
import { transferInto } from './transferInto';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import { shownReference } from '../shownReference';
import { missingBlobAdvice, movedNote, refusalForMissingBlobs, subjectNote } from './manifestPushNotes';

const TITLE = 'Push Manifest';
/** Problems named in the modal; the rest are counted. */
const SHOWN_PROBLEMS = 8;

export interface PushManifestRequest {
  destination?: StoreRef;
  tag?: string;
}

export interface PushManifestOutcome {
  reference: string;
  digest: string;
}

export function pushManifest(ctx: CommandContext) {
  return async (uri?: vscode.Uri, request: PushManifestRequest = {}): Promise<PushManifestOutcome | undefined> => {
    const source = await chooseSource(ctx, uri);
    if (!source) return undefined;
    const { bytes, name } = source;
    const manifest = parsedOrWhere(bytes, name);
    const mediaType = mediaTypeOfManifest(manifest);
    const problem = mediaTypeProblem(mediaType);
    if (problem)
      throw new OciError(
        'INVALID_CONTENT',
        `${name}: mediaType "${printable(mediaType)}" is not a media type: ${problem}`,
      );
    let picked: TypedDestination | undefined = request.destination && { store: request.destination };
    let tag = request.tag;
    const answered = await runSteps(ctx, [
      {
        when: () => !request.destination,
        // A typed reference may name the tag: whether the tag is asked is known once it is answered.
        decidesCount: true,
        ask: async (c) => (picked = await pickDestination(c, TITLE, { typedReference: true })),
      },
      {
        // A typed reference that names the tag is not asked for it again.
        when: () => request.tag === undefined && picked?.tag === undefined,
        ask: async (c) =>
          (tag = await askTag(c, TITLE, {
            prompt: `Tag in ${shownReference(picked!.store)} (empty: push untagged, by digest)`,
            value: 'latest',
            mayBeEmpty: true,
          })),
      },
    ]);
    const given = request.tag ?? picked?.tag ?? tag;
    if (!answered || !picked || given === undefined) return undefined;
    const destination = picked.store;
    const descriptor = manifestDescriptor(bytes, manifest, mediaType);
    // An empty tag: the manifest goes in by its digest alone (`stowage manifest push repo@sha256:…`).
    const named = given ? { tag: given } : { digest: descriptor.digest };
    const reference = formatReference({ ...destination, ...named });
    const shown = shownReference({ ...destination, ...named });

    const document = decodeDocument(bytes);
    const { problems, moved } = await vscode.window.withProgress(
      notificationProgress(`Checking ${name} against ${shown}`),
      async (_progress, token) => {
        const signal = toAbortSignal(token);
        const store = await existingStore(ctx, destination);
        const found = await checkManifestForPush(document, { mediaType, manifest }, store, signal);
        return {
          problems: found,
          moved: (
            await tagsMoved(store && !('missing' in store) ? store : undefined, [given], descriptor.digest, signal)
          )[0],
        };
      },
    );
    const errors = problems.filter((p) => p.severity === 'error');
    const summary = `${name} — ${formatBytes(bytes.length)}, ${descriptor.digest}`;
    const moves = moved && tagMoveWarning(moved, shownDigest);
    const confirmed = errors.length
      ? await ctx.prompts().confirm({
          message: `${name} has ${counted(errors.length, 'error')}. Push it to ${shown} anyway?`,
          detail: [
            ...describe(errors, document.text),
            '',
            missingBlobAdvice(errors, manifest, destination) ??
              'A registry refuses most of these. A wrong size it takes (and a layout a missing blob), but nothing can pull the result.',
            ...(moves ? [moves] : []),
          ].join('\n'),
          action: 'Push Anyway',
        })
      : await ctx.prompts().confirm({
          message: `Push ${name} to ${shown}?`,
          detail: [summary, `mediaType: ${mediaType}`, ...(moves ? [moves] : [])].join('\n'),
          action: 'Push',
        });
    if (!confirmed) return undefined;

    try {
      await transferInto(ctx, `Pushing ${name} to ${shown}`, destination, (target, signal) =>
        pushManifestBytes(target, bytes, manifest, descriptor, { tags: given ? [given] : [], signal }),
      );
    } catch (err) {
      throw refusalForMissingBlobs(err, errors, manifest, destination);
    }
    // The log keeps the whole reference (shownReference is for what people read at a glance).
    ctx.log.info(`Pushed ${name} to ${reference} as ${descriptor.digest}`);
    const pushed = given
      ? `Pushed ${name} to ${shown} as`
      : `Pushed ${name} untagged to ${shownReference(destination)} as`;
    refreshStore(ctx, destination);
    void notifyArtifactTransferred(
      ctx,
      `${pushed} ${shownDigest(descriptor.digest)}${subjectNote(manifest)}${movedNote(moved)}.`,
      { store: destination, ...(given ? { tag: given } : {}), digest: descriptor.digest },
    );
    return { reference, digest: descriptor.digest };
  };
}

/**
 * What is on screen: the open editor's text (saved or not) for the file named, or the active editor's; else the
 * file's bytes. From the palette without a JSON editor, a file is asked for.
 */
async function chooseSource(
  ctx: CommandContext,
  uri: vscode.Uri | undefined,
): Promise<{ bytes: Buffer; name: string } | undefined> {
  const open = uri
    ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
    : vscode.window.activeTextEditor?.document;
  if (open && (uri || open.languageId === 'json' || open.languageId === 'jsonc')) {
    const name = path.basename(open.uri.path);
    const bytes = Buffer.from(open.getText(), 'utf8');
    refuseOversized(bytes.length, name);
    return { bytes, name };
  }
  const file =
    uri ??
    (
      await ctx.prompts().openDialog({
        title: `${TITLE}: the manifest or index (JSON)`,
        canSelectFiles: true,
        canSelectMany: false,
        filters: { JSON: ['json'] },
        openLabel: 'Push',
      })
    )?.[0];
  if (!file) return undefined;
  const name = path.basename(file.fsPath);
  refuseOversized((await fs.stat(file.fsPath)).size, name);
  return { bytes: await fs.readFile(file.fsPath), name };
}

/**
 * A file larger than any manifest a registry or layout takes is refused before it is parsed or linted: a broken
 * 32 MiB file took the linter 2 s and 700 MiB of the extension host to say where it broke.
 */
function refuseOversized(size: number, name: string): void {
  if (size > MAX_MANIFEST_BYTES)
    throw new OciError(
      'INVALID_CONTENT',
      `${name} is ${formatBytes(size)}: a manifest is at most ${formatBytes(MAX_MANIFEST_BYTES)}, so it is not one to push`,
    );
}

/**
 * The destination as it is now, for the check: a layout folder not made yet has none of the blobs (it is made only
 * by the push); undefined when it cannot be opened (the push says why).
 */
async function existingStore(ctx: CommandContext, destination: StoreRef) {
  try {
    return await ctx.stores.target(destination);
  } catch (err) {
    if (destination.kind === 'layout' && !(await fs.stat(destination.path).catch(() => undefined)))
      return { missing: formatReference(destination) };
    ctx.log.debug(`${TITLE}: ${formatReference(destination)} not opened for the check: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * The manifest in `bytes`; one that is not (broken JSON, no schemaVersion) is refused with where the linter finds
 * its errors, line and column, as `manifest push` prints them: the parser's words alone ("Unexpected end of JSON
 * input") said neither where nor what to do.
 */
function parsedOrWhere(bytes: Buffer, name: string): ReturnType<typeof parseManifestBytes> {
  try {
    return parseManifestBytes(bytes, name);
  } catch (err) {
    const document = decodeDocument(bytes);
    const errors = lint(document).filter((p) => p.severity === 'error');
    if (!errors.length) throw err;
    throw new OciError(
      'INVALID_CONTENT',
      // The linter's messages end with a full stop of their own ("Value expected."): not doubled.
      `${name} is not a manifest to push: ${describe(errors, document.text).join('; ').replace(/\.$/, '')}. Fix it in the editor (the Problems view lists each) and push again.`,
    );
  }
}

function describe(errors: Problem[], text: string): string[] {
  const lines = new LineColumns(text);
  const shown = errors.slice(0, SHOWN_PROBLEMS).map((p) => {
    const { line, column } = lines.at(p.offset);
    return `line ${line + 1}:${column + 1}: ${p.message}`;
  });
  return errors.length > SHOWN_PROBLEMS ? [...shown, `… and ${errors.length - SHOWN_PROBLEMS} more`] : shown;
}
