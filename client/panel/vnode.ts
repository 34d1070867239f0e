// A tiny virtual DOM for the panel: render functions build it in plain Node, dom.ts turns it into elements and text nodes.

/** An element; children are elements or plain strings, which always become text nodes, never markup. */
export interface VNode {
  tag: string;
  attrs: Record<string, string>;
  children: Child[];
}
export type Child = VNode | string;

type Maybe = Child | null | undefined | false;

export function h(
  tag: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Array<Maybe | Maybe[]>
): VNode {
  const cleanAttrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    cleanAttrs[name] = value === true ? '' : String(value);
  }
  const flat: Child[] = [];
  for (const child of children) {
    for (const item of Array.isArray(child) ? child : [child]) {
      if (item !== null && item !== undefined && item !== false) flat.push(item);
    }
  }
  return { tag, attrs: cleanAttrs, children: flat };
}

/** Tags the materializer creates; anything else is an error (no script, iframe, img, a, …). */
export const HTML_TAGS: ReadonlySet<string> = new Set([
  'div',
  'span',
  'section',
  'header',
  'h2',
  'h3',
  'p',
  'strong',
  'em',
  'code',
  'small',
  'button',
  'progress',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'details',
  'summary',
]);
export const SVG_TAGS: ReadonlySet<string> = new Set(['svg', 'polyline', 'line', 'rect', 'text', 'title', 'g']);

/** Attributes the materializer sets: no event handlers, no URLs (src, href), no inline style. */
const SAFE_ATTRIBUTE =
  /^(class|title|role|disabled|value|max|colspan|open|aria-[a-z-]+|data-[a-z-]+|viewBox|width|height|points|x|y|x1|y1|x2|y2|fill|stroke|stroke-width|stroke-dasharray|preserveAspectRatio|text-anchor|font-size|dominant-baseline)$/;

export function isSafeAttribute(name: string): boolean {
  return SAFE_ATTRIBUTE.test(name);
}

/** All text of a tree, in order (for tests and accessible labels). */
export function textOf(node: Child): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** Depth-first walk over every element. */
export function* walk(node: Child): Generator<VNode> {
  if (typeof node === 'string') return;
  yield node;
  for (const child of node.children) yield* walk(child);
}

/** A button whose click the webview script turns into a validated message (see media/panel/main.ts). */
export function actionButton(
  label: string,
  action: string,
  data: Record<string, string | undefined> = {},
  extra: Record<string, string> = {},
): VNode {
  const attrs: Record<string, string | undefined> = { class: 'button', 'data-action': action, ...extra };
  for (const [key, value] of Object.entries(data)) attrs[`data-${key}`] = value;
  return h('button', attrs, label);
}
