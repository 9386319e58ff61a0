// How generated SBOMs name the tool that wrote them.
export const SBOM_TOOL_NAME = 'Stowage';
export const SBOM_TOOL_VERSION = '0.1.0';
