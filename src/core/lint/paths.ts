// JSON paths as people read them (manifests[3].platform.os) and as map keys.
import type { JsonPath } from './problem';

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** A string that identifies a path, for sets and maps. */
export function pathKey(path: JsonPath): string {
  return path.join('\u0000');
}
