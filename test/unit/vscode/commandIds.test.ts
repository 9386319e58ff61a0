// The editor's commands come from one list: the manifest contributes exactly the ids the extension registers
// (internal ones excepted, by name), its menus name only those, and nothing in src/vscode registers a command on
// the side of registerCommands.ts (which adds the shared error handler).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { COMMAND_IDS, INTERNAL_COMMAND_IDS } from '../../../src/vscode/commandIds';

const ROOT = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]> };
};

const sorted = (ids: Iterable<string>) => [...ids].sort();

const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** A manifest string as the editor shows it: `%key%` looked up in package.nls.json. */
function localized(value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  return key === undefined ? value : nls[key]!;
}

describe('command ids', () => {
  it('lists each command once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('are exactly the commands package.json contributes, apart from the internal ones', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.equal(new Set(contributed).size, contributed.length, 'package.json contributes a command twice');
    assert.deepEqual(sorted(contributed), sorted(COMMAND_IDS.filter((id) => !INTERNAL_COMMAND_IDS.has(id))));
  });

  it('are the only commands the manifest menus name', () => {
    const known = new Set<string>(COMMAND_IDS);
    const unknown = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) =>
      items.filter((item) => item.command && !known.has(item.command)).map((item) => `${menu}: ${item.command}`),
    );
    assert.deepEqual(unknown, []);
  });

  it('are registered only through registerCommands.ts (the lint rule refuses a command registered on the side)', async function () {
    this.timeout(60000);
    const eslint = new ESLint({ cwd: ROOT });
    const sideways = [
      "vscode.commands.registerCommand('stowage.x', () => 1);",
      "vscode.commands.registerTextEditorCommand('stowage.x', () => 1);",
    ];
    for (const file of ['src/vscode/lint/probe.ts', 'src/vscode/prompts.ts']) {
      for (const code of sideways) {
        const [result] = await eslint.lintText(`import * as vscode from 'vscode';\n${code}\n`, {
          filePath: path.join(ROOT, file),
        });
        assert.ok(
          result!.messages.some((m) => m.ruleId === 'no-restricted-syntax' && /COMMAND_IDS/.test(m.message)),
          `${file}: ${code}: ${JSON.stringify(result!.messages)}`,
        );
      }
    }
    const [shell] = await eslint.lintText(`import * as vscode from 'vscode';\n${sideways[0]}\n`, {
      filePath: path.join(ROOT, 'src/vscode/registerCommands.ts'),
    });
    assert.deepEqual(
      shell!.messages.filter((m) => m.ruleId === 'no-restricted-syntax'),
      [],
    );
  });
});

describe('menus', () => {
  const menus = manifest.contributes.menus as Record<string, { command?: string; when?: string; group?: string }[]>;
  const titles = (manifest.contributes.commands as { command: string; title: string; category?: string }[]).map(
    (c) => `${localized(c.category ?? '')}: ${localized(c.title)}`,
  );

  it('each view title shows one Refresh, and no two palette entries read the same', () => {
    for (const view of ['stowage.registries', 'stowage.layouts']) {
      const refreshes = menus['view/title']!.filter(
        (item) => item.command?.endsWith('.refresh') && item.when?.includes(`view == ${view}`),
      );
      assert.equal(refreshes.length, 1, `${view}: ${JSON.stringify(refreshes)}`);
    }
    assert.equal(new Set(titles).size, titles.length, `duplicate palette titles: ${titles.join(', ')}`);
  });

  it('puts every command under the name the activity bar shows, so that typing "stowage" in the palette finds it', () => {
    const name = nls['viewsContainers.stowage.title'];
    assert.equal(name, 'Stowage');
    const elsewhere = (manifest.contributes.commands as { command: string; category?: string }[])
      .filter((c) => localized(c.category ?? '') !== name)
      .map((c) => `${c.command}: ${localized(c.category ?? '(none)')}`);
    assert.deepEqual(elsewhere, []);
  });

  it('offers every context-menu command in the palette too (a keyboard user without Shift+F10 reaches it), save the commands a row runs on Enter', () => {
    const hidden = new Set(menus['commandPalette']!.filter((item) => item.when === 'false').map((i) => i.command));
    const onEnter = [
      'stowage.blob.open',
      'stowage.layerFile.open',
      'stowage.tree.loadMore',
      'stowage.tree.errorAction',
    ];
    assert.deepEqual([...hidden].sort(), [...onEnter].sort(), 'hidden from the palette');
    const inMenus = Object.entries(menus)
      .filter(([where]) => where !== 'commandPalette')
      .flatMap(([, items]) => items.map((i) => i.command))
      .filter((id): id is string => id !== undefined);
    const unreachable = inMenus.filter((id) => hidden.has(id) && !onEnter.includes(id));
    assert.deepEqual(unreachable, []);
  });

  it('on several selected rows, the context menu offers only the commands that act on every one of them', () => {
    // VS Code hands a command the row clicked and the whole selection: one that reads only the row clicked would
    // silently leave the others out (Copy To… on three tags copied one, before it took the selection).
    const onEverySelected = [
      'stowage.artifact.copyReference',
      'stowage.artifact.copyDigest',
      'stowage.artifact.copyPinnedReference',
      'stowage.artifact.delete',
      'stowage.artifact.removeTag',
      'stowage.artifact.compareSelected',
      'stowage.artifact.copyTo',
      'stowage.artifact.pull',
    ];
    const shownOnSeveral = menus['view/item/context']!.filter(
      (item) => !item.group?.startsWith('inline') && !/!listMultiSelection\b/.test(item.when ?? ''),
    );
    const singleOnly = shownOnSeveral.map((item) => item.command!).filter((id) => !onEverySelected.includes(id));
    assert.deepEqual([...new Set(singleOnly)], []);
  });

  it('offers Validate Layout in the Explorer only on folders that are layouts, Push on files and folders', () => {
    const explorer = menus['explorer/context']!;
    assert.match(
      explorer.find((i) => i.command === 'stowage.lint.validateLayout')!.when!,
      /explorerResourceIsFolder && resourcePath in stowage\.layoutFolders/,
    );
    assert.doesNotMatch(explorer.find((i) => i.command === 'stowage.artifact.push')!.when!, /layoutFolders/);
  });
});

