// What the workbench showed when a UI check failed, as text: CI keeps only the log, not the screenshots, and a
// timing-dependent failure seldom repeats by hand. Side bar views and their rendered rows, an open context menu,
// dialog, quick input and notifications.
import type { Page } from 'playwright-core';

const MAX_ROWS = 40;
const MAX_TEXT = 120;

export async function describeWorkbenchState(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ maxRows, maxText }) => {
      const cut = (text: string | null | undefined): string => {
        const flat = (text ?? '').replace(/\s+/g, ' ').trim();
        return flat.length > maxText ? `${flat.slice(0, maxText)}…` : flat;
      };
      const lines: string[] = [];
      for (const pane of Array.from(document.querySelectorAll('.part.sidebar .pane'))) {
        const header = pane.querySelector('.pane-header');
        const title = cut(header?.querySelector('h3.title')?.textContent);
        const rows = Array.from(pane.querySelectorAll('.monaco-list-row[role=treeitem]'));
        lines.push(
          `view ${title} (${header?.getAttribute('aria-expanded') === 'true' ? 'open' : 'closed'}, ${rows.length} rows drawn)`,
        );
        for (const row of rows.slice(0, maxRows)) {
          const marks = [
            row.getAttribute('aria-expanded') === 'true' ? 'expanded' : '',
            row.getAttribute('aria-selected') === 'true' ? 'selected' : '',
            row.classList.contains('focused') ? 'focused' : '',
          ].filter(Boolean);
          const depth = Number(row.getAttribute('aria-level') ?? '1');
          lines.push(
            `  ${'  '.repeat(Math.max(0, depth - 1))}${cut(row.getAttribute('aria-label'))}${marks.length ? ` [${marks.join(', ')}]` : ''}`,
          );
        }
      }
      const menu = document.querySelector('.context-view .monaco-menu');
      if (menu) {
        const items = Array.from(menu.querySelectorAll('.action-label')).map((item) => cut(item.textContent));
        lines.push(`context menu: ${items.filter(Boolean).join(' | ')}`);
      }
      const dialog = document.querySelector('.monaco-dialog-box');
      if (dialog) lines.push(`dialog: ${cut(dialog.textContent)}`);
      const quickInput = document.querySelector<HTMLElement>('.quick-input-widget');
      if (quickInput && quickInput.style.display !== 'none') {
        const input = quickInput.querySelector('input');
        lines.push(
          `quick input: ${cut(quickInput.querySelector('.quick-input-title')?.textContent)} "${cut(input?.value)}"`,
        );
      }
      for (const toast of Array.from(
        document.querySelectorAll(
          '.notification-toast .notification-list-item-message, .notifications-center .notification-list-item-message',
        ),
      )) {
        lines.push(`notification: ${cut(toast.textContent)}`);
      }
      const focused = document.activeElement;
      lines.push(
        `focus: ${focused ? `${focused.tagName.toLowerCase()}.${cut(focused.className)} "${cut(focused.getAttribute('aria-label'))}"` : 'none'}`,
      );
      return lines;
    },
    { maxRows: MAX_ROWS, maxText: MAX_TEXT },
  );
}
