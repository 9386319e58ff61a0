// DOM building that can only ever produce text: children are nodes or strings (text nodes), attributes are
// set one by one with setAttribute, and no HTML parser is involved anywhere in the webview.
import { MAX_DETAIL_LENGTH, showInvisible, untrustedText } from '../../src/core/oci';

const SVG_NS = 'http://www.w3.org/2000/svg';

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/**
 * Registry text made safe to look at: control, bidirectional and zero-width characters (which could disguise
 * what a value says) are shown as their code points instead of acting, by the one rule the editor and CLI use.
 */
export function visible(text: string): string {
  return showInvisible(text);
}

/** A registry value in a node's name or drawn texts: visible, and cut as the tree cuts a detail (MAX_DETAIL_LENGTH). */
export function visibleDetail(text: string): string {
  return untrustedText(text, { maxLength: MAX_DETAIL_LENGTH });
}
