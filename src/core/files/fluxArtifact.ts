// A Flux artifact as `flux push artifact` stores it: Flux's config type and one layer, the tar+gzip of the pushed
// folder, without a title. `flux pull artifact -o DIR` extracts that layer into DIR itself, so a pull does the
// same: the layer is unpacked into the folder pulled into, not under a name of its own.
import { isIndex, titleOf, type Descriptor, type Manifest, MediaType } from '../oci';

/** The layer a Flux pull extracts into the folder, or undefined when `manifest` is no Flux artifact of one such layer. */
export function fluxContentLayer(manifest: Manifest): Descriptor | undefined {
  if (isIndex(manifest) || manifest.config?.mediaType !== MediaType.fluxConfig) return undefined;
  const layers: unknown = manifest.layers;
  if (!Array.isArray(layers) || layers.length !== 1) return undefined;
  const layer = layers[0] as Descriptor | null;
  if (typeof layer !== 'object' || layer === null || layer.mediaType !== MediaType.fluxContent) return undefined;
  return titleOf(layer) === undefined ? layer : undefined;
}
