// What the CNCF TAG Runtime's Wasm OCI artifact config says of a module or component: the WASI version it targets
// (`os`: wasip1, wasip2) and, for a component, the world it targets ("wasi:http/proxy@0.2.0"). Untrusted: each value
// is held to a short shape, and callers still show it as plain text.
import { isIndex, parseJsonObject, type Manifest, MediaType } from '../oci';
import { readSmallBlob, type ReadOnlyTarget } from '../content';

/** The config holds a digest per layer and a component's imports and exports: rarely more than a few KiB. */
export const MAX_WASM_CONFIG_BYTES = 256 * 1024;

export interface WasmConfigFacts {
  /** "wasip1" or "wasip2". */
  os?: string;
  /** The world a component targets. */
  target?: string;
  created?: string;
}

const WASI = /^wasi[A-Za-z0-9.-]{1,20}$/;
const WORLD = /^[a-z0-9][a-z0-9:/@.+-]{0,119}$/i;

export function parseWasmConfig(bytes: Buffer): WasmConfigFacts | undefined {
  const parsed = parseJsonObject(bytes);
  if (!parsed) return undefined;
  const { os, component, created } = parsed;
  const target =
    typeof component === 'object' && component !== null ? (component as Record<string, unknown>)['target'] : undefined;
  return {
    ...(typeof os === 'string' && WASI.test(os) ? { os } : {}),
    ...(typeof target === 'string' && WORLD.test(target) ? { target } : {}),
    ...(typeof created === 'string' ? { created } : {}),
  };
}

/** The facts of a manifest whose config is the CNCF Wasm config; undefined for any other manifest. */
export async function readWasmConfig(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  manifest: Manifest,
  signal?: AbortSignal,
): Promise<WasmConfigFacts | undefined> {
  if (isIndex(manifest) || manifest.config?.mediaType !== MediaType.wasmConfig) return undefined;
  if (manifest.config.size > MAX_WASM_CONFIG_BYTES) return undefined;
  return parseWasmConfig(await readSmallBlob(target, manifest.config, signal, MAX_WASM_CONFIG_BYTES));
}
