// The referrer graph as a user sees it: opened from the command palette with a typed layout reference, a node
// whose annotations are hostile markup shows them as text and runs nothing, the page's CSP is the strict one,
// and keyboard navigation moves between nodes. A screenshot of the graph is saved.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pushArtifact } from '../../../src/core/files/artifact';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { attachBytes } from '../../../src/core/supplyChain';
import { saveScreenshot } from '../harness/artifacts';
import { graphFrame, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

export const HOSTILE_ANNOTATIONS: Record<string, string> = {
  'org.example.img': '<img src=x onerror="document.title=\'pwned\'">',
  'org.example.script': "</script><script>document.title='pwned'</script>",
  'org.example.link': "javascript:document.title='pwned'",
  'org.example.bidi': 'safe\u202Eexe.txt\u202C',
  '<b>key</b>': 'markup in a key',
};

/** A 10 KB annotation value, as a careless (or hostile) build writes: folded in the details, never a wall. */
const LONG_ANNOTATION = { key: 'org.example.long', value: 'x'.repeat(10_240) };
/** 400 right-to-left overrides: each shown as its eight-character code point, counted as the one character it is. */
const OVERRIDES_ANNOTATION = { key: 'org.example.overrides', value: '\u202E'.repeat(400) };

/** A layout outside the workspace: an artifact tagged v1 and a referrer carrying the hostile annotations. */
async function seedLayout(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-graph-ui-'));
  const file = path.join(dir, 'app.txt');
  fs.writeFileSync(file, 'graph me\n');
  const layout = path.join(dir, 'layout');
  const target = await LayoutTarget.open(layout, { create: true });
  const pushed = await pushArtifact(target, [file], { tag: 'v1', artifactType: 'application/vnd.stowage.demo.v1' });
  await attachBytes(target, pushed.descriptor, {
    artifactType: 'application/vnd.example.hostile.v1',
    documents: [{ title: 'note.txt', mediaType: 'text/plain', bytes: Buffer.from('hostile annotations live here\n') }],
    annotations: {
      ...HOSTILE_ANNOTATIONS,
      [LONG_ANNOTATION.key]: LONG_ANNOTATION.value,
      [OVERRIDES_ANNOTATION.key]: OVERRIDES_ANNOTATION.value,
    },
  });
  return layout;
}

export function referrerGraphChecks(screenshotPrefix: string): UiCheck[] {
  let layout = '';
  return [
    {
      name: 'Stowage: Show Referrer Graph from the palette asks for a reference and draws the subject and its referrer',
      async run(page) {
        layout = await seedLayout();
        const frame = await openGraph(page, `oci:${layout}:v1`);
        await frame.locator('g.node').nth(1).waitFor({ timeout: 30_000 });
        assert.equal(await frame.locator('g.node').count(), 2);
        await frame.locator('g.node.root').getByText('Artifact (subject)').waitFor();
        // Its size says whose it is (the tree shows what an SBOM's layers hold: "content …").
        await frame.locator('g.node.root .meta', { hasText: /^manifest \d+ B/ }).waitFor();
        await frame.locator('.edge-label', { hasText: 'fallback tag' }).waitFor();
      },
    },
    {
      name: 'hostile annotations show as text in the details, create no elements and run no script',
      async run(page) {
        const frame = graphFrame(page);
        await frame.locator('g.node:not(.root)').click();
        const table = frame.locator('table.annotations');
        await table.waitFor();
        await saveScreenshot(page, `${screenshotPrefix}-referrer-graph`);
        const cells = await table.locator('td').allTextContents();
        for (const [key, value] of Object.entries(HOSTILE_ANNOTATIONS)) {
          if (key === 'org.example.bidi') continue;
          assert.ok(cells.includes(value), `${key} is not shown verbatim: ${JSON.stringify(cells)}`);
        }
        assert.ok(
          cells.includes('safe⟨U+202E⟩exe.txt⟨U+202C⟩'),
          `bidi controls are not made visible: ${JSON.stringify(cells)}`,
        );
        assert.ok((await table.locator('th').allTextContents()).includes('<b>key</b>'));
        const body = frame.locator('body');
        const state = await body.evaluate((element) => ({
          images: element.ownerDocument.querySelectorAll('img').length,
          links: element.ownerDocument.querySelectorAll('a').length,
          scripts: Array.from(element.ownerDocument.querySelectorAll('script')).map((s) => ({
            src: s.getAttribute('src'),
            text: s.textContent ?? '',
          })),
          bold: element.ownerDocument.querySelectorAll('b').length,
          title: element.ownerDocument.title,
        }));
        assert.deepEqual(
          { images: state.images, links: state.links, bold: state.bold, title: state.title },
          { images: 0, links: 0, bold: 0, title: 'Referrer Graph' },
        );
        // VS Code adds its own inline host script to every webview; besides it, only the bundle may be there.
        assert.deepEqual(
          state.scripts.filter((s) => s.src !== null).map((s) => s.src!.replace(/^.*\/dist\//, 'dist/')),
          ['dist/webview.js'],
        );
        assert.ok(
          state.scripts.every((s) => !s.text.includes('pwned')),
          'a script element carries annotation text',
        );
      },
    },
    {
      name: 'a 10 KB annotation shows its start and "show all 10,240 characters", which opens the whole value in place',
      async run(page) {
        const frame = graphFrame(page);
        const row = frame.locator('table.annotations tr', { hasText: LONG_ANNOTATION.key });
        const folded = row.locator('td details.folded');
        await folded.waitFor();
        assert.equal(await folded.locator('summary .more').innerText(), 'show all 10,240 characters');
        assert.equal(await folded.locator('summary .cut').innerText(), `${'x'.repeat(300)}… `);
        // Folded, the row is a few lines high and the descriptor below it is folded too (it repeats the value).
        const foldedHeight = (await row.boundingBox())!.height;
        assert.ok(foldedHeight < 400, `the folded row is ${foldedHeight}px high`);
        assert.ok(await frame.locator('pre.descriptor details.folded').isVisible(), 'the descriptor is not folded');
        await folded.locator('summary').focus();
        await page.keyboard.press('Enter');
        assert.equal(await folded.locator('.whole').innerText(), LONG_ANNOTATION.value);
        assert.ok(await folded.locator('summary .less').isVisible(), 'opened, it does not offer "show less"');
        assert.ok(!(await folded.locator('summary .cut').isVisible()), 'opened, the cut start still shows');
        // A value of bidi overrides: its own count, and a start cut between code points shown, never inside one.
        const overrides = frame.locator('table.annotations tr', { hasText: OVERRIDES_ANNOTATION.key });
        assert.equal(await overrides.locator('summary .more').innerText(), 'show all 400 characters');
        assert.equal(await overrides.locator('summary .cut').innerText(), `${'⟨U+202E⟩'.repeat(37)}… `);
      },
    },
    {
      name: 'the webview document carries the strict Content-Security-Policy',
      async run(page) {
        const csp = await graphFrame(page)
          .locator('meta[http-equiv="Content-Security-Policy"]')
          .getAttribute('content');
        assert.ok(csp, 'no CSP meta tag');
        // webview.cspSource is "'self' https://*.vscode-cdn.net" in code-server: sources without a ';' in between.
        assert.match(
          csp,
          /^default-src 'none'; img-src [^;']*'self'[^;]* data:; style-src [^;']*'self'[^;]* 'nonce-([A-Za-z0-9+/=]{24})'; script-src 'nonce-\1'$/,
        );
        assert.ok(
          !/unsafe-inline|unsafe-eval|https?:\/\/(?!.*vscode-cdn)/.test(
            csp.replace(/\S*vscode-cdn\S*|\S*vscode-resource\S*/g, ''),
          ),
          `CSP allows more than it should: ${csp}`,
        );
      },
    },
    {
      name: 'arrow keys move between nodes and Enter selects the focused one',
      async run(page) {
        const frame = graphFrame(page);
        await frame.locator('g.node.root').focus();
        await page.keyboard.press('ArrowRight');
        const focused = await frame
          .locator('body')
          .evaluate(
            (b) =>
              (b.ownerDocument.activeElement as SVGGElement | null)?.classList.contains('root') === false &&
              b.ownerDocument.activeElement?.classList.contains('node'),
          );
        assert.ok(focused, 'ArrowRight did not move the focus to the referrer');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Enter');
        await frame.locator('g.node.root.selected').waitFor();
        await frame.locator('.details h2', { hasText: 'Artifact' }).waitFor();
        fs.rmSync(path.dirname(layout), { recursive: true, force: true });
      },
    },
  ];
}
