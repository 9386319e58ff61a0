// What a pull would write: one output per titled layer, with sizes and the conflicts with existing files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  isIndex,
  titleOf,
  type Descriptor,
  descriptorProblem,
  type ImageManifest,
  type Manifest,
  OciError,
  UnsafePathError,
  Annotation,
} from '../oci';
import { assertSafeTitles } from './safeNames';
import { holdsLayer } from './unchangedFile';
import { fluxContentLayer } from './fluxArtifact';

export interface PlannedOutput {
  /** The layer's title: a relative path ("report.pdf", "docs/a.md" or a folder name). */
  title: string;
  /** Absolute destination in the target folder. */
  path: string;
  layer: Descriptor;
  /** True for folders (tar+gzip layers with io.deis.oras.content.unpack = "true"). */
  unpack: boolean;
  /**
   * True for a Flux artifact's layer: unpacked into the target folder itself, as `flux pull artifact` extracts it
   * (`title` is "." and `path` the target). What it holds is compared with the target's files once unpacked.
   */
  intoTarget: boolean;
  /** Bytes to download (for folders the compressed size; the unpacked size is known only after the pull). */
  size: number;
  /** Something already exists at `path` (and is not this very file: see `unchanged`). */
  conflict: boolean;
  /** A file with exactly this layer's bytes is already at `path`: the pull leaves it as it is. */
  unchanged: boolean;
  /** A folder layer over a real folder (not a link): unpacked, it may turn out to equal that folder. */
  overFolder: boolean;
  /** Pulled with other manifests into one folder: the output of an earlier one that writes this very file. */
  sameAs?: PlannedOutput;
}

export interface PullPlan {
  target: string;
  outputs: PlannedOutput[];
  conflicts: PlannedOutput[];
  /** Outputs already there with the same bytes: not downloaded, not replaced. */
  unchanged: PlannedOutput[];
  /** Layers without a title: ORAS does not pull them either. */
  untitled: Descriptor[];
  /** Bytes to download: the outputs that are not unchanged. */
  totalBytes: number;
}

/**
 * Plans a pull of `manifest` into `targetDir` without writing anything; hostile titles are refused here. An existing
 * file of the layer's size is hashed to tell an unchanged file from a conflict.
 */
export async function planPull(manifest: Manifest, targetDir: string, signal?: AbortSignal): Promise<PullPlan> {
  if (isIndex(manifest)) throw new OciError('USAGE', 'cannot pull files from an index: choose one of its manifests');
  const target = path.resolve(targetDir);
  const targetStat = await fs.stat(target).catch(() => undefined);
  if (targetStat && !targetStat.isDirectory())
    throw new OciError('USAGE', `${target} is not a folder: pull into a folder (a new one is made)`);
  const layers = pullableLayers(manifest);
  const flux = fluxContentLayer(manifest);
  if (flux) return fluxPlan(target, flux);
  const titled = layers.filter((layer) => titleOf(layer) !== undefined);
  assertSafeTitles(titled.map((layer) => titleOf(layer)!));
  const outputs: PlannedOutput[] = [];
  for (const layer of titled) {
    const title = titleOf(layer)!;
    const destination = path.join(target, ...title.split('/'));
    await assertNoLinkOnTheWay(target, title);
    const existing = await fs.lstat(destination).catch(() => undefined);
    const unpack = layer.annotations?.[Annotation.orasUnpack] === 'true';
    const unchanged = !!existing && !unpack && (await holdsLayer(destination, existing, layer, signal));
    outputs.push({
      title,
      path: destination,
      layer,
      unpack,
      intoTarget: false,
      size: layer.size,
      conflict: existing !== undefined && !unchanged,
      unchanged,
      overFolder: unpack && !!existing?.isDirectory(),
    });
  }
  return {
    target,
    outputs,
    conflicts: outputs.filter((o) => o.conflict),
    unchanged: outputs.filter((o) => o.unchanged),
    untitled: layers.filter((layer) => titleOf(layer) === undefined),
    totalBytes: outputs.filter((o) => !o.unchanged).reduce((sum, o) => sum + o.size, 0),
  };
}

/** A Flux artifact's plan: its one layer unpacked into the target; what collides is known only once unpacked. */
function fluxPlan(target: string, layer: Descriptor): PullPlan {
  const output: PlannedOutput = {
    title: '.',
    path: target,
    layer,
    unpack: true,
    intoTarget: true,
    size: layer.size,
    conflict: false,
    unchanged: false,
    overFolder: false,
  };
  return { target, outputs: [output], conflicts: [], unchanged: [], untitled: [], totalBytes: layer.size };
}

/**
 * The manifest's layers, each checked to be a descriptor with a title that is text: what a registry or a layout
 * says may be anything, and a layer that is null or a list that is an object failed the pull with a TypeError.
 */
export function pullableLayers(manifest: ImageManifest): Descriptor[] {
  const layers: unknown = manifest.layers ?? [];
  if (!Array.isArray(layers)) throw new OciError('INVALID_CONTENT', 'the manifest\'s "layers" is not a list');
  layers.forEach((layer: unknown, i) => {
    const problem = descriptorProblem(layer);
    if (problem) throw new OciError('INVALID_CONTENT', `layer ${i + 1} of the manifest ${problem}`);
    const title: unknown = titleOf(layer as Descriptor);
    if (title !== undefined && typeof title !== 'string')
      throw new OciError('INVALID_CONTENT', `layer ${i + 1} of the manifest has a title that is not text`);
  });
  return layers as Descriptor[];
}

/** A title "a/b.txt" must not be written through an existing symlink or file "a" in the target. */
async function assertNoLinkOnTheWay(target: string, title: string): Promise<void> {
  const parts = title.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    const stats = await fs.lstat(path.join(target, ...parts.slice(0, i))).catch(() => undefined);
    if (!stats) return;
    if (stats.isSymbolicLink())
      throw new UnsafePathError(
        title,
        `layer title: "${parent}" in the target folder is a symlink; refusing to write through it`,
      );
    if (!stats.isDirectory())
      throw new UnsafePathError(title, `layer title: "${parent}" in the target folder is not a folder`);
  }
}
