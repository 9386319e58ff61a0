// The CycloneDX JSON schema of one specVersion, compiled as the CycloneDX library compiles it (the schemas it ships,
// their formats, no remote schemas) but with `uniqueItems` checked in one pass (linearUniqueItems.ts): the
// library's own validator compares every pair of components.
import { readFile } from 'node:fs/promises';
import Ajv, { type ValidateFunction } from 'ajv';
import { cyclonedxLibrary } from './cyclonedxLibrary';
import { addLinearUniqueItems, withLinearUniqueItems } from './linearUniqueItems';

/** Where the library keeps the schemas it ships (its resources module: untyped, and patched by esbuild.js). */
interface SchemaFiles {
  CDX: { JSON_SCHEMA: Record<string, string | undefined> };
  SPDX: { JSON_SCHEMA: string };
  CryptoDefs: { JSON_SCHEMA: string };
  JSF: { JSON_SCHEMA: string };
}

type FormatsPlugin = (ajv: Ajv, options?: { formats?: string[] }) => Ajv;

const readSchema = async (file: string): Promise<unknown> =>
  withLinearUniqueItems(JSON.parse(await readFile(file, 'utf8')) as unknown);

export async function compileCyclonedxSchema(version: string): Promise<ValidateFunction> {
  const FILES = (cyclonedxLibrary() as unknown as { _Resources?: { FILES?: SchemaFiles } })._Resources?.FILES;
  if (!FILES)
    throw new Error('the CycloneDX library no longer says where its schemas are; update cyclonedxValidator.ts');
  const file = FILES.CDX.JSON_SCHEMA[version];
  if (!file) throw new Error(`no CycloneDX ${version} JSON schema`);
  // The schemas the CycloneDX schema refers to, by the URIs it names them with.
  const referred = {
    'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': FILES.SPDX.JSON_SCHEMA,
    'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': FILES.CryptoDefs.JSON_SCHEMA,
    'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': FILES.JSF.JSON_SCHEMA,
  };
  const ajv = new Ajv({ strict: false, useDefaults: false, addUsedSchema: false });
  // Before any schema: a keyword added later would not be compiled into those added earlier.
  addLinearUniqueItems(ajv);
  (require('ajv-formats') as typeof import('ajv-formats')).default(ajv);
  (require('ajv-formats-draft2019') as FormatsPlugin)(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  for (const [uri, path] of Object.entries(referred)) ajv.addSchema((await readSchema(path)) as object, uri);
  return ajv.compile((await readSchema(file)) as object);
}
