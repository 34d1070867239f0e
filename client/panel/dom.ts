// Turns a VNode tree into DOM with createElement/createTextNode only: data is never parsed as HTML.
import { HTML_TAGS, isSafeAttribute, SVG_TAGS, type Child } from './vnode';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The part of `document` the materializer needs (a fake implements it in the plain-Node test). */
export interface DocumentLike {
  createElement(tag: string): ElementLike;
  createElementNS(ns: string, tag: string): ElementLike;
  createTextNode(text: string): unknown;
}
export interface ElementLike {
  setAttribute(name: string, value: string): void;
  appendChild(child: never): unknown;
}

/** Creates the DOM for `node`; throws on a tag or attribute outside the allowlists (a bug, never data). */
export function materialize(doc: DocumentLike, node: Child, inSvg = false): unknown {
  if (typeof node === 'string') return doc.createTextNode(node);
  const svg = inSvg || node.tag === 'svg';
  if (svg ? !SVG_TAGS.has(node.tag) : !HTML_TAGS.has(node.tag))
    throw new Error(`tag not allowed in the panel: ${node.tag}`);
  const element = svg ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) {
    if (!isSafeAttribute(name)) throw new Error(`attribute not allowed in the panel: ${name}`);
    element.setAttribute(name, value);
  }
  for (const child of node.children) element.appendChild(materialize(doc, child, svg) as never);
  return element;
}
