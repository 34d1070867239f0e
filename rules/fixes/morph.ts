// ts-morph's manipulation API, loaded on first use: fixes are built on request, so the language server's start-up and
// every keystroke's analysis (which run on the plain TypeScript compiler API) never load or evaluate it.
import type * as Morph from 'ts-morph';

let loaded: typeof Morph | undefined;

export function morph(): typeof Morph {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see the file comment)
  loaded ??= require('ts-morph') as typeof Morph;
  return loaded;
}

/** `Node` (type guards) and `SyntaxKind`, read through on first use. */
export const Node = new Proxy({} as typeof Morph.Node, { get: (_target, key) => Reflect.get(morph().Node, key) });
export const SyntaxKind = new Proxy({} as typeof Morph.SyntaxKind, {
  get: (_target, key) => Reflect.get(morph().SyntaxKind, key),
});
