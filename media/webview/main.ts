// The referrer-graph webview: says `ready`, then draws what the extension sends, asks it to expand nodes and run
// actions (by request id), and never turns registry text into markup.
import { mergeGraph } from '../../src/protocol/mergeGraph';
import type { ExtensionToWebview, GraphView, NodeAction, WebviewToExtension } from '../../src/protocol/messages';
import { RequestClient } from '../../src/protocol/requests';
import { renderDetails } from './details';
import { el, visible } from './dom';
import { standaloneSvg } from './exportSvg';
import { nearestInDirection } from './keyboard';
import { PanZoom } from './panZoom';
import { renderGraph, type Rendered } from './render';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// Timings read in the Performance panel and by the scale check: when a graph arrived, how long drawing it took.
const GRAPH_RECEIVED_MARK = 'stowage:graph-received';
const DRAW_MEASURE = 'stowage:graph-draw';
const api = acquireVsCodeApi();
const rpc = new RequestClient((message) => api.postMessage(message));

const title = el('h1', {}, 'Referrer graph');
const location = el('span', { class: 'location' });
const exportButton = el('button', { type: 'button', disabled: '' }, 'Export SVG');
const fitButton = el('button', { type: 'button', disabled: '' }, 'Fit');
const banner = el('div', { class: 'banner', role: 'alert', hidden: '' });
const canvas = el('div', { class: 'canvas' }, el('p', { class: 'loading' }, 'Loading referrers…'));
const side = el(
  'aside',
  { class: 'side' },
  el('p', { class: 'muted' }, 'Select a node to see its annotations, descriptor and actions.'),
);
document.body.append(
  el('header', { class: 'toolbar' }, title, location, fitButton, exportButton),
  banner,
  el('main', { class: 'main' }, canvas, side),
);

let view: GraphView | undefined;
let rendered: Rendered | undefined;
let panZoom: PanZoom | undefined;
let selected: string | undefined;

function showBanner(message: string | undefined, tone: 'error' | 'info' = 'error'): void {
  banner.textContent = message ? visible(message) : '';
  banner.hidden = !message;
  banner.classList.toggle('info', tone === 'info');
}

function draw(keepFocus?: string): void {
  if (!view) return;
  const started = performance.now();
  rendered = renderGraph(view);
  const empty =
    view.edges.length === 0
      ? el(
          'div',
          { class: 'empty' },
          el('strong', {}, 'No referrers.'),
          ' Nothing signs, describes or attests this artifact yet. Use Attach SBOM…, Attach Signature… or Attach File… on the node.',
        )
      : undefined;
  canvas.replaceChildren(rendered.svg, ...(empty ? [empty] : []));
  panZoom = new PanZoom(rendered.svg, rendered.content);
  panZoom.fit(rendered.placed.width, rendered.placed.height);
  for (const [digest, element] of rendered.nodeElements) {
    element.addEventListener('click', (event) => {
      if ((event.target as Element).closest('[data-expand]')) void expand(digest);
      else select(digest);
    });
    element.addEventListener('keydown', (event) => onNodeKey(event, digest));
  }
  exportButton.disabled = false;
  fitButton.disabled = false;
  if (selected && view.nodes.some((n) => n.digest === selected)) select(selected, false);
  else selected = undefined;
  if (keepFocus) rendered.nodeElements.get(keepFocus)?.focus();
  performance.measure(DRAW_MEASURE, { start: started });
}

function select(digest: string, focus = true): void {
  const node = view?.nodes.find((n) => n.digest === digest);
  if (!node || !rendered) return;
  selected = digest;
  for (const [d, element] of rendered.nodeElements) element.classList.toggle('selected', d === digest);
  if (focus) rendered.nodeElements.get(digest)?.focus();
  side.replaceChildren(renderDetails(node, digest === view!.root, (action) => void runAction(action, digest)));
}

function onNodeKey(event: KeyboardEvent, digest: string): void {
  if (!rendered) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    select(digest);
    return;
  }
  if (event.key === '+' && view?.nodes.find((n) => n.digest === digest)?.truncated) {
    void expand(digest);
    return;
  }
  const from = rendered.placed.nodes.get(digest);
  const next = from && nearestInDirection(from, rendered.placed.nodes, event.key);
  if (next) {
    event.preventDefault();
    rendered.nodeElements.get(next)?.focus();
    const at = rendered.placed.nodes.get(next)!;
    panZoom?.reveal(at.x, at.y);
  }
}

async function expand(digest: string): Promise<void> {
  try {
    const parts = await rpc.request('expand', { digest });
    if (view) {
      view = mergeGraph(view, parts, digest);
      draw(digest);
    }
  } catch (error) {
    showBanner(`Could not load more referrers: ${(error as Error).message}`);
  }
}

async function runAction(action: NodeAction, digest: string): Promise<void> {
  const status = side.querySelector('.status');
  if (status) status.textContent = 'Working…';
  try {
    const { message } = await rpc.request('action', { action, digest });
    if (status) status.textContent = message ? visible(message) : '';
  } catch (error) {
    if (status) status.textContent = visible((error as Error).message);
  }
}

exportButton.addEventListener('click', () => {
  if (!rendered) return;
  const svgText = standaloneSvg(rendered.svg, rendered.placed.width, rendered.placed.height);
  rpc.request('saveSvg', { svg: svgText }).then(
    ({ message }) => showBanner(message, 'info'),
    (error: Error) => showBanner(`Export failed: ${error.message}`),
  );
});
fitButton.addEventListener('click', () => rendered && panZoom?.fit(rendered.placed.width, rendered.placed.height));

document.addEventListener('keydown', (event) => {
  if (!panZoom || (event.target as Element).closest('button')) return;
  if (event.key === '=' || (event.key === '+' && !(event.target as Element).closest('.node')))
    panZoom.zoomAt(1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
  else if (event.key === '-') panZoom.zoomAt(1 / 1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
  else if (event.key === '0' && rendered) panZoom.fit(rendered.placed.width, rendered.placed.height);
});

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      title.textContent = visible(message.title);
      break;
    case 'graph':
      performance.mark(GRAPH_RECEIVED_MARK);
      view = message.graph;
      location.textContent = visible(message.graph.location);
      showBanner(undefined);
      draw(document.activeElement instanceof SVGGElement ? document.activeElement.dataset['digest'] : undefined);
      break;
    case 'loadError':
      showBanner(message.message);
      if (!view) canvas.replaceChildren(el('p', { class: 'muted' }, 'The graph could not be loaded.'));
      break;
    case 'response':
      rpc.settle(message);
      break;
  }
});

api.postMessage({ type: 'ready' });
