// ORAS's `--distribution-spec v1.1-referrers-api|v1.1-referrers-tag` (attach, discover; cp's --from-/--to-
// forms): which way referrers are kept or read, instead of Stowage's default of every way.
import type { Target } from '../core/content';
import { RegistryTarget, probeReferrersApi } from '../core/registry';
import { UsageError, type OptionSpec } from './args';

export type DistributionSpec = 'v1.1-referrers-api' | 'v1.1-referrers-tag';

export function distributionSpecOption(description: string, name = 'distribution-spec'): OptionSpec {
  return {
    name,
    type: 'string',
    choices: ['v1.1-referrers-api', 'v1.1-referrers-tag'],
    description,
  };
}

/** The spec asked for; with the API one, fails (before anything is done) where the registry has no referrers API. */
export async function distributionSpecOf(
  options: Record<string, unknown>,
  target: Pick<Target, 'location'>,
  signal: AbortSignal,
  name = 'distribution-spec',
): Promise<DistributionSpec | undefined> {
  const spec = options[name] as DistributionSpec | undefined;
  if (spec !== 'v1.1-referrers-api') return spec;
  const api = target instanceof RegistryTarget && (await probeReferrersApi(target.client, target.repository, signal));
  if (!api)
    throw new UsageError(
      `${target.location} has no referrers API; drop --${name} (or pass v1.1-referrers-tag) to use the fallback tag`,
    );
  return spec;
}

/** Where the spec says referrers are read from (undefined: every place). */
export function referrersReadFrom(spec: DistributionSpec | undefined): 'api' | 'fallback-tag' | undefined {
  return spec === 'v1.1-referrers-api' ? 'api' : spec === 'v1.1-referrers-tag' ? 'fallback-tag' : undefined;
}
