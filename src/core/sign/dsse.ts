// DSSE envelopes (secure-systems-lab/dsse, envelope.md and protocol.md): what an attestation's signature covers
// (the pre-authentication encoding of payloadType and payload) and a strict, capped reading of an envelope from a
// registry. Nothing read here is trusted: the signatures are checked by the caller.
import { parseJsonObject } from '../oci';

/** An envelope's JSON is capped before it is parsed: an SBOM attestation is big, but not this big. */
export const MAX_DSSE_ENVELOPE_BYTES = 4 * 1024 * 1024;
/** Signatures read of one envelope (cosign writes one). */
export const MAX_DSSE_SIGNATURES = 16;

export interface DsseSignature {
  keyid?: string;
  sig: Buffer;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: DsseSignature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes as ASCII decimal. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Standard or URL-safe base64, padded or not (the DSSE spec accepts both); undefined for anything else. */
function decodeBase64(text: unknown): Buffer | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(standard, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === standard ? bytes : undefined;
}

/** A value from the envelope, quoted and cut, for a reason (the caller escapes it before any terminal). */
export function quoted(value: unknown, length = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

export function parseDsseEnvelope(bytes: Buffer): DsseEnvelope | { problem: string } {
  if (bytes.length > MAX_DSSE_ENVELOPE_BYTES)
    return { problem: `the DSSE envelope is ${bytes.length} bytes, more than the ${MAX_DSSE_ENVELOPE_BYTES} allowed` };
  const json = parseJsonObject(bytes);
  if (!json) return { problem: 'the DSSE envelope is not a JSON object' };
  const { payloadType, payload, signatures } = json as Record<string, unknown>;
  if (typeof payloadType !== 'string') return { problem: 'the DSSE envelope has no payloadType' };
  const decoded = decodeBase64(payload);
  if (!decoded) return { problem: 'the DSSE envelope payload is not base64' };
  if (!Array.isArray(signatures) || !signatures.length) return { problem: 'the DSSE envelope has no signatures' };
  if (signatures.length > MAX_DSSE_SIGNATURES)
    return {
      problem: `the DSSE envelope has ${signatures.length} signatures, more than the ${MAX_DSSE_SIGNATURES} read`,
    };
  const read: DsseSignature[] = [];
  for (const entry of signatures as unknown[]) {
    const fields = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const sig = decodeBase64(fields.sig);
    if (!sig?.length) return { problem: 'a DSSE envelope signature is not base64' };
    read.push({ sig, ...(typeof fields.keyid === 'string' && fields.keyid ? { keyid: fields.keyid } : {}) });
  }
  return { payloadType, payload: decoded, signatures: read };
}
