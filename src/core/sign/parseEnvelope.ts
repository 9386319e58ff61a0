// Reads a Notary JWS envelope (flattened JSON serialization) into its parts, without trusting any of them yet.
import type { X509Certificate } from 'node:crypto';
import { fromX5c } from './certificates';
import { fromBase64url } from './notary';
import { parseJsonObject } from '../oci';

export interface ParsedEnvelope {
  /** The base64url texts exactly as received: the signing input is built from them, not re-encoded. */
  protectedPart: string;
  payloadPart: string;
  protectedHeader: Record<string, unknown>;
  signature: Buffer;
  /** The x5c certificates, leaf first. */
  chain: X509Certificate[];
}

// The spec allows no other top-level members than these four.
const ENVELOPE_MEMBERS = ['header', 'payload', 'protected', 'signature'];

export function parseEnvelope(bytes: Buffer): ParsedEnvelope | { problem: string } {
  const envelope = parseJsonObject(bytes);
  if (!envelope) return { problem: 'the envelope is not a JSON object (flattened JWS JSON serialization expected)' };
  const members = Object.keys(envelope);
  const unexpected = members.filter((member) => !ENVELOPE_MEMBERS.includes(member));
  const missing = ENVELOPE_MEMBERS.filter((member) => !members.includes(member));
  if (missing.length || unexpected.length) {
    return {
      problem:
        `the envelope must have exactly ${ENVELOPE_MEMBERS.join(', ')}` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (unexpected.length ? `; unexpected ${unexpected.join(', ')}` : ''),
    };
  }
  const { payload, protected: protectedPart, header, signature } = envelope;
  if (typeof payload !== 'string' || typeof protectedPart !== 'string' || typeof signature !== 'string') {
    return { problem: 'payload, protected and signature must be base64url strings' };
  }
  const protectedHeader = parseJsonObject(fromBase64url(protectedPart));
  if (!protectedHeader) return { problem: 'the protected header is not base64url-encoded JSON' };
  const signatureBytes = fromBase64url(signature);
  if (!signatureBytes) return { problem: 'the signature is not base64url' };
  if (!header || typeof header !== 'object' || Array.isArray(header))
    return { problem: 'the unprotected header is missing' };
  const x5c = fromX5c((header as Record<string, unknown>).x5c);
  if ('problem' in x5c) return x5c;
  return { protectedPart, payloadPart: payload, protectedHeader, signature: signatureBytes, chain: x5c.chain };
}
