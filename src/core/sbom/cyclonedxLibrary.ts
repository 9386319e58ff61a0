// The CycloneDX library takes ~90 ms to load and only SBOM work needs it, so it loads on first use rather than
// when the CLI or the extension starts (a static import runs its module code at start-up in the bundle).
import type * as CycloneDx from '@cyclonedx/cyclonedx-library';

let loaded: typeof CycloneDx | undefined;

export function cyclonedxLibrary(): typeof CycloneDx {
  loaded ??= require('@cyclonedx/cyclonedx-library') as typeof CycloneDx;
  return loaded;
}
