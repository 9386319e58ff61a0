// The artifact-type filter box in the toolbar: type one or more artifact types (suggested from the types seen in
// this graph), Enter applies, Escape or Clear shows every referrer again; "/" anywhere in the graph focuses it. The box only reports what was chosen;
// main.ts filters the graph it has at once and asks the extension to rebuild it with the filter.
import { parseArtifactTypes } from '../../src/protocol/filterGraph';
import { el, visible } from './dom';

export class TypeFilter {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly clear: HTMLButtonElement;
  private readonly suggestions: HTMLDataListElement;
  private readonly seen = new Set<string>();
  private applied: string[] = [];

  constructor(private readonly onApply: (types: string[]) => void) {
    this.input = el('input', {
      id: 'type-filter',
      type: 'text',
      list: 'type-filter-suggestions',
      placeholder: 'artifact type, …',
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-label': 'Show only referrers of these artifact types (comma-separated; Enter applies, Escape clears)',
      'aria-keyshortcuts': '/',
      title: 'Filter by artifact type (/)',
    });
    this.suggestions = el('datalist', { id: 'type-filter-suggestions' });
    this.clear = el('button', { type: 'button', class: 'secondary', disabled: '' }, 'Clear');
    this.element = el(
      'div',
      { class: 'type-filter', role: 'search' },
      el('label', { for: 'type-filter' }, 'Types'),
      this.input,
      this.suggestions,
      this.clear,
    );
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.apply(parseArtifactTypes(this.input.value));
      } else if (event.key === 'Escape' && (this.input.value || this.applied.length)) {
        event.preventDefault();
        event.stopPropagation();
        this.apply([]);
      }
    });
    this.clear.addEventListener('click', () => {
      this.apply([]);
      this.input.focus();
    });
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /** The types in force. */
  get types(): string[] {
    return this.applied;
  }

  /** Shows `types` as the filter in force without asking for anything (restored state, the extension's graph). */
  show(types: readonly string[]): void {
    this.applied = [...types];
    if (document.activeElement !== this.input || !this.input.value.trim()) this.input.value = types.join(', ');
    this.clear.disabled = types.length === 0;
  }

  /** Offers the artifact types of a graph as suggestions (kept across filters, so the others stay offered). */
  learn(types: Iterable<string | undefined>): void {
    let added = false;
    for (const type of types)
      if (type && !this.seen.has(type)) {
        this.seen.add(type);
        added = true;
      }
    if (added)
      this.suggestions.replaceChildren(...[...this.seen].sort().map((type) => el('option', { value: visible(type) })));
  }

  private apply(types: string[]): void {
    this.input.value = types.join(', ');
    if (types.join(' ') === this.applied.join(' ')) return;
    this.show(types);
    this.onApply(types);
  }
}
