// A UI check drives the workbench through its DOM like a user. Checks of a list run in order on one page, so a
// later check may rely on what an earlier one opened.
import type { Page } from 'playwright-core';

export interface UiCheck {
  name: string;
  run(page: Page): Promise<void>;
}
