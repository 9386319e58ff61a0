// "Export SVG": the drawn graph as a standalone file, with the theme's current colours written in (the file
// is viewed outside VS Code, where the CSS variables do not exist).
const PROPERTIES = ['fill', 'stroke', 'stroke-width', 'font-family', 'font-size', 'font-weight', 'opacity'];

export function standaloneSvg(source: SVGSVGElement, width: number, height: number): string {
  const copy = source.cloneNode(true) as SVGSVGElement;
  const originals = source.querySelectorAll<SVGElement>('*');
  const copies = copy.querySelectorAll<SVGElement>('*');
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    const target = copies[i]!;
    for (const property of PROPERTIES) target.style.setProperty(property, computed.getPropertyValue(property));
  });
  copy.querySelector('.content')?.removeAttribute('transform');
  copy.setAttribute('width', String(Math.ceil(width)));
  copy.setAttribute('height', String(Math.ceil(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  copy.style.setProperty('background', getComputedStyle(document.body).getPropertyValue('background-color'));
  return new XMLSerializer().serializeToString(copy);
}
