// What a newcomer sees after `npm start`: the demo layout and the local demo registry in the Stowage views,
// each expanding to its v1 artifact (not just the views' welcome text while the extension is still starting).
import { saveScreenshot } from '../harness/artifacts';
import { expandViewPane, showViewContainer } from '../harness/workbench';
import { expandRow } from './stowageTree.checks';
import type { UiCheck } from './uiCheck';

export function demoContentIsShown(options: { withRegistry: boolean }): UiCheck {
  return {
    name: `the demo layout${options.withRegistry ? ' and the local demo registry' : ''} show in the Stowage views and expand to their v1 artifact`,
    async run(page) {
      await showViewContainer(page, 'Stowage');
      const layouts = await expandViewPane(page, 'Image Layouts');
      await expandRow(layouts, 'demo-layout');
      await expandRow(layouts, 'v1');
      if (options.withRegistry) {
        const registries = await expandViewPane(page, 'Registries');
        await expandRow(registries, 'Local demo registry');
        await expandRow(registries, 'demo/artifact');
        await expandRow(registries, 'v1');
      }
      await saveScreenshot(page, 'npm-start-demo-content');
    },
  };
}
