import { counted, printable, shortDigest } from '../../core/oci';
import { SIGSTORE_OPTIONS } from '../sigstoreFlags';
import { describeNotAReferrer, JUDGED_PER_NODE, MAX_REFERRERS_READ } from '../../core/graph';
import {
  attestationLine,
  attestationsOfType,
  attestationsPass,
  MAX_SIGNATURE_CHECKS,
  verifyArtifactSignatures,
  type AttestationVerification,
  type SignatureVerification,
} from '../../core/supplyChain';
import { COSIGN_PREDICATE_TYPES, predicateTypeFor, signedBy } from '../../core/sign';
import { UsageError } from '../args';
import { print, printError, printJson, type Command } from '../command';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { trustFromFlags } from '../trustFlags';
import { asksForAllTags } from '../repositoryCopy';
import { AUDIT_OPTIONS, verifyRepository } from '../repositoryAudit';

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'verify the Notary, cosign and Sigstore bundle signatures of an artifact against trusted certificates, cosign public keys and a Sigstore trusted root; with --all-tags, of every tag of a repository, with its SBOMs and attestations',
  examples: [
    {
      does: "verify an image's Notary signature against a certificate",
      run: 'stowage verify localhost:5000/team/app:v1 --trust-cert keys/signing.crt.pem',
    },
    {
      does: 'verify its cosign signature with a public key',
      run: 'stowage verify localhost:5000/team/app:v1 --cosign-key cosign.pub',
    },
    {
      does: 'verify every tag, each also needing an SBOM',
      run: 'stowage verify --all-tags localhost:5000/team/app --trust-cert keys/signing.crt.pem --require sbom',
    },
  ],
  usage:
    'stowage verify <reference> [--trust-cert CERT.pem...] [--cosign-key KEY.pub...] [--sigstore-trusted-root trusted_root.json --certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] ISSUER] [--format json]\n       stowage verify <reference> --attestations [--type <predicate type>] [--cosign-key KEY.pub...] [Sigstore flags] [--format json]\n       stowage verify --all-tags|--tags <glob> <repository> [trust flags] [--require sbom|attestation|provenance] [--format json]',
  options: [
    ...COMMON_OPTIONS,
    OCI_LAYOUT_OPTION,
    {
      name: 'trust-cert',
      type: 'strings',
      valueName: 'file',
      description: 'PEM certificate (or bundle) trusted for Notary signatures; repeatable',
    },
    {
      name: 'cosign-key',
      type: 'strings',
      valueName: 'file',
      description:
        'PEM public key trusted for cosign signatures and key-based Sigstore bundles (ECDSA, RSA, Ed25519); repeatable',
    },
    ...SIGSTORE_OPTIONS,
    {
      name: 'attestations',
      type: 'boolean',
      description:
        "verify the attestations (in-toto statements in DSSE envelopes: cosign .att tags, OCI referrers, Sigstore bundles) instead of the signatures: each one's predicate type, signer and verdict; exit 0 when at least one verified and none failed",
    },
    {
      name: 'type',
      type: 'string',
      valueName: 'predicate',
      description: `with --attestations: only attestations of this predicate type, a URI or one of cosign's names (${Object.entries(
        COSIGN_PREDICATE_TYPES,
      )
        .map(([name, uri]) => `${name} = ${uri}`)
        .join(', ')})`,
    },
    ...AUDIT_OPTIONS,
    formatOption('text or json (one result per signature; with --all-tags, every tag with every field)'),
  ],
  arity: [1, 1],
  async run(context) {
    const { io, args, session, signal } = context;
    const trust = await trustFromFlags(args.options);
    if (asksForAllTags(args.options)) return verifyRepository(context, args.positionals[0]!, trust);
    if (args.options['require'] !== undefined)
      throw new UsageError('--require judges every tag of a repository: add --all-tags (or --tags <glob>)');
    const attestationsAsked = !!args.options['attestations'];
    const type = args.options['type'] as string | undefined;
    if (type !== undefined && !attestationsAsked)
      throw new UsageError('--type chooses attestations: add --attestations');
    const predicateType = type === undefined ? undefined : predicateTypeFor(type);
    if (type !== undefined && !predicateType)
      throw new UsageError(
        `--type takes a predicate type URI or one of cosign's names (${Object.keys(COSIGN_PREDICATE_TYPES).join(', ')}), not "${type}"`,
      );
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const subject = await target.resolve(tagOrDigest, { signal });
    const {
      signatures: results,
      notReferrers,
      truncated,
      unchecked,
      attestations,
    } = await verifyArtifactSignatures(target, subject, {
      ...trust,
      signal,
    });
    printError(io, [
      ...notReferrers.map((r) => `warning: ${describeNotAReferrer(r, 'verify')}`),
      ...(truncated
        ? [
            `error: not every referrer listed for ${subject.digest} was read (at most ${MAX_REFERRERS_READ} are kept, and ${JUDGED_PER_NODE * (MAX_REFERRERS_READ + 1)} listed entries judged); signatures among the rest were not checked, so this does not pass`,
          ]
        : []),
      ...(unchecked
        ? [
            `error: ${counted(unchecked, attestationsAsked ? 'signature or attestation' : 'signature')} of ${subject.digest} not checked (listed UNCHECKED): a verification checks at most ${MAX_SIGNATURE_CHECKS} signature layers (each signature of an envelope counting one), and the signatures before them used them; so this does not pass`,
          ]
        : []),
    ]);
    if (attestationsAsked)
      return reportAttestations(context, subject.digest, attestationsOfType(attestations, predicateType), {
        type: predicateType,
        complete: !truncated && !unchecked,
      });
    if (args.options['format'] === 'json') {
      printJson(
        io,
        results.map(({ kind, signature, layer, result }) => ({
          kind,
          signature: signature.digest,
          ...(layer ? { layer: layer.digest } : {}),
          ...result,
        })),
      );
    } else {
      // Named as the user wrote it (a tag means more to them than a digest), with the digest it named.
      const typed = args.positionals[0]!;
      const named = typed.includes(subject.digest) ? typed : `${typed} (${subject.digest})`;
      if (!results.length) print(io, `${named} has no signatures`);
      // An image with only attestations (gh attestation's provenance bundles) is not signed: say where they are.
      if (!results.length && attestations.length)
        printError(io, [
          `note: ${counted(attestations.length, 'attestation')} (statements about it, not signatures of it): stowage verify --attestations checks them`,
        ]);
      for (const verification of results) print(io, line(verification));
    }
    // Passing means: at least one verified signature and none that fails; unverifiable ones (no trust material
    // for their kind) are reported but decide nothing. Signatures not read (a listing cut at the read bound) could
    // be failing ones: that is no pass.
    const verified = results.filter((r) => r.result.ok).length;
    const failed = results.filter((r) => !r.result.ok && !r.result.unverifiable).length;
    return verified > 0 && failed === 0 && !truncated && !unchecked ? 0 : 1;
  },
};

