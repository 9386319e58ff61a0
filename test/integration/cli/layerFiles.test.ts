// `stowage files`: an image umoci built (two layers, the second deleting with real whiteouts), copied by skopeo to
// the real registry, looked into without pulling: the listing, one file as a container sees it, a file deleted
// above, one layer alone, a titled file layer, and a layer that does not match its digest losing nothing.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs, watch } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { bufferContent } from '../../fixtures/registryClients';
import { cli, cliOk } from '../../helpers/runCli';
import { buildTar, type TarEntry } from '../../helpers/tarBuilder';
import { run } from '../helpers/tools';

describe('stowage files: what the layers hold, without a pull', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let image: string;
  let layout: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-files-'));
    layout = path.join(dir, 'img');
    // Two layers as umoci builds them from a root filesystem: the second replaces os-release, deletes motd and
    // replaces a folder's content (umoci writes whiteouts for what went).
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:base`]);
    const first = path.join(dir, 'b1');
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:base`, first]);
    await fs.mkdir(path.join(first, 'rootfs/etc'), { recursive: true });
    await fs.mkdir(path.join(first, 'rootfs/opt/app'), { recursive: true });
    await fs.writeFile(path.join(first, 'rootfs/etc/os-release'), 'ID=demo\n');
    await fs.writeFile(path.join(first, 'rootfs/etc/motd'), 'gone\n');
    await fs.writeFile(path.join(first, 'rootfs/opt/app/a'), 'old\n');
    await fs.symlink('os-release', path.join(first, 'rootfs/etc/link'));
    await run('umoci', ['repack', '--image', `${layout}:base`, first]);
    const second = path.join(dir, 'b2');
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:base`, second]);
    await fs.rm(path.join(second, 'rootfs/etc/motd'));
    await fs.rm(path.join(second, 'rootfs/opt/app/a'));
    await fs.writeFile(path.join(second, 'rootfs/opt/app/b'), 'new\n');
    await fs.writeFile(path.join(second, 'rootfs/etc/os-release'), 'ID=demo2\n');
    await run('umoci', ['repack', '--image', `${layout}:base`, second]);
    await run('skopeo', [
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${layout}:base`,
      `docker://${registry.host}/files/image:v1`,
    ]);
    image = `${registry.host}/files/image:v1`;
  });

  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists each layer as tar -tv does: folders, links, sizes, and the whiteouts of the second layer', async () => {
    const { stdout } = await cliOk(['files', '--plain-http', image]);
    const lines = stdout.split('\n');
    const headings = lines.filter((l) => l.startsWith('layer '));
    assert.equal(headings.length, 2, stdout);
    assert.match(
      headings[0]!,
      /^layer 1: sha256:[0-9a-f]{64} application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip, \d+ B; its files hold 17 B$/,
    );
    assert.ok(lines.includes('  -rw-r--r--            5 etc/motd'), stdout);
    assert.ok(
      lines.some((l) => /^ {2}lrwxrwxrwx +0 etc\/link -> os-release$/.test(l)),
      stdout,
    );
    assert.ok(
      lines.some((l) => /^ {2}drwxr-xr-x +0 opt\/app\/$/.test(l)),
      stdout,
    );
    const second = lines.slice(lines.indexOf(headings[1]!));
    assert.ok(
      second.some((l) => l.endsWith('etc/.wh.motd  (whiteout: deletes from the layers below)')),
      stdout,
    );
    assert.ok(
      second.some((l) => l.endsWith(' 4 opt/app/b')),
      stdout,
    );

    const json = JSON.parse((await cliOk(['files', '--plain-http', image, '--format', 'json'])).stdout) as {
      reference: string;
      layers: { layer: number; expandedBytes: number; entries: { path: string; type: string; size: number }[] }[];
    };
    assert.match(json.reference, /^127\.0\.0\.1:\d+\/files\/image@sha256:/);
    assert.deepEqual(
      json.layers.map((l) => [l.layer, l.expandedBytes]),
      [
        [1, 17],
        [2, 13],
      ],
      'what each layer takes unpacked: its files, without what the layer above replaces',
    );
    assert.deepEqual(
      json.layers[0]!.entries.find((e) => e.path === 'etc/os-release'),
      { path: 'etc/os-release', type: 'file', size: 8, mode: 0o644 },
    );
  });

  it('prints a file as the container sees it: the top-most layer holding it, deletions above honoured', async () => {
    assert.equal((await cliOk(['files', '--plain-http', image, 'etc/os-release'])).stdout, 'ID=demo2\n');
    assert.equal((await cliOk(['files', '--plain-http', image, '/opt/app/b'])).stdout, 'new\n');
    const deleted = await cli(['files', '--plain-http', image, 'etc/motd']);
    assert.equal(deleted.code, 1, deleted.stderr);
    assert.match(
      deleted.stderr,
      /"etc\/motd" was deleted by layer 2 \(sha256:[0-9a-f]{64}\): etc\/\.wh\.motd hides it/,
    );
    assert.equal(deleted.stdout, '');
    // One layer alone is that layer, whatever lies above.
    assert.equal((await cliOk(['files', '--plain-http', image, 'etc/motd', '--layer', '1'])).stdout, 'gone\n');
    const link = await cli(['files', '--plain-http', image, 'etc/link']);
    assert.equal(link.code, 1);
    assert.match(link.stderr, /"etc\/link" in layer 1 .* is a symbolic link to "os-release", not a file/);
    const missing = await cli(['files', '--plain-http', image, 'etc/shadow']);
    assert.match(missing.stderr, /no layer holds "etc\/shadow" \(2 layers looked into\)/);
    const beyond = await cli(['files', '--plain-http', image, '--layer', '3']);
    assert.equal(beyond.code, 2);
    assert.match(beyond.stderr, /--layer 3: .* has 2 layers \(1–2, or a layer's digest\)/);
  });

  it('looks into a layout archive the same way (blobs read from the .tar by byte range)', async () => {
    const archive = path.join(dir, 'image.tar');
    await cliOk(['copy', '--plain-http', image, `oci-archive:${archive}:v1`]);
    assert.equal((await cliOk(['files', `oci-archive:${archive}:v1`, 'etc/os-release'])).stdout, 'ID=demo2\n');
    const deleted = await cli(['files', `oci-archive:${archive}:v1`, 'opt/app/a']);
    assert.match(deleted.stderr, /"opt\/app\/a" was deleted by layer 2/);
  });

  it('-o writes the file whole, and a failed lookup leaves the folder as it was', async () => {
    const out = path.join(dir, 'out');
    await fs.mkdir(out);
    await cliOk(['files', '--plain-http', image, 'etc/os-release', '-o', path.join(out, 'os-release')]);
    assert.equal(await fs.readFile(path.join(out, 'os-release'), 'utf8'), 'ID=demo2\n');
    const failed = await cli(['files', '--plain-http', image, 'etc/motd', '-o', path.join(out, 'motd')]);
    assert.equal(failed.code, 1);
    assert.deepEqual(await fs.readdir(out), ['os-release']);
  });

  it('a titled file layer (ORAS) is the file a pull would write', async () => {
    const work = path.join(dir, 'oras');
    await fs.mkdir(work);
    await fs.writeFile(path.join(work, 'notes.txt'), 'plain notes\n');
    const ref = `${registry.host}/files/notes:v1`;
    await cliOk(['push', '--plain-http', ref, path.join(work, 'notes.txt')]);
    const { stdout } = await cliOk(['files', '--plain-http', ref]);
    assert.match(stdout, /\n {2}-rw-r--r-- +12 notes\.txt {2}\(the layer is this file\)\n/);
    assert.equal((await cliOk(['files', '--plain-http', ref, 'notes.txt'])).stdout, 'plain notes\n');
  });

  it('a titled tar (ORAS pushes x.tar as it is) is the file a pull writes and, as the editor expands it, what it holds', async () => {
    const work = path.join(dir, 'oras-tar');
    await fs.mkdir(work);
    const archive = await buildTar([
      { name: 'site/', type: 'directory' },
      { name: 'site/index.html', content: '<h1>hi</h1>\n' },
    ]);
    await fs.writeFile(path.join(work, 'site.tar'), archive);
    await fs.writeFile(path.join(work, 'broken.tar'), 'named like a tar, but text\n');
    const ref = `${registry.host}/files/site:v1`;
    await cliOk(['push', '--plain-http', ref, path.join(work, 'site.tar'), path.join(work, 'broken.tar')]);
    const { stdout } = await cliOk(['files', '--plain-http', ref]);
    assert.match(
      stdout,
      /\n {2}-rw-r--r-- +\d+ site\.tar {2}\(the layer is this file, as a pull writes it; a tar archive holding:\)\n.* site\/\n.* site\/index\.html\n/,
    );
    assert.match(
      stdout,
      / broken\.tar {2}\(the layer is this file, as a pull writes it; named like a tar archive, but not one: /,
    );
    // The file a pull writes, byte for byte, and a file inside it, as Open File shows it in the editor.
    const out = path.join(work, 'out.tar');
    await cliOk(['files', '--plain-http', ref, 'site.tar', '-o', out]);
    assert.deepEqual(await fs.readFile(out), archive);
    assert.equal((await cliOk(['files', '--plain-http', ref, 'site/index.html'])).stdout, '<h1>hi</h1>\n');
    const json = JSON.parse((await cliOk(['files', '--plain-http', ref, '--format', 'json'])).stdout) as {
      layers: { file: string; entries?: { path: string }[] }[];
    };
    assert.deepEqual(
      json.layers.map((l) => [l.file, l.entries?.map((e) => e.path)]),
      [
        ['site.tar', ['site', 'site/index.html']],
        ['broken.tar', undefined],
      ],
    );
    // A pull writes it as it is, as ORAS does: not unpacked.
    const pulled = path.join(work, 'pulled');
    await cliOk(['pull', '--plain-http', ref, '-o', pulled]);
    assert.deepEqual((await fs.readdir(pulled)).sort(), ['broken.tar', 'site.tar']);
  });

  it('a path a layer lists twice is its last copy, as extracting leaves it: listed, written with -o, and printed', async () => {
    // `tar -r` appends a newer copy of a file to an archive; extracting it, a runtime keeps the last.
    const twice = path.join(dir, 'twice');
    await layoutWithLayers(twice, [
      [
        { name: 'etc/motd', content: 'first copy\n' },
        { name: 'etc/hostname', content: 'box\n' },
        { name: 'etc/motd', content: 'the last copy\n' },
      ],
    ]);
    const ref = `oci:${twice}:v1`;
    const listed = (await cliOk(['files', ref])).stdout.split('\n');
    assert.deepEqual(
      listed.filter((l) => l.endsWith(' etc/motd')),
      ['  -rw-r--r--           14 etc/motd'],
      listed.join('\n'),
    );
    const out = path.join(dir, 'twice-out');
    await fs.mkdir(out);
    await cliOk(['files', ref, 'etc/motd', '-o', path.join(out, 'motd')]);
    assert.equal(await fs.readFile(path.join(out, 'motd'), 'utf8'), 'the last copy\n');
    assert.deepEqual(await fs.readdir(out), ['motd'], 'the first copy left no temporary file');
    // Printed as it streams, the first copy is out before the second shows: the command fails, saying so.
    const printed = await cli(['files', ref, 'etc/motd']);
    assert.equal(printed.code, 1, printed.stderr);
    assert.match(
      printed.stderr,
      /layer 1 \(sha256:[0-9a-f]{64}\) holds "etc\/motd" more than once: what was printed is an earlier copy, and a container sees the last; -o FILE writes the last/,
    );
  });

  it('a hard link to a file listed twice before it: -o writes and printing prints the copy it was made to', async () => {
    const linked = path.join(dir, 'linked');
    await layoutWithLayers(linked, [
      [
        { name: 'bin/tool', content: 'old\n' },
        { name: 'bin/tool', content: 'linked\n' },
        { name: 'bin/alias', type: 'link', linkname: 'bin/tool' },
      ],
    ]);
    const ref = `oci:${linked}:v1`;
    const out = path.join(dir, 'linked-out');
    await fs.mkdir(out);
    await cliOk(['files', ref, 'bin/alias', '-o', path.join(out, 'alias')]);
    assert.equal(await fs.readFile(path.join(out, 'alias'), 'utf8'), 'linked\n');
    // Only the copy the link was made to is printed: nothing earlier is out that a later copy would take back.
    const printed = await cli(['files', ref, 'bin/alias']);
    assert.deepEqual([printed.code, printed.stdout], [0, 'linked\n'], printed.stderr);
    assert.equal((await cliOk(['files', ref, 'bin/alias'], { terminal: true })).stdout, 'linked\n');
  });

  it('a hard link to a whiteout and a file under a folder the layer replaces with a file are gone, as extracting leaves them', async () => {
    const gone = path.join(dir, 'gone');
    await layoutWithLayers(gone, [
      [
        { name: 'etc/motd', content: 'lower motd\n' },
        { name: 'bin/tool', content: 'lower tool\n' },
      ],
      [
        { name: 'bin/.wh.tool', content: '' },
        { name: 'bin/alias', type: 'link', linkname: 'bin/.wh.tool' },
        { name: 'etc/', type: 'directory' },
        { name: 'etc/passwd', content: 'root:x:0:0\n' },
        { name: 'etc', content: 'etc is a file now\n' },
      ],
    ]);
    const ref = `oci:${gone}:v1`;
    const alias = await cli(['files', ref, 'bin/alias']);
    assert.deepEqual([alias.code, alias.stdout], [1, ''], alias.stderr);
    assert.match(
      alias.stderr,
      /"bin\/alias" in layer 2 \(sha256:[0-9a-f]{64}\) is a hard link to "bin\/\.wh\.tool", which layer 2 .* deletes \(bin\/\.wh\.tool is a whiteout/,
    );
    const listed = (await cliOk(['files', ref, '--layer', '2'])).stdout;
    assert.ok(!listed.includes('etc/passwd'), listed);
    assert.match(listed, / etc\n/);
    for (const file of ['etc/passwd', 'etc/motd']) {
      const lookup = await cli(['files', ref, file, '-o', path.join(dir, 'gone-out')]);
      assert.equal(lookup.code, 1, lookup.stderr);
      assert.match(lookup.stderr, new RegExp(`"${file.replace('/', '\\/')}" was deleted by layer 2 .*: etc hides it`));
    }
    await assert.rejects(fs.stat(path.join(dir, 'gone-out')), /ENOENT/);
  });

  it('-o writes a path a layer lists thousands of times into one temporary file, not a file made and removed per copy', async () => {
    // A few kilobytes of gzip list a path thousands of times (a gzip bomb of headers, millions); each copy made its
    // own temporary file beside the output, flushed to disk and removed: minutes of disk work, and files appearing
    // in the user's folder, for nothing a container sees.
    const many = path.join(dir, 'many');
    const copies = 400;
    await layoutWithLayers(many, [
      Array.from({ length: copies }, (_, i): TarEntry => ({ name: 'etc/motd', content: `copy ${i}\n` })),
    ]);
    const out = path.join(dir, 'many-out');
    await fs.mkdir(out);
    const seen = new Set<string>();
    const done = new Promise<void>((resolve) => {
      const watcher = watch(out, (_event, name) => {
        if (name) seen.add(name);
        // The output's own name comes last, when the finished file is renamed into place.
        if (name === 'motd') {
          watcher.close();
          resolve();
        }
      });
    });
    await cliOk(['files', `oci:${many}:v1`, 'etc/motd', '-o', path.join(out, 'motd')]);
    await within(10_000, done, 'the output never appeared to the watcher');
    assert.equal(await fs.readFile(path.join(out, 'motd'), 'utf8'), `copy ${copies - 1}\n`);
    assert.deepEqual(await fs.readdir(out), ['motd']);
    assert.ok(seen.size <= 2, `${seen.size} names appeared in the output's folder (a temporary file and the output)`);
  });

  it('names from a layer reach the terminal as code points: no escape sequence, no bidi override', async () => {
    const hostile = path.join(dir, 'hostile');
    await layoutWithLayers(hostile, [
      [
        { name: 'evil\u001b]0;owned\u0007name', content: 'x' },
        { name: 'invoice\u202Efdp.exe', content: 'y' },
        { name: 'link', type: 'symlink', linkname: '\u001b[2J' },
        { name: 'csi\u009b2J', content: 'z' },
      ],
    ]);
    const { stdout } = await cliOk(['files', `oci:${hostile}:v1`]);
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    assert.ok(!/[\u001b\u0007\u202e]/.test(stdout), stdout);
    assert.match(stdout, /evil.*U\+001B.*name/);
    assert.match(stdout, /invoice.*U\+202E.*fdp\.exe/);
    // JSON keeps the names exact for a parser, with nothing a terminal acts on or that reorders what it shows.
    const json = (await cliOk(['files', `oci:${hostile}:v1`, '--format', 'json'])).stdout;
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    assert.ok(!/[\u001b\u0007\u009b\u202e]/.test(json), json);
    const parsed = JSON.parse(json) as { layers: { entries: { path: string }[] }[] };
    assert.deepEqual(
      parsed.layers[0]!.entries.map((e) => e.path),
      ['evil\u001b]0;owned\u0007name', 'invoice\u202Efdp.exe', 'link', 'csi\u009b2J'],
    );
    const missing = await cli(['files', `oci:${hostile}:v1`, 'evil\u001b[31mred']);
    assert.ok(!missing.stderr.includes('\u001b'), missing.stderr);
  });

  it('a file printed to a terminal stops before a control character; -o - and a pipe get the bytes as they are', async () => {
    const escapes = path.join(dir, 'escapes');
    // An OSC 52 sequence writes the clipboard, ESC [2J clears the screen, U+009B is CSI in one character, and a
    // carriage return alone lets a line be written over what was shown.
    const osc = 'Welcome\n\u001b]52;c;ZXZpbA==\u0007\u001b[2J';
    await layoutWithLayers(escapes, [
      [
        { name: 'etc/motd', content: osc },
        { name: 'c1', content: 'ok \u009b2J' },
        { name: 'overwrite', content: 'rm -rf /\rls -l    \n' },
        { name: 'crlf.txt', content: 'one\r\ntwo\r\n\ttabbed\r\n' },
      ],
    ]);
    const ref = `oci:${escapes}:v1`;
    const shown = await cli(['files', ref, 'etc/motd'], { terminal: true });
    assert.equal(shown.code, 1, shown.stderr);
    assert.equal(shown.stdout, 'Welcome\n', 'the text before the escape, and nothing of or after it');
    assert.match(shown.stderr, /"etc\/motd" holds a control character \(U\+001B at byte 8\).*-o FILE.*-o -/);
    const c1 = await cli(['files', ref, 'c1'], { terminal: true });
    assert.deepEqual([c1.code, c1.stdout], [1, 'ok \n'], c1.stderr);
    assert.match(c1.stderr, /U\+009B at byte 3/);
    const overwrite = await cli(['files', ref, 'overwrite'], { terminal: true });
    assert.deepEqual([overwrite.code, overwrite.stdout], [1, 'rm -rf /\n'], overwrite.stderr);
    assert.match(overwrite.stderr, /U\+000D at byte 8/);
    // Windows text and tabs are text.
    const crlf = await cli(['files', ref, 'crlf.txt'], { terminal: true });
    assert.deepEqual([crlf.code, crlf.stdout], [0, 'one\r\ntwo\r\n\ttabbed\r\n'], crlf.stderr);
    // Asked for as they are, or into a pipe (a script), the bytes are the file's.
    assert.equal((await cliOk(['files', ref, 'etc/motd', '-o', '-'], { terminal: true })).stdout, osc);
    assert.equal((await cliOk(['files', ref, 'etc/motd'])).stdout, osc);
  });

  it('a file printed to a terminal stops before a bidirectional control (Trojan Source), as registry text is escaped', async () => {
    const trojan = path.join(dir, 'trojan');
    // Shown in a terminal, the override makes the check read as a comment's end while the code still runs it.
    const source = 'if (isAdmin) {\n  /* check \u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\n';
    await layoutWithLayers(trojan, [
      [
        { name: 'auth.js', content: source },
        { name: 'hidden.txt', content: 'abc\u200Bdef' },
        { name: 'windows.txt', content: '\uFEFFcaf\u00e9 \u00a9 \u{1F600}\n' },
      ],
    ]);
    const ref = `oci:${trojan}:v1`;
    const shown = await cli(['files', ref, 'auth.js'], { terminal: true });
    assert.equal(shown.code, 1, shown.stderr);
    assert.equal(shown.stdout, 'if (isAdmin) {\n  /* check \n', 'the text before the override, nothing of or after it');
    const at = Buffer.byteLength(source.slice(0, source.indexOf('\u202E')));
    assert.match(
      shown.stderr,
      new RegExp(`"auth\\.js" holds a bidirectional control character \\(U\\+202E at byte ${at}\\)`),
    );
    assert.match(shown.stderr, /-o FILE.*-o -/);
    const hidden = await cli(['files', ref, 'hidden.txt'], { terminal: true });
    assert.deepEqual([hidden.code, hidden.stdout], [1, 'abc\n'], hidden.stderr);
    assert.match(hidden.stderr, /holds an invisible character \(U\+200B at byte 3\)/);
    // A byte order mark that starts the file, accents, symbols and emoji are text.
    const windows = await cli(['files', ref, 'windows.txt'], { terminal: true });
    assert.deepEqual([windows.code, windows.stdout], [0, '\uFEFFcaf\u00e9 \u00a9 \u{1F600}\n'], windows.stderr);
    assert.equal((await cliOk(['files', ref, 'auth.js', '-o', '-'], { terminal: true })).stdout, source);
  });

  it('--format json stops once the layers name their entries in more than 32 Mi characters in all', async () => {
    // Each layer is within the cap of one listing (names of 4,000 characters compress to almost nothing), but JSON
    // holds every layer's entries until the end: two such layers held 34 million characters of names at once.
    const many = path.join(dir, 'many-names');
    const layer = (n: number): TarEntry[] =>
      Array.from({ length: 4300 }, (_, i) => ({ name: `${n}/${i}-${'n'.repeat(4000)}`, content: '' }));
    await layoutWithLayers(many, [layer(1), layer(2)]);
    const json = await cli(['files', `oci:${many}:v1`, '--format', 'json']);
    assert.equal(json.code, 1, json.stderr);
    assert.equal(json.stdout, '');
    assert.match(json.stderr, /the layers up to layer 2 name their entries in more than 33554432 characters in all/);
    assert.match(json.stderr, /--layer N/);
    // One layer at a time is listed whole.
    const one = JSON.parse((await cliOk(['files', `oci:${many}:v1`, '--format', 'json', '--layer', '2'])).stdout) as {
      layers: { entries: unknown[] }[];
    };
    assert.equal(one.layers[0]!.entries.length, 4300);
  });

  it('a layer whose bytes do not match its digest fails the command and writes nothing', async () => {
    // A copy of the layout whose first layer is replaced by another valid tar+gzip of the same size.
    const forged = path.join(dir, 'forged');
    await fs.cp(layout, forged, { recursive: true });
    const index = JSON.parse(await fs.readFile(path.join(forged, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const manifestFile = path.join(forged, 'blobs/sha256', index.manifests[0]!.digest.slice('sha256:'.length));
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as {
      layers: { digest: string; size: number }[];
    };
    const first = manifest.layers[0]!;
    const replacement = await sameSizeGzipTar(first.size);
    await fs.writeFile(path.join(forged, 'blobs/sha256', first.digest.slice('sha256:'.length)), replacement);
    const out = path.join(dir, 'forged-out');
    await fs.mkdir(out);
    const result = await cli(['files', `oci:${forged}:base`, 'etc/motd', '--layer', '1', '-o', path.join(out, 'motd')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /digest mismatch \(expected sha256:/);
    assert.deepEqual(await fs.readdir(out), [], 'no file and no temporary file');
    const listing = await cli(['files', `oci:${forged}:base`, '--layer', '1']);
    assert.equal(listing.code, 1);
    assert.equal(listing.stdout, '', 'no entry of an unverified layer is listed');
    assert.match(listing.stderr, /digest mismatch/);
  });
});

/**
 * A tar+gzip holding etc/motd ("forged") and random bytes (stored, so each adds about one) making it exactly `size`
 * bytes; a few names are tried, as deflate's block headers skip a size now and then.
 */
async function sameSizeGzipTar(size: number): Promise<Buffer> {
  const noise = randomBytes(4096);
  for (let name = 0; name < 16; name++)
    for (let pad = 0; pad < noise.length; pad++) {
      const bytes = gzipSync(
        await buildTar([
          { name: 'etc/motd', content: 'forged\n' },
          { name: `pad${'x'.repeat(name)}`, content: noise.subarray(0, pad) },
        ]),
      );
      if (bytes.length === size) return bytes;
      if (bytes.length > size) break;
    }
  throw new Error(`no forged layer of exactly ${size} bytes`);
}

/** A layout at `where` tagged v1: a manifest of tar+gzip layers, each holding one list of `layers`. */
async function layoutWithLayers(where: string, layers: TarEntry[][]): Promise<void> {
  const layout = await LayoutTarget.open(where, { create: true });
  const layerDescriptors = [];
  for (const entries of layers) {
    const layer = gzipSync(await buildTar(entries));
    const descriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(layer), size: layer.length };
    await layout.pushBlob(descriptor, bufferContent(layer));
    layerDescriptors.push(descriptor);
  }
  const config = Buffer.from('{}');
  const configDescriptor = { mediaType: MediaType.ociConfig, digest: digestOf(config), size: config.length };
  await layout.pushBlob(configDescriptor, bufferContent(config));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: layerDescriptors,
    }),
  );
  await layout.pushManifest(
    { mediaType: MediaType.ociManifest, digest: digestOf(manifest), size: manifest.length },
    manifest,
    { tag: 'v1' },
  );
}

/** `promise`, or a failure saying `why` once `ms` passed. */
async function within<T>(ms: number, promise: Promise<T>, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(why)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
