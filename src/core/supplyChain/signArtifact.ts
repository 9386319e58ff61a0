// Signs an artifact with a local key and certificate chain and attaches the Notary signature as a referrer.
import type { Descriptor } from '../oci';
import { buildSignatureManifest, signDescriptor, type SignOptions } from '../sign';
import type { Target } from '../content';
import { pushReferrer } from './pushReferrer';

export interface SignArtifactOptions extends SignOptions {
  signal?: AbortSignal;
}

/** Returns the signature manifest's descriptor. */
export async function signArtifact(
  target: Target,
  subject: Descriptor,
  options: SignArtifactOptions,
): Promise<Descriptor> {
  // Only what identifies the content is signed: a layout's ref.name annotation is not part of the artifact.
  const signed: Descriptor = { mediaType: subject.mediaType, digest: subject.digest, size: subject.size };
  const envelope = signDescriptor(signed, options);
  const signature = buildSignatureManifest(signed, envelope, options.certChain, { created: options.signingTime });
  return pushReferrer(target, signature, signature.blobs, options.signal);
}
