// Stowage's version, the one source for `stowage --version`, the Notary signing agent and SBOM tool entries.
// It must equal package.json's "version" (a unit test checks), which the marketplace and npm read.
export const STOWAGE_VERSION = '0.1.0';