// One line per signature, status first in a fixed-width column (Notary lines read as they always did).
function line({ kind, signature, layer, result }: SignatureVerification): string {
  const what = `${signature.digest}${kind === 'cosign' ? ` (cosign${layer ? ` layer ${shortDigest(layer.digest)}` : ''})` : kind === 'sigstore' ? ` (Sigstore bundle${layer ? ` ${shortDigest(layer.digest)}` : ''})` : ''}`;
  // The signer is the certificate's text (a subject or an identity of any length): cut as the editor and the
  // audit lines cut it, after everything Stowage writes before it.
  if (result.ok)
    return `verified  ${what} ${signedBy(result.signer, result.envelopeSignature, printable, result.signingTime?.toISOString())}`;
  return `${result.unverifiable ? 'UNCHECKED ' : 'FAILED    '}${what}: ${result.reasons.join('; ')}`;
}

/** `--attestations`: one line (or JSON object) per attestation, and the exit code by the signatures' rule. */
function reportAttestations(
  { io, args }: Parameters<Command['run']>[0],
  digest: string,
  attestations: readonly AttestationVerification[],
  { type, complete }: { type: string | undefined; complete: boolean },
): number {
  if (args.options['format'] === 'json') {
    printJson(
      io,
      attestations.map(({ kind, manifest, layer, result }) => ({
        kind,
        manifest: manifest.digest,
        ...(layer ? { layer: layer.digest } : {}),
        ...result,
      })),
    );
  } else {
    if (!attestations.length) print(io, `${digest} has no attestations${type ? ` of type ${type}` : ''}`);
    for (const attestation of attestations) print(io, attestationLine(attestation));
  }
  return attestationsPass(attestations) && complete ? 0 : 1;
}
