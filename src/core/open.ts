// The one way the CLI and the editor get a store: a reference (text, parsed, or a StoreRef) names either an OCI
// image layout folder, a layout archive (tar; its writes are made durable by `finish()`, see Finisher) or a
// registry repository, reached through the caller's per-host client pool. The only file
// directly in src/core, as it is the one place that knows every concrete store.
import type { Target } from './content';
import { ArchiveTarget, LayoutTarget, type LockHolder } from './layout';
import { parseReference, storeOf, type Reference, type StoreRef } from './oci';
import { RegistryTarget, type Connections } from './registry';

export interface OpenedTarget {
  target: Target;
  reference: Reference;
  store: StoreRef;
  /** The tag or digest the reference names, if any (digest wins when both are given). */
  tagOrDigest?: string;
}

export interface OpenTargetOptions {
  /**
   * Make a missing layout folder, or accept a missing layout archive (written on finish), as the destination of a
   * push or copy; a registry repository needs nothing made.
   */
  create?: boolean;
  /** Open a layout archive read-only (every write refused); folders and registries ignore it. */
  readOnly?: boolean;
  /** A write into a layout archive has waited a while for another process writing it (to say so). */
  onLockWait?: (holder: LockHolder | undefined) => void;
}

/** Opens what `ref` names; text is parsed first (InvalidReferenceError says what is wrong with it). */
export async function openTarget(
  ref: string | Reference,
  connections: Connections,
  options: OpenTargetOptions = {},
): Promise<OpenedTarget> {
  const reference = typeof ref === 'string' ? parseReference(ref) : ref;
  const target =
    reference.kind === 'registry'
      ? new RegistryTarget(connections.client(reference.host), reference.repository)
      : reference.archive
        ? await ArchiveTarget.open(reference.path, {
            create: options.create,
            readOnly: options.readOnly,
            onLockWait: options.onLockWait,
          })
        : await LayoutTarget.open(reference.path, { create: options.create });
  return { target, reference, store: storeOf(reference), tagOrDigest: reference.digest ?? reference.tag };
}
