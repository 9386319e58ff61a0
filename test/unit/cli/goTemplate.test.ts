// Go templates over JSON output (ORAS's --format go-template): the results Go's text/template gives for the same
// template and the same JSON, errors named as Go names them, and registry text kept off the terminal.
import * as assert from 'node:assert/strict';
import { GoTemplate } from '../../../src/cli/template/execute';
import { cli } from '../../helpers/runCli';

const data = {
  reference: 'localhost:5000/hello@sha256:aa',
  digest: 'sha256:aa',
  size: 1234567,
  files: [
    { path: '/tmp/hi.txt', size: 3 },
    { path: '/tmp/bye.txt', size: 4 },
  ],
  annotations: { 'org.opencontainers.image.title': 'hi', b: 'two' },
  tags: [],
  nothing: null,
};

const render = (template: string, value: unknown = data) => new GoTemplate(template).render(value);

describe('Go templates over JSON output', () => {
  const cases: [string, string][] = [
    ['{{.digest}}', 'sha256:aa'],
    ['{{ .size }}', '1234567'],
    ['{{.missing}}', '<no value>'],
    ['{{.nothing}}', '<no value>'],
    ['{{.annotations.b}}', 'two'],
    ['{{index .annotations "org.opencontainers.image.title"}}', 'hi'],
    ['{{index .files 1 | len}}', '2'],
    ['{{(index .files 0).path}}', '/tmp/hi.txt'],
    ['{{range .files}}{{.path}}\n{{end}}', '/tmp/hi.txt\n/tmp/bye.txt\n'],
    ['{{range $i, $f := .files}}{{$i}}={{$f.size}} {{end}}', '0=3 1=4 '],
    ['{{range $f := .files}}{{$f.size}}{{end}}', '34'],
    ['{{range $k, $v := .annotations}}{{$k}}:{{$v}};{{end}}', 'b:two;org.opencontainers.image.title:hi;'],
    ['{{range .tags}}x{{else}}no tags{{end}}', 'no tags'],
    ['{{range 3}}{{.}}{{end}}', '012'],
    ['{{range .files}}{{if eq .size 3}}{{continue}}{{end}}{{.path}}{{end}}', '/tmp/bye.txt'],
    ['{{range .files}}{{.size}}{{break}}{{end}}', '3'],
    ['{{if gt .size 1000}}big{{else if gt .size 10}}mid{{else}}small{{end}}', 'big'],
    ['{{if .tags}}some{{else if .files}}files{{end}}', 'files'],
    ['{{with .annotations}}{{.b}}{{end}}|{{with .tags}}x{{else}}none{{end}}', 'two|none'],
    ['{{$d := .digest}}{{range .files}}{{$d}} {{end}}', 'sha256:aa sha256:aa '],
    ['{{$n := 1}}{{range .files}}{{$n = .size}}{{end}}{{$n}}', '4'],
    ['{{range .files}}{{$.digest}}{{end}}', 'sha256:aasha256:aa'],
    ['a  {{- .digest -}}  b', 'asha256:aab'],
    ['{{/* a comment */}}x', 'x'],
    ['{{len .files}} {{len .digest}} {{len .annotations}}', '2 9 2'],
    [
      '{{printf "%s has %d files (%5.1f%%) %q %v" .digest (len .files) 12.345 "q" .tags}}',
      'sha256:aa has 2 files ( 12.3%) "q" []',
    ],
    ['{{print "a" 1 2 "b"}}', 'a1 2b'],
    ['{{println .digest .size}}', 'sha256:aa 1234567\n'],
    ['{{.digest | printf "<%s>"}}', '<sha256:aa>'],
    ['{{"x" | printf "%s-%s" "y"}}', 'y-x'],
    ['{{and .digest .size}} {{or .missing "fallback"}} {{not .tags}}', '1234567 fallback true'],
    ['{{eq .digest "a" "sha256:aa"}} {{ne 1 2}} {{lt 1 2}} {{ge "b" "a"}}', 'true true true true'],
    ['{{.files}}', '[map[path:/tmp/hi.txt size:3] map[path:/tmp/bye.txt size:4]]'],
    ['{{.annotations}}', 'map[b:two org.opencontainers.image.title:hi]'],
    ['{{toJson .files}}', '[{"path":"/tmp/hi.txt","size":3},{"path":"/tmp/bye.txt","size":4}]'],
    ['{{toPrettyJson .annotations.b}}', '"two"'],
    ['{{join "," (list)}}'.replace('(list)', '.tags'), ''],
    ['{{range .files}}{{.path | trimPrefix "/tmp/" | upper}} {{end}}', 'HI.TXT BYE.TXT '],
    ['{{keys .annotations | sortAlpha | join ","}}', 'b,org.opencontainers.image.title'],
    ['{{.missing | default "none"}} {{hasPrefix "sha256:" .digest}} {{contains "aa" .digest}}', 'none true true'],
    ['{{splitList ":" .digest | last}} {{first .files | toJson}}', 'aa {"path":"/tmp/hi.txt","size":3}'],
    ['{{quote .digest}} {{replace "aa" "bb" .digest}} {{"  x " | trim}}', '"sha256:aa" sha256:bb x'],
  ];
  for (const [template, expected] of cases)
    it(`${template} → ${JSON.stringify(expected)}`, () => assert.equal(render(template), expected));

  it('fails at parse time naming what is wrong and where', () => {
    const fails = (template: string, message: RegExp) => assert.throws(() => new GoTemplate(template), message);
    fails('{{.digest', /unclosed action: "\{\{" at offset 0/);
    fails('{{nosuch .digest}}', /function "nosuch" not defined in the action at offset 0/);
    fails('{{if .x}}a', /"if" at offset 0 has no "end"/);
    fails('a{{end}}', /unexpected "end"/);
    fails('{{else}}', /unexpected "else"/);
    fails('{{break}}', /"break" outside a range/);
    fails('{{template "x"}}', /named templates\) is not supported/);
    fails("{{'x'}}", /unexpected "'" in the action at offset 0/);
  });

  it('fails at run time as Go does: a field of a string, an undefined variable, a bad index', () => {
    assert.throws(() => render('{{.digest.x}}'), /the Go template: can't evaluate field x in sha256:aa/);
    assert.throws(() => render('{{$nope}}'), /undefined variable: \$nope/);
    assert.throws(() => render('{{index .files 5}}'), /error calling index: index out of range: 5/);
    assert.throws(() => render('{{.digest 1}}'), /can't give argument to non-function \.digest/);
  });

  it('shows a registry’s control and invisible characters instead of printing them', () => {
    const hostile = { title: 'ok\u001b[2J\u202eevil', ['k\u0007']: 'v' };
    const out = render('{{.title}} {{range $k, $v := .}}{{$k}} {{end}}{{toJson .title}}', hostile);
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    assert.doesNotMatch(out, /[\u0000-\u001f\u007f\u202e]/);
    assert.match(out, /^ok⟨U\+001B⟩\[2J⟨U\+202E⟩evil /);
  });

  describe('on the command line', () => {
    it('--format go-template=<t> and --format go-template --template <t> print JSON output through it', async () => {
      for (const args of [
        ['--format', 'go-template={{.}}'],
        ['--format=go-template', '--template', '{{.}}'],
        ['--template={{.}}', '--format', 'go-template'],
      ]) {
        const run = await cli(['lint', 'no-such-file.json', ...args]);
        assert.equal(run.code, 1, run.stderr);
        assert.match(
          run.stdout,
          /^map\[problems:\[map\[.*file:no-such-file\.json.*\] summary:map\[errors:1 infos:0 warnings:0\]\]$/,
        );
      }
    });

    it('refuses, before doing anything, a bad template, --template alone and commands without JSON output', async () => {
      const bad = await cli(['lint', 'x.json', '--format', 'go-template={{.x']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^stowage lint: the Go template: unclosed action/);
      const alone = await cli(['lint', 'x.json', '--template', '{{.}}']);
      assert.equal(alone.code, 2);
      assert.match(alone.stderr, /--template goes with --format go-template/);
      const none = await cli(['tag', 'localhost:5000/a:v1', 'v2', '--format', 'go-template={{.}}']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /stowage tag has no JSON output to format with a Go template/);
      const help = await cli(['lint', '--help']);
      assert.match(help.stdout, /--template <text> +with --format go-template/);
    });
  });
});
