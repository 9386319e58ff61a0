// How much a registry may make us fetch, hold and wait for. A hostile or broken registry can answer with
// endless next-page links, bodies of gigabytes or one byte every few seconds; these bounds turn that into a
// clear error. Defaults are far above what real registries send; each bound has a CLI flag and an editor
// setting, and every error names both so the user knows what to raise.
import { OciError } from '../oci';

export interface RegistryLimits {
  /** Pages one listing (tags, catalog, referrers) may take. */
  maxPages: number;
  /** Entries one listing may hold in total. */
  maxItems: number;
  /** Bytes of all pages of one listing together. */
  maxListingBytes: number;
  /** Bytes of any one JSON answer (a listing page, a capability probe). Manifests keep their own 4 MiB. */
  maxResponseBytes: number;
  /**
   * Overall deadline of one request that is not a blob transfer, headers and body together. The idle (stall)
   * timeout alone lets a server that trickles a byte now and then hold a request forever.
   */
  requestTimeoutMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<RegistryLimits> = Object.freeze({
  maxPages: 10_000,
  maxItems: 1_000_000,
  maxListingBytes: 256 * MiB,
  maxResponseBytes: 32 * MiB,
  requestTimeoutMs: 120_000,
});

/** A token answer is a few KiB (JWTs of the large clouds stay under 8 KiB); it is sent back on every request. */
export const MAX_TOKEN_BYTES = 64 * 1024;
/** The whole token answer: the token, maybe again as access_token, a refresh token and a little JSON. */
export const MAX_TOKEN_ANSWER_BYTES = 4 * MAX_TOKEN_BYTES;
/** Error bodies are only quoted (a short excerpt), so the rest is not read. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The CLI flag and the editor setting that change each bound (the setting in the unit it is written in). */
export const LIMIT_CONTROLS: Readonly<Record<keyof RegistryLimits, { flag: string; setting: string }>> = Object.freeze({
  maxPages: { flag: '--max-pages', setting: 'stowage.limits.maxPages' },
  maxItems: { flag: '--max-items', setting: 'stowage.limits.maxItems' },
  maxListingBytes: { flag: '--max-listing-mib', setting: 'stowage.limits.maxListingMiB' },
  maxResponseBytes: { flag: '--max-response-mib', setting: 'stowage.limits.maxResponseMiB' },
  requestTimeoutMs: { flag: '--request-timeout', setting: 'stowage.limits.requestTimeoutSeconds' },
});

/** "raise it with --max-pages (CLI) or the setting stowage.limits.maxPages (editor)". */
export function howToRaise(limit: keyof RegistryLimits): string {
  const { flag, setting } = LIMIT_CONTROLS[limit];
  return `raise it with ${flag} (CLI) or the setting ${setting} (editor)`;
}

export function resolveLimits(given: Partial<RegistryLimits> = {}): RegistryLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof RegistryLimits)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0)
      throw new OciError(
        'USAGE',
        `${LIMIT_CONTROLS[key].flag} / ${LIMIT_CONTROLS[key].setting} must be a positive number, not ${value}`,
      );
    limits[key] = value;
  }
  return limits;
}

export function formatBytesShort(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Blob transfers have no overall deadline (a gigabyte on a slow link is legitimate); instead a download must
 * deliver at least this many bytes per second, averaged over each window. It catches a registry that trickles
 * a byte every few seconds, which the idle timeout never does; a real slow link is far above 1 KiB/s.
 */
export interface MinimumThroughput {
  bytesPerSecond: number;
  windowMs: number;
}

export const DEFAULT_MIN_THROUGHPUT: Readonly<MinimumThroughput> = Object.freeze({
  bytesPerSecond: 1024,
  windowMs: 60_000,
});
