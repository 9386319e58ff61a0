// A Flux artifact as `flux push artifact` stores it: Flux's config type and one layer, the tar+gzip of the pushed
// folder, without a title. `flux pull artifact -o DIR` extracts that layer into DIR itself, so a pull does the
// same: the layer is unpacked into the folder pulled into, not under a name of its own.
import { isIndex, titleOf, type Descriptor, type Manifest, MediaType } from '../oci';

/** The layer a Flux pull extracts into the folder, or undefined when `manifest` is no Flux artifact of one such layer. */
export function fluxContentLayer(manifest: Manifest): Descriptor | undefined {
  return soleUntitledLayer(manifest, MediaType.fluxConfig, MediaType.fluxContent);
}

/**
 * The one layer, of `layerType` and without a title, of a manifest whose config is `configType` (the shape of a
 * tool that names the file itself: Flux, wkg), or undefined. What a store says may be anything: each part is checked.
 */
export function soleUntitledLayer(manifest: Manifest, configType: string, layerType: string): Descriptor | undefined {
  if (isIndex(manifest) || manifest.config?.mediaType !== configType) return undefined;
  const layers: unknown = manifest.layers;
  if (!Array.isArray(layers) || layers.length !== 1) return undefined;
  const layer = layers[0] as Descriptor | null;
  if (typeof layer !== 'object' || layer === null || layer.mediaType !== layerType) return undefined;
  return titleOf(layer) === undefined ? layer : undefined;
}
