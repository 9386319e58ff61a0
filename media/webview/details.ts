// The side panel for the selected node: its facts, every annotation, the descriptor, and its actions. Values
// come from the registry, so each is a text node (and control characters are shown, not obeyed).
import { formatManifestSize } from '../../src/core/oci';
import { NODE_ACTIONS, nodeActionsOf, type GraphNodeView, type NodeAction } from '../../src/protocol/messages';
import { el, visible } from './dom';
import { shownAnnotation, shownDescriptor, type ShownValue } from './fold';

export function renderDetails(
  node: GraphNodeView,
  isRoot: boolean,
  onAction: (action: NodeAction) => void,
): HTMLElement {
  const facts: [string, string][] = [
    ['Kind', node.kindLabel],
    ['Digest', node.digest],
    ['Media type', visible(node.mediaType)],
    ...(node.artifactType ? [['Artifact type', visible(node.artifactType)] as [string, string]] : []),
    ['Size', `${formatManifestSize(node)} (${node.size} bytes)`],
    ...(node.created ? [['Created', visible(node.created)] as [string, string]] : []),
    ...(node.verification
      ? [['Verification', `${node.verification.status}: ${visible(node.verification.detail)}`] as [string, string]]
      : []),
  ];
  const annotations = Object.entries(node.annotations);
  const actions = el('div', { class: 'actions' });
  const offered = new Set(nodeActionsOf(node, isRoot));
  for (const { action, label } of NODE_ACTIONS) {
    if (!offered.has(action)) continue;
    const button = el('button', { type: 'button', 'data-action': action, class: actionStyle(action) }, label);
    button.addEventListener('click', () => onAction(action));
    actions.appendChild(button);
  }
  return el(
    'section',
    { class: 'details', 'aria-label': 'Selected node' },
    el('h2', {}, node.kindLabel),
    el('dl', {}, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    actions,
    el('div', { class: 'status', role: 'status' }),
    el('h3', {}, `Annotations (${annotations.length})`),
    annotations.length
      ? el(
          'table',
          { class: 'annotations' },
          ...annotations.map(([k, v]) =>
            el('tr', {}, el('th', { scope: 'row' }, visible(k)), el('td', {}, folded(shownAnnotation(v)))),
          ),
        )
      : el('p', { class: 'muted' }, 'None.'),
    el('h3', {}, 'Descriptor'),
    el('pre', { class: 'descriptor' }, folded(shownDescriptor(node.descriptorJson))),
  );
}

/**
 * A long value as its start, with a native disclosure (keyboard-operable, no script) that shows the whole of it; the
 * start and "show all" give way to "show less" by CSS once it is open (fold.ts decides the cut and the count).
 */
function folded({ whole, start, characters }: ShownValue): Node | string {
  if (start === undefined) return whole;
  return el(
    'details',
    { class: 'folded' },
    el(
      'summary',
      {},
      el('span', { class: 'cut' }, `${start}… `),
      el('span', { class: 'more' }, `show all ${characters.toLocaleString('en')} characters`),
      el('span', { class: 'less' }, 'show less'),
    ),
    el('span', { class: 'whole' }, whole),
  );
}

/**
 * One primary button, as VS Code's own views have: opening the manifest is what a look at a node leads to; the
 * others are secondary (nine equal blue buttons read as a wall), Delete stands out as dangerous.
 */
function actionStyle(action: NodeAction): string {
  return action === 'openManifest' ? '' : action === 'delete' ? 'danger' : 'secondary';
}
