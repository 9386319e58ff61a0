// "Export SVG": the drawn graph as a standalone file, with the theme's current colours written in (the file
// is viewed outside VS Code, where the CSS variables do not exist), titled with the artifact's reference.
import { svg, visible } from './dom';

const PROPERTIES = [
  'fill',
  'stroke',
  'stroke-width',
  // An edge label's halo is a stroke painted under its fill: without these the stroke covers the text.
  'paint-order',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'opacity',
];

export function standaloneSvg(source: SVGSVGElement, width: number, height: number, reference?: string): string {
  const copy = source.cloneNode(true) as SVGSVGElement;
  const originals = source.querySelectorAll<SVGElement>('*');
  const copies = copy.querySelectorAll<SVGElement>('*');
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    const target = copies[i]!;
    for (const property of PROPERTIES) target.style.setProperty(property, computed.getPropertyValue(property));
  });
  // After the styles (the copy's elements pair with the originals by position). A text node, serialised escaped: the
  // reference names the drawing in viewers and to screen readers.
  if (reference) copy.insertBefore(svg('title', {}, visible(reference)), copy.firstChild);
  copy.querySelector('.content')?.removeAttribute('transform');
  copy.setAttribute('width', String(Math.ceil(width)));
  copy.setAttribute('height', String(Math.ceil(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  copy.style.setProperty('background', getComputedStyle(document.body).getPropertyValue('background-color'));
  return new XMLSerializer().serializeToString(copy);
}
