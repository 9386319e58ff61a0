// The referrer-graph webview: says `ready`, then draws what the extension sends, asks it to expand nodes and run
// actions (by request id), and never turns registry text into markup.
import { FILTER_FAMILY_WORDS, filterGraph } from '../../src/protocol/filterGraph';
import { headerLocation } from '../../src/protocol/graphHeader';
import { mergeGraph } from '../../src/protocol/mergeGraph';
import type { ExtensionToWebview, GraphView, NodeAction, WebviewToExtension } from '../../src/protocol/messages';
import { RequestClient } from '../../src/protocol/requests';
import { renderDetails } from './details';
import { el, visible } from './dom';
import { standaloneSvg } from './exportSvg';
import { nearestInDirection } from './keyboard';
import { PanZoom } from './panZoom';
import { renderGraph, type Rendered } from './render';
import { TypeFilter } from './typeFilter';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}

/** What the webview keeps across its own reloads (VS Code stores it with the panel). */
interface WebviewState {
  artifactTypes?: string[];
}

declare function acquireVsCodeApi(): VsCodeApi;

// Timings read in the Performance panel and by the scale check: when a graph arrived, how long drawing it took.
const GRAPH_RECEIVED_MARK = 'stowage:graph-received';
const DRAW_MEASURE = 'stowage:graph-draw';
const api = acquireVsCodeApi();
const rpc = new RequestClient((message) => api.postMessage(message));

const title = el('h1', {}, 'Referrer graph');
const location = el('span', { class: 'location' });
// Secondary: the header's buttons act on the view, and the one primary button is the selected node's Open Manifest.
const exportButton = el('button', { type: 'button', class: 'secondary', disabled: '' }, 'Export SVG');
const fitButton = el(
  'button',
  {
    type: 'button',
    class: 'secondary',
    disabled: '',
    title: 'Fit the graph into view, as small as its labels stay readable (a larger graph scrolls)',
  },
  'Fit',
);
const banner = el('div', { class: 'banner', role: 'alert', hidden: '' });
const notReferrersNotice = el('details', { class: 'banner warning not-referrers', hidden: '' });
const typeFilter = new TypeFilter(
  (types) => void applyFilter(types),
  () => rendered?.svg.querySelector<SVGGElement>('g.node[tabindex="0"]')?.focus(),
);
const filterStatus = el('span', { class: 'filter-status', role: 'status', 'aria-live': 'polite' });
const canvas = el('div', { class: 'canvas' }, el('p', { class: 'loading' }, 'Loading referrers…'));
// The graph's keys, read after its name: nothing on screen says them, and arrows here move by place, not by list.
const keysHelp = el(
  'p',
  { id: 'graph-keys', class: 'visually-hidden' },
  'Arrow keys move to the nearest node in that direction (referrers are to the right of what they refer to); Home goes to the subject, End to the last node. Enter shows the node’s details and actions; Tab reaches them, and Escape there comes back to the node. Plus loads more referrers where a node has them, and otherwise zooms in; equals and minus zoom, 0 fits the graph, slash filters by artifact type (Escape there clears the filter, and again comes back to the graph).',
);
const side = el(
  'aside',
  { class: 'side' },
  el('p', { class: 'muted' }, 'Select a node to see its annotations, descriptor and actions.'),
);
document.body.append(
  el('header', { class: 'toolbar' }, title, location, typeFilter.element, filterStatus, fitButton, exportButton),
  banner,
  notReferrersNotice,
  el('main', { class: 'main' }, canvas, side),
);

let view: GraphView | undefined;
let rendered: Rendered | undefined;
let panZoom: PanZoom | undefined;
let selected: string | undefined;
/** Why the details show the subject: the node shown before left the graph (kept across redraws). */
let detailsNote: string | undefined;
/** The filter the extension's graph was built with last (until it matches the box, the filter is only local). */
let builtWith: string[] = [];

const saved = api.getState() as WebviewState | undefined;
if (saved?.artifactTypes?.length) typeFilter.show(saved.artifactTypes);

function showBanner(message: string | undefined, tone: 'error' | 'info' = 'error'): void {
  banner.textContent = message ? visible(message) : '';
  banner.hidden = !message;
  banner.classList.toggle('info', tone === 'info');
}

/**
 * Says that the graph leaves out manifests a listing named as referrers that are not (a fallback tag anyone who can
 * push may write): how many in one line, each with why when opened.
 */
function showNotReferrers(lines: readonly string[] = []): void {
  notReferrersNotice.hidden = lines.length === 0;
  const count = lines.length === 1 ? '1 listed referrer is' : `${lines.length} listed referrers are`;
  notReferrersNotice.replaceChildren(
    el('summary', {}, `${count} not shown: not a referrer of what lists it.`),
    el('ul', {}, ...lines.map((line) => el('li', {}, visible(line)))),
  );
}

