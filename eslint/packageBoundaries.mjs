// Who may import whom inside the engine (DESIGN.md, "The engine's packages"). Imports run one way:
// oci <- content <- {registry, layout, memory} <- graph <- {files, lint, sign, sbom} <- supplyChain <- cli, vscode.
// Code outside a package reaches it only through its index.ts, and nothing from graph up knows a concrete store
// (registry, layout, memory): it asks for capabilities. src/core/open.ts, the one place that picks a store for a
// reference, may import every package.
import * as path from 'node:path';

/** The packages each package may import (besides itself). */
export const ALLOWED = {
  oci: [],
  content: ['oci'],
  registry: ['oci', 'content'],
  layout: ['oci', 'content'],
  memory: ['oci', 'content'],
  graph: ['oci', 'content'],
  files: ['oci', 'content', 'graph'],
  lint: ['oci', 'content', 'graph'],
  sign: ['oci', 'content', 'graph'],
  sbom: ['oci', 'content', 'graph'],
  supplyChain: ['oci', 'content', 'graph', 'files', 'lint', 'sign', 'sbom'],
};
const PACKAGES = Object.keys(ALLOWED);

/** The engine package a path is in, '' for a file directly in src/core, undefined outside the engine. */
function packageOf(core, file) {
  const relative = path.relative(core, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const first = relative.split(path.sep)[0];
  return PACKAGES.includes(first) ? first : '';
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'engine packages import each other one way, and only through their index.ts' },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const core = path.join(context.cwd, 'src', 'core');
    const from = packageOf(core, filename);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(filename), spec);
      const to = packageOf(core, target);
      if (to === undefined || to === '' || to === from) return;
      const door = path.join(core, to);
      if (target !== door && target !== path.join(door, 'index')) {
        context.report({
          node: node.source,
          message: `import "${spec}" reaches inside the ${to} package: import its door "${path.relative(path.dirname(filename), door) || '.'}" (src/core/${to}/index.ts) instead.`,
        });
      }
      if (from && !ALLOWED[from].includes(to)) {
        context.report({
          node: node.source,
          message: `the ${from} package may not import the ${to} package: engine imports run one way (DESIGN.md); ${from} may use ${ALLOWED[from].join(', ') || 'no other package'}.`,
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default { rules: { 'package-boundaries': rule } };
