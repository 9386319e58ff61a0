// How generated SBOMs name the tool that wrote them.
import { STOWAGE_VERSION } from '../oci';

export const SBOM_TOOL_NAME = 'Stowage';
export const SBOM_TOOL_VERSION = STOWAGE_VERSION;
