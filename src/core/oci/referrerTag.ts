// The tag names that hold referrers rather than artifacts a user tagged: the referrers fallback index
// (`sha256-<hex>`) and cosign's signature, attestation and SBOM tags (`sha256-<hex>.sig`, `.att`, `.sbom`).

/** Tags that only hold referrers (fallback indexes, cosign's signatures): shown under their subject, not as tags. */
export function isReferrerTag(tag: string): boolean {
  return /^sha(256-[a-f0-9]{64}|512-[a-f0-9]{128})(\.(sig|att|sbom))?$/.test(tag);
}
