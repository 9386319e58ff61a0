// Node's X509Certificate exposes `ca` and the extended key usages, but not the keyUsage bits, which extensions
// are critical, or the signature algorithm; the Notary spec rules on all three. This reads just those from the
// DER with a minimal TLV walker (no general ASN.1 decoding: only the fixed path Certificate → tbsCertificate →
// [3] extensions, and Certificate → signatureAlgorithm).

interface Tlv {
  tag: number;
  /** The value bytes. */
  value: Buffer;
  /** Offset just after this element. */
  end: number;
}

function readTlv(der: Buffer, offset: number): Tlv {
  if (offset + 2 > der.length) throw new Error('truncated DER');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > der.length) throw new Error('truncated DER');
  return { tag, value: der.subarray(start, start + length), end: start + length };
}

function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < value.length;) {
    const tlv = readTlv(value, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

const SEQUENCE = 0x30,
  OID = 0x06,
  BOOLEAN = 0x01,
  INTEGER = 0x02,
  OCTET_STRING = 0x04,
  BIT_STRING = 0x03,
  EXTENSIONS = 0xa3;

/** Dotted notation of a DER OBJECT IDENTIFIER value. */
function oidToString(value: Buffer): string {
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of value) {
    arc = arc * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(arc);
      arc = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

export interface Extension {
  critical: boolean;
  value: Buffer;
}

export interface CertificateDetails {
  signatureAlgorithm: string;
  extensions: Map<string, Extension>;
}

/** Parses the parts of a DER certificate the Notary rules need; throws on malformed DER. */
export function certificateDetails(der: Buffer): CertificateDetails {
  const certificate = readTlv(der, 0);
  if (certificate.tag !== SEQUENCE) throw new Error('not a DER certificate');
  const [tbs, algorithm] = children(certificate.value);
  if (tbs?.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE) throw new Error('not a DER certificate');
  const algorithmOid = children(algorithm.value)[0];
  const extensions = new Map<string, Extension>();
  const block = children(tbs.value).find((tlv) => tlv.tag === EXTENSIONS);
  const list = block ? children(block.value)[0] : undefined;
  for (const extension of list ? children(list.value) : []) {
    const parts = children(extension.value);
    const id = parts[0];
    if (id?.tag !== OID) continue;
    const critical = parts[1]?.tag === BOOLEAN && parts[1].value[0] !== 0;
    const value = parts.find((part) => part.tag === OCTET_STRING)?.value ?? Buffer.alloc(0);
    extensions.set(oidToString(id.value), { critical, value });
  }
  return { signatureAlgorithm: algorithmOid?.tag === OID ? oidToString(algorithmOid.value) : '', extensions };
}

export const Oid = {
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  ecdsaWithSha1: '1.2.840.10045.4.1',
} as const;

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** The names of the bits set in a keyUsage extension value (a DER BIT STRING). */
export function keyUsagesOf(extension: Extension): Set<KeyUsage> {
  const bits = readTlv(extension.value, 0);
  const set = new Set<KeyUsage>();
  if (bits.tag !== BIT_STRING) return set;
  const bytes = bits.value.subarray(1);
  KEY_USAGE_BITS.forEach((name, i) => {
    if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) set.add(name);
  });
  return set;
}

/** cA and pathLenConstraint from a basicConstraints extension value (SEQUENCE { BOOLEAN?, INTEGER? }). */
export function basicConstraintsOf(extension: Extension): { ca: boolean; pathLength?: number } {
  const sequence = readTlv(extension.value, 0);
  if (sequence.tag !== SEQUENCE) return { ca: false };
  let ca = false;
  let pathLength: number | undefined;
  for (const part of children(sequence.value)) {
    if (part.tag === BOOLEAN) ca = part.value[0] !== 0;
    if (part.tag === INTEGER && part.value.length <= 4) pathLength = part.value.reduce((n, byte) => n * 256 + byte, 0);
  }
  return { ca, pathLength };
}
