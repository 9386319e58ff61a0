// Makes the checkout itself an installed extension of the demo's code-server: a symlink in the extensions folder.
// Unlike a development path in the URL (which needs the smoke-test driver, and that hides notification toasts),
// this works for a plain URL in any browser, and `npm run build` + "Reload Window" picks up changes.
// VS Code keeps the manifests of installed extensions it scanned in the user data folder and shows the first window
// from that copy before checking it: a checkout whose package.json changed (new commands, menus) opened with the
// menus of the last `npm start` until a second reload. The copy is dropped before the server starts.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function linkDevelopmentExtension(extensionRoot: string, extensionsDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const prefix = `${manifest.publisher}.${manifest.name}-`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Links left by earlier versions or other checkouts would load a second copy.
  for (const name of fs.readdirSync(extensionsDir)) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(extensionsDir, name), { recursive: true, force: true });
  }
  const link = path.join(extensionsDir, `${prefix}${manifest.version}`);
  fs.symlinkSync(extensionRoot, link, 'dir');
  return link;
}

/** Drops code-server's copies of the installed extensions' manifests (the built-in ones stay: they do not change). */
export function forgetScannedExtensions(userDataDir: string): void {
  const profiles = path.join(userDataDir, 'CachedProfilesData');
  if (!fs.existsSync(profiles)) return;
  for (const profile of fs.readdirSync(profiles)) {
    const dir = path.join(profiles, profile);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir))
      if (/^extensions\.user\b.*\.cache$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
