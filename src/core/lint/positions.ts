// Turns JSON paths into text ranges: the value at fault, its key, or where a missing property belongs.
// The position tree is built on the first request only, so documents without problems never pay for it.
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { JsonPath } from './problem';

export interface Range {
  offset: number;
  length: number;
}

export class Locator {
  private tree: Node | undefined;

  constructor(
    private readonly text: string,
    private readonly document: unknown,
    tree?: Node,
  ) {
    this.tree = tree;
  }

  get root(): Node {
    this.tree ??= parseTree(this.text, [], { disallowComments: true });
    if (!this.tree) throw new Error('Locator used on text without a JSON value');
    return this.tree;
  }

  /** The first character of the document's value. */
  start(): Range {
    const offset = this.text.search(/\S/);
    return { offset: Math.max(offset, 0), length: 1 };
  }

  node(path: JsonPath): Node | undefined {
    return findNodeAtLocation(this.root, path);
  }

  /** The range of the value at `path`; for a missing value, see `missing`. */
  value(path: JsonPath): Range {
    const node = this.node(path);
    return node ? { offset: node.offset, length: node.length } : this.missing(path);
  }

  /** The range of the property name of `path` (the value's range for array items and the root). */
  key(path: JsonPath): Range {
    const node = this.node(path);
    if (!node) return this.missing(path);
    const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return keyNode ? { offset: keyNode.offset, length: keyNode.length } : { offset: node.offset, length: node.length };
  }

  /**
   * Where a missing property belongs: the key of the nearest existing ancestor (or the array item's opening
   * brace, or the root's), so the squiggle stays short and points at the object that lacks it.
   */
  missing(path: JsonPath): Range {
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const ancestor = this.node(path.slice(0, depth));
      if (!ancestor) continue;
      if (ancestor.parent?.type === 'property') return this.key(path.slice(0, depth));
      return { offset: ancestor.offset, length: 1 };
    }
    return { offset: this.root.offset, length: 1 };
  }

  /** A JSON pointer (as ajv reports instance paths) as a path, with array indexes as numbers. */
  pathOfPointer(pointer: string): JsonPath {
    if (pointer === '') return [];
    const path: JsonPath = [];
    let current: unknown = this.document;
    for (const raw of pointer.slice(1).split('/')) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      const step: string | number = Array.isArray(current) ? Number(segment) : segment;
      path.push(step);
      current =
        typeof current === 'object' && current !== null
          ? (current as Record<string | number, unknown>)[step]
          : undefined;
    }
    return path;
  }
}
