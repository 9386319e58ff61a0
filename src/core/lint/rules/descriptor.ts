// Rules for every descriptor: digest, size, mediaType and artifactType, the empty descriptor, embedded data.
import { Buffer } from 'node:buffer';
import { isDigest, type Algorithm, EMPTY_DESCRIPTOR, EMPTY_DIGEST, MediaType, mediaTypeProblem } from '../../oci';
import { digestOf } from '../../content';
import type { DescriptorSite } from '../descriptors';
import { replaceValueFix, setValueFix } from '../fixes';
import { isMediaType, suggestMediaType } from '../mediaTypeNames';
import { formatPath, pathKey } from '../paths';
import type { Fix, JsonPath } from '../problem';
import type { RuleContext } from './context';
import { checkDigest } from './digest';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function descriptorRules(context: RuleContext): void {
  for (const site of context.sites) {
    // Paths are built only for problems: a 5,000-entry index has 20,000 of these fields.
    checkMediaTypeField(context, site.path, 'mediaType', site.value.mediaType);
    checkMediaTypeField(context, site.path, 'artifactType', site.value.artifactType);
    if (site.value.mediaType === MediaType.ociEmpty) {
      // Its digest, size and data are fixed: one problem (and one fix) says it all.
      checkEmptyDescriptor(context, site);
    } else {
      checkDigest(context, site.path, 'digest', site.value.digest);
      checkSize(context, site.path, 'size', site.value.size);
      if (site.value.data !== undefined) checkData(context, site);
    }
  }
  // A document's own artifactType (manifests and indexes) follows the same grammar.
  if (context.kind !== 'descriptor') checkMediaTypeField(context, [], 'artifactType', context.document.artifactType);
}

/** RFC 6838 grammar (error) and near-misses of well-known types (warning with a fix). */
export function checkMediaTypeField(context: RuleContext, parent: JsonPath, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const valid = isMediaType(value);
  const suggestion = suggestMediaType(value);
  if (valid && !suggestion) return;
  const path = [...parent, field];
  if (!valid) {
    context.report(
      'error',
      'media-type-invalid',
      `${formatPath(path)} "${value}" is not a media type (type/subtype, RFC 6838): ${mediaTypeProblem(value)}${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
      path,
      undefined,
      suggestion ? replaceValueFix(`Replace with "${suggestion}"`, context.locator, path, suggestion) : undefined,
    );
    return;
  }
  if (suggestion) {
    context.report(
      'warning',
      'media-type-typo',
      `${formatPath(path)} "${value}" is not a known type; did you mean "${suggestion}"?`,
      path,
      undefined,
      replaceValueFix(`Replace with "${suggestion}"`, context.locator, path, suggestion),
    );
  }
}

const DECIMAL_DIGITS = /^(?:0|[1-9][0-9]*)$/;

function checkSize(context: RuleContext, parent: JsonPath, field: string, value: unknown): void {
  if (typeof value === 'string' && DECIMAL_DIGITS.test(value) && Number.isSafeInteger(Number(value))) {
    // Quoted by hand, or by a template that quotes everything: registries refuse it as a bare MANIFEST_INVALID.
    const path = [...parent, field];
    context.report(
      'error',
      'size-invalid',
      `${formatPath(path)} is the string "${value}"; a size is a plain integer, not quoted.`,
      path,
      undefined,
      replaceValueFix(`Write it as ${value}`, context.locator, path, Number(value)),
    );
    return;
  }
  if (typeof value !== 'number') return; // missing or of another type: the schema reports it
  const written =
    context.nonIntegerLiterals.size === 0
      ? 'integer'
      : context.nonIntegerLiterals.has(pathKey([...parent, field]))
        ? 'decimal'
        : 'integer';
  if (Number.isSafeInteger(value) && value >= 0 && written === 'integer') return;
  const path = [...parent, field];
  const where = formatPath(path);
  if (value < 0) {
    context.report('error', 'size-invalid', `${where} is negative (${value}); sizes count bytes.`, path);
  } else if (written === 'decimal') {
    const node = context.locator.node(path);
    const raw = node ? context.text.slice(node.offset, node.offset + node.length) : String(value);
    context.report(
      'error',
      'size-invalid',
      `${where} is written as ${raw}; a size is a plain integer.`,
      path,
      undefined,
      Number.isSafeInteger(value) ? replaceValueFix(`Write it as ${value}`, context.locator, path, value) : undefined,
    );
  } else if (!Number.isSafeInteger(value)) {
    context.report('error', 'size-invalid', `${where} is beyond 2^53 - 1, where JSON readers lose precision.`, path);
  }
}

function checkEmptyDescriptor(context: RuleContext, site: DescriptorSite): void {
  const expected: Record<string, unknown> = { digest: EMPTY_DIGEST, size: EMPTY_DESCRIPTOR.size };
  if (site.value.data !== undefined) expected.data = EMPTY_DESCRIPTOR.data;
  const wrong = Object.keys(expected).filter((field) => site.value[field] !== expected[field]);
  if (!wrong.length) return;
  const path = [...site.path, wrong[0]!];
  const nodes = wrong.map((field) => context.locator.node([...site.path, field]));
  // Replacing the wrong values keeps the layout; only a missing field needs the descriptor rewritten.
  const fix: Fix = nodes.every((node) => node !== undefined)
    ? {
        title: 'Replace with the empty descriptor',
        edits: nodes.map((node, i) => ({
          offset: node!.offset,
          length: node!.length,
          newText: JSON.stringify(expected[wrong[i]!]),
        })),
      }
    : setValueFix('Replace with the empty descriptor', context.text, site.path, { ...site.value, ...expected });
  context.report(
    'error',
    'empty-descriptor',
    `${formatPath(path)} is wrong for "${MediaType.ociEmpty}": its content is {} (digest ${EMPTY_DIGEST}, size 2).`,
    path,
    nodes[0] ? undefined : context.locator.missing(path),
    fix,
  );
}

function checkData(context: RuleContext, site: DescriptorSite): void {
  const path = [...site.path, 'data'];
  const { data, size, digest } = site.value;
  if (typeof data !== 'string') return;
  if (!BASE64.test(data)) {
    context.report('error', 'data-not-base64', `${formatPath(path)} is not valid base64.`, path);
    return;
  }
  const bytes = Buffer.from(data, 'base64');
  if (typeof size === 'number' && bytes.length !== size) {
    context.report(
      'error',
      'data-size-mismatch',
      `${formatPath(path)} decodes to ${bytes.length} bytes but size says ${size}.`,
      path,
      undefined,
      replaceValueFix(`Set size to ${bytes.length}`, context.locator, [...site.path, 'size'], bytes.length),
    );
  }
  if (typeof digest === 'string' && isDigest(digest)) {
    const actual = digestOf(bytes, digest.slice(0, digest.indexOf(':')) as Algorithm);
    if (actual !== digest) {
      context.report(
        'error',
        'data-digest-mismatch',
        `${formatPath(path)} hashes to ${actual}, not to the declared digest.`,
        path,
        undefined,
        replaceValueFix('Set digest to the digest of data', context.locator, [...site.path, 'digest'], actual),
      );
    }
  }
}
