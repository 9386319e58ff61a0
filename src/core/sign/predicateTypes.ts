// cosign's short names for attestation predicate types (`cosign attest|verify-attestation --type`, its
// options/predicate.go), so that `--type slsaprovenance1` asks for what cosign would write for it. Anything else
// given must be a URI, compared as written.
export const COSIGN_PREDICATE_TYPES: Readonly<Record<string, string>> = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

/** cosign v3 signs an image with a DSSE bundle of this predicate: a signature, not an attestation. */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

/** The predicate type URI a short name or a URI stands for; undefined for anything else. */
export function predicateTypeFor(value: string): string | undefined {
  const known = COSIGN_PREDICATE_TYPES[value];
  if (known) return known;
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value) ? value : undefined;
}