function draw(keepFocus?: string): void {
  if (!view) return;
  showNotReferrers(view.notReferrers);
  const started = performance.now();
  const types = typeFilter.types;
  const shown = filterGraph(view, types);
  rendered = renderGraph(shown);
  showFilterStatus(shown);
  const empty = emptyMessage(shown, types);
  rendered.svg.setAttribute('aria-describedby', keysHelp.id);
  canvas.replaceChildren(...(empty ? [empty] : []), rendered.svg, keysHelp);
  panZoom = new PanZoom(rendered.svg, rendered.content);
  fitGraph();
  for (const [digest, element] of rendered.nodeElements) {
    element.addEventListener('click', (event) => {
      if ((event.target as Element).closest('[data-expand]')) void expand(digest);
      else select(digest);
    });
    element.addEventListener('keydown', (event) => onNodeKey(event, digest));
  }
  rendered.svg.addEventListener('focusin', (event) => {
    const digest = (event.target as Element).closest<SVGGElement>('g.node')?.dataset['digest'];
    if (digest) makeTabStop(digest);
  });
  makeTabStop(shown.root);
  exportButton.disabled = false;
  fitButton.disabled = false;
  if (selected && shown.nodes.some((n) => n.digest === selected)) select(selected, false, true);
  else if (selected) {
    // The node in the details left the graph: show the root's instead, and say why (its buttons would act on
    // something no longer drawn, or gone from the store).
    const hidden = view.nodes.some((n) => n.digest === selected);
    detailsNote = hidden
      ? 'The artifact shown before is hidden by the filter; this is the subject.'
      : `The artifact shown before is no longer in the graph (${types.length ? 'deleted, or left out by the filter' : 'deleted'}); this is the subject.`;
    select(view.root, false, true);
  }
  if (keepFocus) rendered.nodeElements.get(keepFocus)?.focus();
  else restoreDetailsFocus();
  performance.measure(DRAW_MEASURE, { start: started });
}

/**
 * The details button a keyboard user was on. VS Code takes the focus from the webview for its prompts (Delete…'s
 * confirmation, Attach File…'s questions), and the redraw that follows replaces the details: the focus then fell to
 * the page, and a keyboard user started again from the top. Forgotten on a pointer press or a focus elsewhere here.
 */
let detailsFocus: { action: string; shown: string | undefined } | undefined;
side.addEventListener('focusin', (event) => {
  const action = (event.target as HTMLElement).dataset['action'];
  detailsFocus = action ? { action, shown: selected } : undefined;
});
document.addEventListener('focusin', (event) => {
  if (!side.contains(event.target as Node)) detailsFocus = undefined;
});
document.addEventListener('pointerdown', () => (detailsFocus = undefined));
// Escape in the details goes back to the node they show: from their last button that was a Shift+Tab per button.
side.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || !selected || (event.target as Element).closest('input')) return;
  const node = rendered?.nodeElements.get(selected);
  if (!node) return;
  event.preventDefault();
  node.focus();
});
window.addEventListener('focus', restoreDetailsFocus);

/** Back to that button when the details still show its node, else to the node they show now; only into a focused page with nothing focused in it. */
function restoreDetailsFocus(): void {
  if (!detailsFocus || !document.hasFocus() || document.activeElement !== document.body) return;
  const button = side.querySelector<HTMLButtonElement>(`button[data-action="${detailsFocus.action}"]`);
  if (button && selected === detailsFocus.shown) button.focus();
  else if (selected) rendered?.nodeElements.get(selected)?.focus();
}

/** Shows `digest` in the details; `keepNote`: a redraw, which keeps the line saying why the selection moved. */
function select(digest: string, focus = true, keepNote = false): void {
  const node = view?.nodes.find((n) => n.digest === digest);
  if (!node || !rendered) return;
  selected = digest;
  if (!keepNote) detailsNote = undefined;
  for (const [d, element] of rendered.nodeElements) {
    element.classList.toggle('selected', d === digest);
    element.setAttribute('aria-selected', String(d === digest));
  }
  makeTabStop(digest);
  if (focus) rendered.nodeElements.get(digest)?.focus();
  side.replaceChildren(renderDetails(node, digest === view!.root, (action) => void runAction(action, digest)));
  const status = side.querySelector('.status');
  if (status && detailsNote) status.textContent = detailsNote;
}

/**
 * Makes `digest`'s node the only one Tab reaches (a roving tab index): with every node a Tab stop, reaching the
 * details' buttons past a graph of hundreds of nodes took as many key presses.
 */
function makeTabStop(digest: string): void {
  const next = rendered?.nodeElements.get(digest);
  if (!next) return;
  rendered!.svg.querySelector('g.node[tabindex="0"]')?.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
}

function onNodeKey(event: KeyboardEvent, digest: string): void {
  if (!rendered) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    select(digest);
    return;
  }
  if (event.key === '+' && view?.nodes.find((n) => n.digest === digest)?.truncated) {
    event.stopPropagation(); // loads, and does not zoom as well
    void expand(digest);
    return;
  }
  const from = rendered.placed.nodes.get(digest);
  // Home and End as in any tree: the subject, and the last node in reading order (the DOM's, depth-first).
  const order = [...rendered.nodeElements.keys()];
  const next =
    event.key === 'Home'
      ? order[0]
      : event.key === 'End'
        ? order[order.length - 1]
        : from && nearestInDirection(from, rendered.placed.nodes, event.key);
  if (next) {
    event.preventDefault();
    rendered.nodeElements.get(next)?.focus();
    const at = rendered.placed.nodes.get(next)!;
    panZoom?.reveal(at.x, at.y);
  }
}

