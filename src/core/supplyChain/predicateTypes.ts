// An attestation's predicate types: from its manifest where the manifest names them (annotations written by cosign,
// BuildKit, a Sigstore bundle), else from the in-toto statements it holds as plain layers (`stowage attach` or
// `oras attach` of a statement file, no DSSE envelope). The audit and the tree's rows read them the same way; each
// gives its own byte bound. Everything found is the store's text, unsigned, untrusted.
import { isIndex, MediaType, type Descriptor, type Manifest } from '../oci';
import { readSmallBlob, type ReadOnlyTarget } from '../content';
import { parseInTotoStatement } from '../sign';

/**
 * Annotations that name an attestation's predicate: a layer's (cosign's `.att`, BuildKit) or the manifest's (a
 * Sigstore bundle pushed by cosign v3 or GitHub's attest action).
 */
const PREDICATE_ANNOTATIONS = ['predicateType', 'in-toto.io/predicate-type', 'dev.sigstore.bundle.predicateType'];

/** Layers read for an in-toto statement when an attestation's manifest names no predicate type. */
const MAX_STATEMENT_LAYERS = 2;

/** Every predicate type an attestation manifest names (cosign's `.att` keeps one layer per attestation), once each. */
export function predicateTypesOf(manifest: Manifest, layers: readonly Descriptor[]): string[] {
  const found = new Set<string>();
  for (const annotations of [manifest.annotations, ...layers.map((layer) => layer?.annotations)])
    for (const key of PREDICATE_ANNOTATIONS) {
      const value = annotations?.[key];
      if (typeof value === 'string' && value) found.add(value);
    }
  return [...found];
}

/**
 * The predicate types of in-toto statements held as plain layers of at most `maxBytes`, when the manifest's
 * annotations name none (else nothing is read). A layer that is too large, unreadable or no statement gives nothing.
 */
export async function statementTypes(
  reads: ReadOnlyTarget,
  manifest: Manifest,
  maxBytes: number,
  signal: AbortSignal | undefined,
  /** How long one statement may take to read (readSmallBlob's default unless said). */
  deadlineMs?: number,
): Promise<string[]> {
  const layers = !isIndex(manifest) && Array.isArray(manifest.layers) ? manifest.layers : [];
  if (predicateTypesOf(manifest, layers).length) return [];
  const statements = layers
    .filter(
      (layer) =>
        typeof layer?.digest === 'string' &&
        typeof layer.size === 'number' &&
        layer.size <= maxBytes &&
        layer.mediaType !== MediaType.dsseEnvelope,
    )
    .slice(0, MAX_STATEMENT_LAYERS);
  const types: string[] = [];
  for (const layer of statements) {
    try {
      const statement = parseInTotoStatement(await readSmallBlob(reads, layer, signal, maxBytes, deadlineMs));
      if ('predicateType' in statement && statement.predicateType) types.push(statement.predicateType);
    } catch (err) {
      if (signal?.aborted) throw err;
    }
  }
  return types;
}
