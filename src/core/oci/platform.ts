// Platforms of an index's entries: how one is written ("linux/arm64/v8") and whether an entry is the one asked for.
import type { Platform } from './descriptor';

/** "linux/arm64/v8": os, architecture and variant as docker, skopeo and ORAS write them; undefined without both. */
export function platformText(platform: Partial<Platform> | undefined): string | undefined {
  if (!platform?.os || !platform.architecture) return undefined;
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Whether `entry` has every field `wanted` names, with the same value (fields `wanted` leaves out match any). */
export function platformMatches(entry: Platform | undefined, wanted: Partial<Platform>): boolean {
  return Object.entries(wanted).every(([key, value]) => entry?.[key as keyof Platform] === value);
}