/** How many referrers the subject itself has, with no filter: those in the graph and those the filter left out. */
function subjectReferrers(): number {
  if (!view) return 0;
  const root = view.root;
  return new Set(view.edges.filter((e) => e.from === root).map((e) => e.to)).size + (view.filteredOut ?? 0);
}

/** Whether the graph on screen was filtered here only, from a graph the extension built with another filter. */
function filterPending(types: readonly string[]): boolean {
  return builtWith.join(' ') !== types.join(' ');
}

function showFilterStatus(shown: GraphView): void {
  const types = typeFilter.types;
  if (!view || !types.length) {
    filterStatus.textContent = '';
    filterStatus.removeAttribute('title');
    return;
  }
  const count = shown.nodes.length - 1;
  const text = `${count} ${count === 1 ? 'referrer matches' : 'referrers match'}${filterPending(types) ? ' (loading with the filter…)' : ''}`;
  filterStatus.textContent = text;
  filterStatus.title = `${text}: ${visible(types.join(', '))}`;
}

/**
 * The message above a graph with no referrers drawn: that there are none, or that the filter hid them all (with a
 * way to clear it), never the one when the other is true.
 */
function emptyMessage(shown: GraphView, types: readonly string[]): HTMLElement | undefined {
  if (shown.edges.length > 0) return undefined;
  const total = subjectReferrers();
  if (types.length && total > 0) {
    const clear = el('button', { type: 'button', class: 'secondary clear-filter' }, 'Clear Filter');
    clear.addEventListener('click', () => typeFilter.clearFilter());
    const words = types.map((t) => `“${visible(t)}”`).join(', ');
    const what = `The filter ${words} matched none of the ${total} ${total === 1 ? 'referrer' : 'referrers'} of this artifact.${filterPending(types) ? ' (Loading with the filter…)' : ''}`;
    return el(
      'div',
      { class: 'empty filtered-out', role: 'status' },
      el('strong', {}, what),
      ` Filter by a family (${FILTER_FAMILY_WORDS.join(', ')}) or by part of an artifact type.`,
      clear,
    );
  }
  return el(
    'div',
    { class: 'empty', role: 'status' },
    el('strong', {}, 'No referrers.'),
    ' Nothing signs, describes or attests this artifact yet. Use Attach SBOM…, Attach Signature… or Attach File… on the node.',
  );
}

/** Filters the graph on screen at once, remembers the filter, and asks the extension to rebuild with it. */
async function applyFilter(types: string[]): Promise<void> {
  api.setState({ artifactTypes: types });
  draw();
  try {
    await rpc.request('filter', { artifactTypes: types });
  } catch (error) {
    showBanner(`Could not filter the graph: ${(error as Error).message}`);
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
  const svgText = standaloneSvg(rendered.svg, rendered.placed.width, rendered.placed.height, view?.reference);
  rpc.request('saveSvg', { svg: svgText }).then(
    ({ message }) => showBanner(message, 'info'),
    (error: Error) => showBanner(`Export failed: ${error.message}`),
  );
});
fitButton.addEventListener('click', fitGraph);

/** Fits the drawing into view; a graph too large for readable labels shows around its subject and scrolls. */
function fitGraph(): void {
  if (!rendered || !panZoom) return;
  const subject = view && rendered.placed.nodes.get(view.root);
  panZoom.fit(rendered.placed.width, rendered.placed.height, subject);
}

document.addEventListener('keydown', (event) => {
  if ((event.target as Element).closest('button, input')) return;
  if (event.key === '/') {
    event.preventDefault();
    typeFilter.focus();
    return;
  }
  if (!panZoom) return;
  // "+" too while a node has the focus (as it does all along for a keyboard user): it is the zoom key on keyboards
  // where "=" needs Shift, and on the numeric keypad; a node with more to load took it before this listener.
  if (event.key === '=' || event.key === '+') panZoom.zoomAt(1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
  else if (event.key === '-') panZoom.zoomAt(1 / 1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
  else if (event.key === '0') fitGraph();
});

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      title.textContent = visible(message.title);
      title.title = visible(message.title);
      break;
    case 'graph':
      performance.mark(GRAPH_RECEIVED_MARK);
      view = message.graph;
      builtWith = message.graph.artifactTypes ?? [];
      typeFilter.learn(message.graph.nodes.map((n) => n.artifactType));
      {
        // The store once: beside the reference only when the reference names another one.
        const where = visible(headerLocation(message.graph.reference, message.graph.location));
        location.textContent = where;
        location.title = where;
        location.hidden = !where;
      }
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
// A filter restored from the webview's state is the extension's to apply too (its panel may be new).
if (typeFilter.types.length) void rpc.request('filter', { artifactTypes: typeFilter.types }).catch(() => undefined);
