// What a cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`) is about. Such manifests carry no `subject`, and the tag
// is anyone's claim: whoever can push can point `sha256-<A>.sig` at any manifest, even another image's signature.
// The content decides where it can: a signature's simple-signing payloads name the signed digest, an
// attestation's in-toto statements name their subjects; an SBOM names nothing, so only its layers' media types
// are checked (a forged tag at an image or a signature is still refused).
import { type Descriptor, type Manifest, isIndex, MediaType, OciError } from '../oci';
import { readSmallBlob, type ReadOnlyTarget } from '../content';
import { artifactFamilyOf } from './artifactKind';
import { MAX_COSIGN_PAYLOAD_BYTES, parseSimpleSigningPayload } from './cosignPayload';

/** Attestation envelopes hold a statement and its predicate (provenance, scan results): small, but not tiny. */
const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

/** Undefined when the cosign tag's manifest is about `subject`; else why it is not, in words safe to show. */
export async function cosignTagProblem(
  target: ReadOnlyTarget,
  tag: string,
  manifest: Manifest,
  subject: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (isIndex(manifest) || !Array.isArray(manifest.layers) || manifest.layers.length === 0)
    return 'it has no layers a cosign tag would hold';
  try {
    return await contentProblem(target, tag, manifest.layers, subject, signal);
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND') || OciError.is(err, 'SIZE_EXCEEDED') || OciError.is(err, 'DIGEST_MISMATCH'))
      return `its content cannot be read (${err.message})`;
    throw err;
  }
}

async function contentProblem(
  target: ReadOnlyTarget,
  tag: string,
  layers: readonly Descriptor[],
  subject: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const kind = tag.slice(tag.lastIndexOf('.') + 1);
  if (kind === 'sig') return firstProblem(layers, (layer) => signatureProblem(target, layer, subject, signal));
  if (kind === 'att') return firstProblem(layers, (layer) => attestationProblem(target, layer, subject, signal));
  if (kind === 'sbom')
    return firstProblem(layers, async (layer) =>
      // The one classifier that groups SBOMs in the tree and the graph, applied to the layer's type.
      artifactFamilyOf({ ...layer, artifactType: layer.mediaType }) === 'sbom'
        ? undefined
        : `a layer of type ${layer.mediaType} is no SBOM`,
    );
  return `.${kind} is no cosign tag`;
}

async function firstProblem(
  layers: readonly Descriptor[],
  check: (layer: Descriptor) => Promise<string | undefined>,
): Promise<string | undefined> {
  for (const layer of layers) {
    const problem = await check(layer);
    if (problem) return problem;
  }
  return undefined;
}

async function signatureProblem(
  target: ReadOnlyTarget,
  layer: Descriptor,
  subject: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (layer.mediaType !== MediaType.cosignSimpleSigning) return `a layer of type ${layer.mediaType} is no signature`;
  if (layer.size > MAX_COSIGN_PAYLOAD_BYTES) return 'a payload is larger than a signature payload may be';
  const payload = parseSimpleSigningPayload(await readSmallBlob(target, layer, signal, MAX_COSIGN_PAYLOAD_BYTES));
  if ('problem' in payload) return payload.problem;
  return payload.manifestDigest === subject ? undefined : `its payload signs ${payload.manifestDigest}`;
}

async function attestationProblem(
  target: ReadOnlyTarget,
  layer: Descriptor,
  subject: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (layer.mediaType !== MediaType.dsseEnvelope) return `a layer of type ${layer.mediaType} is no attestation`;
  if (layer.size > MAX_ENVELOPE_BYTES) return 'an envelope is larger than an attestation may be';
  const [algorithm, encoded] = subject.split(':') as [string, string];
  try {
    const envelope = JSON.parse((await readSmallBlob(target, layer, signal, MAX_ENVELOPE_BYTES)).toString('utf8'));
    const statement = JSON.parse(Buffer.from(String(envelope?.payload ?? ''), 'base64').toString('utf8'));
    const subjects: unknown[] = Array.isArray(statement?.subject) ? statement.subject : [];
    const names = subjects.some(
      (s) => (s as { digest?: Record<string, unknown> } | null)?.digest?.[algorithm] === encoded,
    );
    return names ? undefined : `its statement is about other subjects`;
  } catch {
    return 'an envelope is not a DSSE envelope holding an in-toto statement';
  }
}
