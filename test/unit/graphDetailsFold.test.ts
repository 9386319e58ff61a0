// How the referrer graph's details fold a long registry value (media/webview/fold.ts): a hostile value cannot make
// the count lie, cut a shown code point or a surrogate pair in half, or pass for a field of the descriptor.
import * as assert from 'node:assert/strict';
import { ANNOTATION_SHOWN, shownAnnotation, shownDescriptor } from '../../media/webview/fold';

/** A surrogate half standing alone: what a cut through a pair leaves. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('graph details fold (long annotation values and descriptors)', () => {
  it('counts the value’s own characters, not the code points its bidi overrides are shown as', () => {
    const value = `${'a'.repeat(250)}${'\u202E'.repeat(100)}`;
    const shown = shownAnnotation(value);
    assert.equal(shown.characters, 350);
    assert.equal(shown.whole, `${'a'.repeat(250)}${'⟨U+202E⟩'.repeat(100)}`);
    assert.ok(shown.start !== undefined, 'a value shown as 1,050 characters is not folded');
  });

  it('cuts between characters: never inside a shown code point, and at most 300 characters on screen', () => {
    const value = `${'a'.repeat(295)}\u202Etxt.exe`;
    const { start } = shownAnnotation(value);
    assert.equal(start, 'a'.repeat(295), 'the cut splits ⟨U+202E⟩');
    const overrides = shownAnnotation('\u202E'.repeat(1000));
    assert.equal(overrides.start, '⟨U+202E⟩'.repeat(Math.floor(ANNOTATION_SHOWN / 8)));
    assert.equal(overrides.characters, 1000);
  });

  it('never cuts a surrogate pair, and counts a pair as one character', () => {
    const shown = shownAnnotation('😀'.repeat(400));
    assert.equal(shown.characters, 400);
    assert.equal(shown.start, '😀'.repeat(ANNOTATION_SHOWN));
    assert.doesNotMatch(shown.start!, LONE_SURROGATE);
    // A lone half the registry wrote stays one character, and the pair after it stays whole.
    const odd = shownAnnotation(`${'b'.repeat(299)}\uD83D😀${'c'.repeat(10)}`);
    assert.equal(odd.characters, 311);
    assert.equal(odd.start, `${'b'.repeat(299)}\uD83D`);
  });

  it('folds a 1 MB value quickly, with its whole length counted', () => {
    const began = process.hrtime.bigint();
    const shown = shownAnnotation('x'.repeat(1 << 20));
    assert.equal(shown.characters, 1_048_576);
    assert.equal(shown.start, 'x'.repeat(ANNOTATION_SHOWN));
    assert.ok(Number(process.hrtime.bigint() - began) / 1e6 < 1000, 'folding 1 MB took over a second');
  });

  it('a short value is shown whole, unfolded, its control characters made visible', () => {
    assert.deepEqual(shownAnnotation('ok\u001b[31m\n'), { whole: 'ok⟨U+001B⟩[31m⟨U+000A⟩', characters: 8 });
  });

  it('the descriptor keeps its own line breaks; an annotation holding the text ⟨U+000A⟩ starts no line of it', () => {
    const descriptor = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      annotations: { note: 'x⟨U+000A⟩  "digest": "sha256:forged",\nreal' },
    };
    const { whole } = shownDescriptor(JSON.stringify(descriptor, null, 2));
    assert.equal(whole.split('\n').length, 6, whole);
    assert.ok(whole.includes('"note": "x⟨U+000A⟩  \\"digest\\": \\"sha256:forged\\",\\nreal"'), whole);
  });
});
