// Platforms of index entries: os and architecture are required and not empty when a platform is given, and
// written as Go names (image-spec: "values SHOULD be" GOOS and GOARCH) — as in an image config.
import { isObject } from '../detect';
import { replaceValueFix } from '../fixes';
import { formatPath } from '../paths';
import { suggestPlatformName } from '../platformNames';
import type { JsonPath } from '../problem';
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
      } else {
        checkPlatformName(context, path, field, value, platform.variant);
      }
    }
  }
  if (context.kind === 'imageConfig')
    for (const field of ['os', 'architecture'] as const)
      checkPlatformName(context, [], field, context.document[field], context.document.variant);
}

/** A name that is no Go name but stands for one (x86_64, aarch64, Linux): a warning with the Go name as fix. */
function checkPlatformName(
  context: RuleContext,
  parent: JsonPath,
  field: 'os' | 'architecture',
  value: unknown,
  variant: unknown,
): void {
  if (typeof value !== 'string') return;
  const meant = suggestPlatformName(field, value);
  if (!meant) return;
  const path = [...parent, field];
  const withVariant = meant.variant && variant === undefined ? ` with "variant": "${meant.variant}"` : '';
  context.report(
    'warning',
    'platform-name',
    `${formatPath(path)} "${value}" is not a Go ${field === 'os' ? 'GOOS' : 'GOARCH'} name, which runtimes match ` +
      `platforms by; did you mean "${meant.value}"${withVariant}?`,
    path,
    undefined,
    replaceValueFix(`Replace with "${meant.value}"`, context.locator, path, meant.value),
  );
}
