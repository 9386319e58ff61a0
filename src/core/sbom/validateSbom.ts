// Validates an SBOM: CycloneDX with the CycloneDX library's JSON schema for the document's own specVersion,
// SPDX 2.3 with Stowage's schema of the specification's required fields (see spdx23Schema.ts).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { compileCyclonedxSchema } from './cyclonedxValidator';
import { MAX_JSON_DEPTH, offsetBeyondDepth, parseJsonObject, sbomTypeOf } from '../oci';
import { SPDX_23_SCHEMA } from './spdx23Schema';

export interface SbomProblem {
  /** JSON pointer of the offending value ('' for the whole document). */
  path: string;
  message: string;
}

const CYCLONEDX_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'];

// Compiling a schema takes a second or more; keep each compiled validator for the life of the process.
let spdxValidator: ValidateFunction | undefined;
const cyclonedxValidators = new Map<string, Promise<ValidateFunction>>();

function describe(errors: readonly ErrorObject[]): SbomProblem[] {
  return errors.map((error) => {
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'additionalProperties') message += ` "${String(params.additionalProperty)}"`;
    const allowed = params.allowedValues as unknown[] | undefined;
    if (error.keyword === 'enum' && allowed)
      message +=
        allowed.length <= 12
          ? `: ${allowed.join(', ')}`
          : ` (${allowed.length} values, e.g. ${allowed.slice(0, 3).join(', ')})`;
    if (error.keyword === 'const') message += ` ${JSON.stringify(params.allowedValue)}`;
    return { path: error.instancePath, message };
  });
}

export async function validateSbom(bytes: Uint8Array | string): Promise<SbomProblem[]> {
  const document = parseJsonObject(bytes);
  if (!document) return [{ path: '', message: 'not a JSON object' }];
  // The validators recurse over the value: a file nested thousands deep would exhaust the stack.
  if (offsetBeyondDepth(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')) !== undefined)
    return [{ path: '', message: `nested deeper than ${MAX_JSON_DEPTH} levels; not validated` }];
  return validateSbomDocument(document);
}

/** validateSbom of a document already parsed, and known to be nested no deeper than MAX_JSON_DEPTH. */
export async function validateSbomDocument(document: Record<string, unknown>): Promise<SbomProblem[]> {
  switch (sbomTypeOf(document)) {
    case 'spdx': {
      if (document.spdxVersion !== 'SPDX-2.3') {
        return [
          {
            path: '/spdxVersion',
            message: `${String(document.spdxVersion)} is not checked; Stowage validates SPDX-2.3`,
          },
        ];
      }
      spdxValidator ??= new Ajv({ allErrors: true, strict: true }).compile(SPDX_23_SCHEMA);
      return spdxValidator(document) ? [] : describe(spdxValidator.errors ?? []);
    }
    case 'cyclonedx': {
      const version = document.specVersion;
      if (typeof version !== 'string' || !CYCLONEDX_VERSIONS.includes(version)) {
        return [
          {
            path: '/specVersion',
            message: `CycloneDX specVersion ${JSON.stringify(version)} is not one of ${CYCLONEDX_VERSIONS.join(', ')}`,
          },
        ];
      }
      let compiling = cyclonedxValidators.get(version);
      if (!compiling) {
        compiling = compileCyclonedxSchema(version);
        cyclonedxValidators.set(version, compiling);
        compiling.catch(() => cyclonedxValidators.delete(version));
      }
      const validator = await compiling;
      return validator(document) ? [] : describe(validator.errors ?? []);
    }
    default:
      return [
        { path: '', message: 'neither SPDX JSON (spdxVersion "SPDX-…") nor CycloneDX JSON (bomFormat "CycloneDX")' },
      ];
  }
}
