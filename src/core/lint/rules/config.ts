// Image configuration: layer diff IDs are digests, and history agrees with them.
import { formatPath } from '../paths';
import { isObject } from '../detect';
import type { RuleContext } from './context';
import { checkDigest } from './digest';

export function configRules(context: RuleContext): void {
  if (context.kind !== 'imageConfig') return;
  const rootfs = context.document.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) return;
  rootfs.diff_ids.forEach((diffId, i) => checkDigest(context, ['rootfs', 'diff_ids'], i, diffId));
  const history = context.document.history;
  if (!Array.isArray(history)) return;
  const layersInHistory = history.filter((entry) => !(isObject(entry) && entry.empty_layer === true)).length;
  if (layersInHistory !== rootfs.diff_ids.length) {
    context.report('warning', 'config-history-mismatch',
      `${formatPath(['history'])} lists ${layersInHistory} layer-creating steps but rootfs.diff_ids has ${rootfs.diff_ids.length} layers.`,
      ['history'], context.locator.key(['history']));
  }
}
