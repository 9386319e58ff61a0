// Platforms of index entries: os and architecture are required and not empty when a platform is given.
import { isObject } from '../detect';
import { formatPath } from '../paths';
import type { RuleContext } from './context';

export function platformRules(context: RuleContext): void {
  for (const site of context.sites) {
    if (site.role !== 'manifest' || site.value.platform === undefined) continue;
    const path = [...site.path, 'platform'];
    const platform = site.value.platform;
    if (!isObject(platform)) continue; // the schema reports the type
    for (const field of ['os', 'architecture'] as const) {
      const value = platform[field];
      if (value === undefined) {
        context.report(
          'error',
          'platform-incomplete',
          `${formatPath(path)} lacks "${field}".`,
          [...path, field],
          context.locator.missing([...path, field]),
        );
      } else if (value === '') {
        context.report('error', 'platform-incomplete', `${formatPath(path)}.${field} is empty.`, [...path, field]);
      }
    }
  }
}
