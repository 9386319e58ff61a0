// The side panel for the selected node: its facts, every annotation, the descriptor, and its actions. Values
// come from the registry, so each is a text node (and control characters are shown, not obeyed).
import { formatManifestSize } from '../../src/core/oci';
import { NODE_ACTIONS, type GraphNodeView, type NodeAction } from '../../src/protocol/messages';
import { el, visible } from './dom';

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
  for (const { action, label } of NODE_ACTIONS) {
    if (action === 'showGraph' && isRoot) continue;
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
            el('tr', {}, el('th', { scope: 'row' }, visible(k)), el('td', {}, folded(visible(v), ANNOTATION_SHOWN))),
          ),
        )
      : el('p', { class: 'muted' }, 'None.'),
    el('h3', {}, 'Descriptor'),
    el(
      'pre',
      { class: 'descriptor' },
      folded(visible(node.descriptorJson).replace(/⟨U\+000A⟩/g, '\n'), DESCRIPTOR_SHOWN),
    ),
  );
}

/** Characters of an annotation value shown before "show all" (a 10 KB value was a wall hiding the descriptor). */
const ANNOTATION_SHOWN = 300;
/** Characters of the descriptor JSON shown before "show all" (it repeats every annotation). */
const DESCRIPTOR_SHOWN = 2000;

/**
 * A long value cut to its first `shown` characters, with a native disclosure (keyboard-operable, no script) that
 * shows the whole of it; the cut part and "show all" give way to "show less" by CSS once it is open.
 */
function folded(text: string, shown: number): Node | string {
  const characters = Array.from(text);
  if (characters.length <= shown) return text;
  return el(
    'details',
    { class: 'folded' },
    el(
      'summary',
      {},
      el('span', { class: 'cut' }, `${characters.slice(0, shown).join('')}… `),
      el('span', { class: 'more' }, `show all ${characters.length.toLocaleString('en')} characters`),
      el('span', { class: 'less' }, 'show less'),
    ),
    el('span', { class: 'whole' }, text),
  );
}

/**
 * One primary button, as VS Code's own views have: opening the manifest is what a look at a node leads to; the
 * others are secondary (nine equal blue buttons read as a wall), Delete stands out as dangerous.
 */
function actionStyle(action: NodeAction): string {
  return action === 'openManifest' ? '' : action === 'delete' ? 'danger' : 'secondary';
}