describe('package.nls.json', () => {
  const raw = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const used = [...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);

  it('holds every %key% the manifest uses, and only those', () => {
    assert.deepEqual(
      used.filter((key) => !(key in nls)),
      [],
    );
    assert.deepEqual(
      Object.keys(nls).filter((key) => !used.includes(key)),
      [],
    );
  });

  it('leaves no user-visible string of the manifest in the manifest itself', () => {
    const literal: string[] = [];
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${where}[${i}]`));
      else if (value && typeof value === 'object')
        for (const [key, item] of Object.entries(value)) {
          const visible = [
            'title',
            'description',
            'markdownDescription',
            'name',
            'contents',
            'category',
            'contextualTitle',
          ];
          if (visible.includes(key) && typeof item === 'string' && !/^%.+%$/.test(item))
            literal.push(`${where}.${key}`);
          else if (key === 'enumDescriptions' && Array.isArray(item) && item.some((d) => !/^%.+%$/.test(String(d))))
            literal.push(`${where}.${key}`);
          else visit(item, `${where}.${key}`);
        }
    };
    const pkg = JSON.parse(raw) as Record<string, unknown>;
    visit(
      { displayName: pkg['displayName'], capabilities: pkg['capabilities'], contributes: pkg['contributes'] },
      'package',
    );
    // Object keys like "title" inside configuration property *names* do not occur; ids and `name` of the package do not count.
    assert.deepEqual(literal, []);
  });
});

describe('menus on a layout archive', () => {
  it('offer no command that writes on what an archive holds', () => {
    const writes = [
      'stowage.artifact.addTag',
      'stowage.artifact.delete',
      'stowage.artifact.attachSbom',
      'stowage.artifact.attachSignature',
      'stowage.artifact.attachFile',
      'stowage.referrers.repair',
    ];
    const items = (manifest.contributes.menus as Record<string, { command?: string; when?: string }[]>)[
      'view/item/context'
    ]!;
    for (const item of items.filter((i) => writes.includes(i.command!)))
      assert.match(item.when!, /!\(viewItem =~ \/\\bread-only\\b\/\)/, item.command);
  });
});

describe('row menus match rows by their type, the first word of their context value', () => {
  const items = (manifest.contributes.menus as Record<string, { command?: string; when?: string }[]>)[
    'view/item/context'
  ]!;
  const offeredOn = (contextValue: string) =>
    items
      .filter((item) =>
        [...(item.when ?? '').matchAll(/(!?)\(?viewItem =~ \/(.+?)\/\)?/g)].every(
          ([, not, source]) => new RegExp(source!).test(contextValue) !== (not === '!'),
        ),
      )
      .map((item) => item.command!);

  it('a tag in a registry is offered artifact commands, not the registry’s (Log In, Remove Registry, Filter…)', () => {
    const onTag = offeredOn('manifest tagged registry');
    for (const id of ['stowage.registry.login', 'stowage.registry.remove', 'stowage.registries.filter'])
      assert.ok(!onTag.includes(id), `${id} is offered on a tag`);
    assert.ok(onTag.includes('stowage.artifact.copyTo'));
  });

  it('an artifact in a layout is not offered Garbage Collect or Validate Layout', () => {
    const onArtifact = offeredOn('manifest tagged layout');
    for (const id of ['stowage.layout.garbageCollect', 'stowage.lint.validateLayout'])
      assert.ok(!onArtifact.includes(id), `${id} is offered on an artifact`);
    assert.ok(offeredOn('layout store drop-target found').includes('stowage.layout.garbageCollect'));
  });

  it('a layout archive is offered what reads it (Copy Reference, Check Referrers, Restore), nothing that writes', () => {
    const onArchive = offeredOn('archive found');
    for (const id of ['stowage.artifact.copyReference', 'stowage.referrers.check', 'stowage.layout.restore'])
      assert.ok(onArchive.includes(id), `${id} is not offered on an archive`);
    for (const id of ['stowage.artifact.push', 'stowage.referrers.repair', 'stowage.layout.garbageCollect'])
      assert.ok(!onArchive.includes(id), `${id} is offered on an archive`);
  });
});
