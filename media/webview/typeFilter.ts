// The artifact-type filter box in the toolbar: type one or more words (a family such as sbom, signature or
// attestation, or part of an artifact type; the types seen in this graph are suggested); the graph follows as you
// type (a short pause), Enter applies at once, Escape or Clear shows every referrer again (Escape in an empty box goes
// back to the graph); "/" anywhere in the graph focuses it. The box only reports what was chosen; main.ts filters the graph it has at once and asks the extension
// to rebuild it with the filter. The matching rule is filterGraph.ts's.
import { parseArtifactTypes } from '../../src/protocol/filterGraph';
import { el, visible } from './dom';

/** How long typing pauses before the filter follows it. */
const TYPING_PAUSE_MS = 250;

export class TypeFilter {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly clear: HTMLButtonElement;
  private readonly suggestions: HTMLDataListElement;
  private readonly seen = new Set<string>();
  private applied: string[] = [];
  private typing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onApply: (types: string[]) => void,
    /** Escape with nothing to clear: back to the graph (the "/" that came here has no way back otherwise). */
    private readonly onLeave: () => void,
  ) {
    this.input = el('input', {
      id: 'type-filter',
      type: 'text',
      list: 'type-filter-suggestions',
      placeholder: 'sbom, signature, type…',
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-label':
        'Show only referrers of these artifact types: sbom, signature, attestation, or part of a type (comma-separated; applies as you type, Escape clears, and again goes back to the graph)',
      'aria-keyshortcuts': '/',
      title: 'Filter by artifact type: sbom, signature, attestation, or part of a type (/)',
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
    // Applied after a short pause in typing (each change walks the store again), the box left as typed.
    this.input.addEventListener('input', () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.apply(parseArtifactTypes(this.input.value), false), TYPING_PAUSE_MS);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.apply(parseArtifactTypes(this.input.value));
      } else if (event.key === 'Escape' && (this.input.value || this.applied.length)) {
        event.preventDefault();
        event.stopPropagation();
        this.apply([]);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.onLeave();
      }
    });
    this.clear.addEventListener('click', () => this.clearFilter());
  }

  /** Shows every referrer again (the "Clear Filter" of a message that the filter hid everything). */
  clearFilter(): void {
    this.apply([]);
    this.input.focus();
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

  /** Applies `types`; `tidy` rewrites the box in the canonical form (not while the user is typing in it). */
  private apply(types: string[], tidy = true): void {
    clearTimeout(this.typing);
    this.typing = undefined;
    if (tidy) this.input.value = types.join(', ');
    if (types.join(' ') === this.applied.join(' ')) return;
    this.show(types);
    this.onApply(types);
  }
}
