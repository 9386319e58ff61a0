// Amazon ECR's registry hosts, for the one behaviour of theirs a client has to route around: chunked uploads.
// ECR answers every PATCH of an upload after the first with 201 and drops its body (the Range it answers stops
// advancing, with or without Content-Range: aws/containers-roadmap#2831), so a blob pushed in chunks arrives
// short. Its own UploadLayerPart API takes parts of up to 20 MiB, but the registry API in front of it keeps only
// the first PATCH; one request for the whole blob (docker's single PATCH, or ORAS's PUT) works at any size.

/** Private registries `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`, their dual-stack `…dkr-ecr….on.aws`, and ECR Public. */
const ECR_HOST =
  /^\d{12}\.(?:dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.[a-z0-9-]+\.on\.aws)$/;

/** Whether `host` (as configured, a port allowed) is an Amazon ECR registry. */
export function isAmazonEcr(host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return name === 'public.ecr.aws' || ECR_HOST.test(name);
}
