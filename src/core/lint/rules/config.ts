// Image configuration: environment entries are VARNAME=VARVALUE, layer diff IDs are digests, and history
// agrees with them.
import { formatPath } from '../paths';
import { isObject } from '../detect';
import type { RuleContext } from './context';
import { checkDigest } from './digest';

export function configRules(context: RuleContext): void {
  if (context.kind !== 'imageConfig') return;
  environment(context);
  layers(context);
}

/** config.md: "Entries are in the format of VARNAME=VARVALUE". Runtimes split at the first "=". */
function environment(context: RuleContext): void {
  const config = context.document.config;
  if (!isObject(config) || !Array.isArray(config.Env)) return;
  config.Env.forEach((entry, i) => {
    if (typeof entry !== 'string') return; // the schema reports the type
    const equals = entry.indexOf('=');
    if (equals > 0) return;
    const path = ['config', 'Env', i];
    // No fix: which value (or name) was meant cannot be known.
    context.report(
      'error',
      'config-env-format',
      `${formatPath(path)} "${entry}" is not VARNAME=VARVALUE: ${equals < 0 ? 'it has no "="' : 'the name before "=" is empty'}.`,
      path,
    );
  });
}

function layers(context: RuleContext): void {
  const rootfs = context.document.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) return;
  rootfs.diff_ids.forEach((diffId, i) => checkDigest(context, ['rootfs', 'diff_ids'], i, diffId));
  const history = context.document.history;
  if (!Array.isArray(history)) return;
  const layersInHistory = history.filter((entry) => !(isObject(entry) && entry.empty_layer === true)).length;
  if (layersInHistory !== rootfs.diff_ids.length) {
    context.report(
      'warning',
      'config-history-mismatch',
      `${formatPath(['history'])} lists ${layersInHistory} layer-creating steps but rootfs.diff_ids has ${rootfs.diff_ids.length} layers.`,
      ['history'],
      context.locator.key(['history']),
    );
  }
}
