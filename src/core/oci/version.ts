// Stowage's version, read from package.json (the one place it is written, which the marketplace and npm read):
// `stowage --version`, the Notary signing agent and SBOM tool entries. The bundles carry only this field.
import { version } from '../../../package.json';

export const STOWAGE_VERSION: string = version;
