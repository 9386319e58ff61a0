// JSON schemas (files in /schemas, also contributed to the editor) compiled once, lazily, per document kind,
// and ajv's errors turned into problems at the offending value or key.
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import contentDescriptor from '../../../schemas/content-descriptor.schema.json';
import dockerManifestList from '../../../schemas/docker-manifest-list.schema.json';
import dockerManifest from '../../../schemas/docker-manifest.schema.json';
import imageConfig from '../../../schemas/image-config.schema.json';
import imageIndex from '../../../schemas/image-index.schema.json';
import imageLayoutIndex from '../../../schemas/image-layout-index.schema.json';
import imageManifest from '../../../schemas/image-manifest.schema.json';
import ociLayout from '../../../schemas/oci-layout.schema.json';
import type { DocumentKind } from './detect';
import { formatPath } from './paths';
import type { Locator } from './positions';
import type { JsonPath, Problem } from './problem';

export const SCHEMAS: Record<Exclude<DocumentKind, 'unknown'>, object> = {
  ociManifest: imageManifest,
  ociIndex: imageIndex,
  layoutIndex: imageLayoutIndex,
  dockerManifest,
  dockerManifestList,
  imageConfig,
  ociLayout,
  descriptor: contentDescriptor,
};

let ajv: Ajv | undefined;
const validators = new Map<DocumentKind, ValidateFunction>();

function validatorFor(kind: Exclude<DocumentKind, 'unknown'>): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    if (!ajv) {
      // Loaded on the first document linted, not when the extension starts: ajv's modules cost more at load than
      // the rest of the linter (the bundler keeps a require inside a function lazy).
      const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
      const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
      ajv = new AjvClass({ allErrors: true, strict: true });
      addFormats(ajv, ['date-time', 'uri']);
    }
    validate = ajv.compile(SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}

export function schemaProblems(kind: DocumentKind, value: unknown, locator: Locator): Problem[] {
  if (kind === 'unknown') return [];
  const validate = validatorFor(kind);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => problemOf(error, locator));
}

function problemOf(error: ErrorObject, locator: Locator): Problem {
  const at = locator.pathOfPointer(error.instancePath);
  const code = `schema-${error.keyword}`;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const path: JsonPath = [...at, missing];
    return {
      severity: 'error',
      code,
      message: `${describe(at)} lacks the required property "${missing}".`,
      path,
      ...locator.missing(path),
    };
  }
  return { severity: 'error', code, message: `${describe(at)} ${explain(error)}.`, path: at, ...locator.value(at) };
}

function describe(path: JsonPath): string {
  return path.length ? `"${formatPath(path)}"` : 'The document';
}

function explain(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be of type ${String(params.type).replace(',', ' or ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return 'has an invalid format';
    case 'format':
      return `must be a valid ${params.format === 'date-time' ? 'RFC 3339 date-time' : String(params.format)}`;
    case 'minimum':
    case 'maximum':
      return `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
    default:
      return error.message ?? 'is invalid';
  }
}
