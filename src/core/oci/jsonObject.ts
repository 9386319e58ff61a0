// A JSON object from bytes someone else wrote (a signature envelope, an SBOM), or undefined for anything else.

export function parseJsonObject(bytes: Uint8Array | string | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
