// Proves the JSON schema files: valid draft-07, one shared set of definitions, and in agreement with the
// linter on the valid corpus (the editor validates with these files alone).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { detectKind, lintReport, SCHEMAS } from '../../../src/core/lint';
import { corpus } from './corpus';

const SCHEMA_DIR = path.resolve(__dirname, '../../../../schemas');
const files = fs
  .readdirSync(SCHEMA_DIR)
  .filter((name) => name.endsWith('.schema.json'))
  .sort();
const schemas = files.map((name) => ({
  name,
  schema: JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8')) as Record<string, unknown>,
}));

describe('lint JSON schema files', () => {
  it('are the schemas the linter uses, one per document kind', () => {
    assert.equal(files.length, Object.keys(SCHEMAS).length);
    const ids = new Set(Object.values(SCHEMAS).map((schema) => (schema as { $id: string }).$id));
    for (const { name, schema } of schemas) assert.ok(ids.has(schema.$id as string), name);
  });

  it('are valid draft-07 schemas with an $id matching the file name', () => {
    const ajv = new Ajv({ strict: true });
    for (const { name, schema } of schemas) {
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#', name);
      assert.ok((schema.$id as string).endsWith(`/${name}`), name);
      assert.ok(ajv.validateSchema(schema), `${name}: ${ajv.errorsText()}`);
    }
  });

  it('define each shared piece (descriptor, digest, platform, ...) the same way in every file', () => {
    const seen = new Map<string, { file: string; text: string }>();
    for (const { name, schema } of schemas) {
      for (const [key, definition] of Object.entries((schema.definitions ?? {}) as Record<string, unknown>)) {
        const text = JSON.stringify(definition);
        const first = seen.get(key);
        if (first) assert.equal(text, first.text, `definitions.${key} differs between ${first.file} and ${name}`);
        else seen.set(key, { file: name, text });
      }
    }
  });

  it('accept every valid corpus document of their kind on their own', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time', 'uri']);
    for (const file of corpus('valid')) {
      const kind = lintReport(file.text, { fileName: file.name }).kind;
      assert.notEqual(kind, 'unknown', file.name);
      const validate =
        ajv.getSchema((SCHEMAS[kind as keyof typeof SCHEMAS] as { $id: string }).$id) ??
        ajv.compile(SCHEMAS[kind as keyof typeof SCHEMAS]);
      assert.ok(validate(JSON.parse(file.text)), `${file.name}: ${ajv.errorsText(validate.errors)}`);
      assert.equal(detectKind(JSON.parse(file.text), { fileName: file.name }), kind);
    }
  });

  it("accept a manifest without layers (deliberately unlike image-spec's own schema)", () => {
    const ajv = new Ajv({ strict: true });
    addFormats(ajv, ['date-time', 'uri']);
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.x',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [],
    };
    assert.ok(ajv.compile(SCHEMAS.ociManifest)(manifest));
  });
});
