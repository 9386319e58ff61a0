// A JSON schema for the parts of an SPDX 2.3 document that the SPDX 2.3 specification makes mandatory, written
// from the specification's field cardinalities (clauses 6–11). It checks that subset and the formats of the
// values it covers (identifiers, checksums, timestamps, enums); optional fields pass unchecked, so a document that
// passes is structurally sound, not fully conformant. Not checked: that file checksums include SHA1 (the text
// asks for it, the official JSON schema does not, and OCI layers only come with SHA-256), and cross-references
// between identifiers.

const spdxId = { type: 'string', pattern: '^SPDXRef-[A-Za-z0-9.-]+$' };
const elementRef = {
  type: 'string',
  pattern: '^(?:DocumentRef-[A-Za-z0-9.-]+:)?SPDXRef-[A-Za-z0-9.-]+$|^NOASSERTION$|^NONE$',
};
const utcTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' };

const checksum = {
  type: 'object',
  required: ['algorithm', 'checksumValue'],
  properties: {
    algorithm: {
      enum: [
        'SHA1',
        'SHA224',
        'SHA256',
        'SHA384',
        'SHA512',
        'SHA3-256',
        'SHA3-384',
        'SHA3-512',
        'MD2',
        'MD4',
        'MD5',
        'MD6',
        'BLAKE2b-256',
        'BLAKE2b-384',
        'BLAKE2b-512',
        'BLAKE3',
        'ADLER32',
      ],
    },
    checksumValue: { type: 'string', pattern: '^[0-9a-f]+$' },
  },
};

const RELATIONSHIP_TYPES = [
  'DESCRIBES',
  'DESCRIBED_BY',
  'CONTAINS',
  'CONTAINED_BY',
  'DEPENDS_ON',
  'DEPENDENCY_OF',
  'DEPENDENCY_MANIFEST_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'EXAMPLE_OF',
  'GENERATES',
  'GENERATED_FROM',
  'ANCESTOR_OF',
  'DESCENDANT_OF',
  'VARIANT_OF',
  'DISTRIBUTION_ARTIFACT',
  'PATCH_FOR',
  'PATCH_APPLIED',
  'COPY_OF',
  'FILE_ADDED',
  'FILE_DELETED',
  'FILE_MODIFIED',
  'EXPANDED_FROM_ARCHIVE',
  'DYNAMIC_LINK',
  'STATIC_LINK',
  'DATA_FILE_OF',
  'TEST_CASE_OF',
  'BUILD_TOOL_OF',
  'DEV_TOOL_OF',
  'TEST_OF',
  'TEST_TOOL_OF',
  'DOCUMENTATION_OF',
  'OPTIONAL_COMPONENT_OF',
  'METAFILE_OF',
  'PACKAGE_OF',
  'AMENDS',
  'PREREQUISITE_FOR',
  'HAS_PREREQUISITE',
  'REQUIREMENT_DESCRIPTION_FOR',
  'SPECIFICATION_FOR',
  'OTHER',
];

export const SPDX_23_SCHEMA = {
  type: 'object',
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string', minLength: 1 },
    // A unique absolute URI without a fragment.
    documentNamespace: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9+.-]*:[^#\\s]+$' },
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      properties: {
        created: utcTime,
        creators: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(?:Person|Organization|Tool): .+' },
        },
      },
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'name', 'downloadLocation'],
        properties: {
          SPDXID: spdxId,
          name: { type: 'string', minLength: 1 },
          downloadLocation: { type: 'string', minLength: 1 },
          filesAnalyzed: { type: 'boolean' },
          checksums: { type: 'array', items: checksum },
        },
      },
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'fileName', 'checksums'],
        properties: {
          SPDXID: spdxId,
          fileName: { type: 'string', minLength: 1 },
          checksums: { type: 'array', minItems: 1, items: checksum },
        },
      },
    },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['spdxElementId', 'relationshipType', 'relatedSpdxElement'],
        properties: {
          spdxElementId: elementRef,
          relationshipType: { enum: RELATIONSHIP_TYPES },
          relatedSpdxElement: elementRef,
        },
      },
    },
  },
} as const;
