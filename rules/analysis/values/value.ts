// The abstract values the evaluator computes: library exports and handles, pending queries, project functions,
// classes, modules, object literals, in-process maps and memoized functions.
import { ts } from 'ts-morph';
import type { ExportSpec, HandleType, Library, MethodSpec } from '../../knowledge/schema';
import type { CallLike } from '../calls';
import type { FileModel } from '../sourceFile';

/** A query built but not yet sent (knex builders, Mongoose queries): it runs when awaited. */
export interface Pending {
  library: Library;
  typeName: string;
  method: string;
  spec: MethodSpec;
  /** The call that made it: `knex('users')`, or a tagged template (`sql\`select …\``). */
  call: CallLike;
  effect: 'read' | 'write';
  chain: ts.CallExpression[];
}

export type Value =
  | { kind: 'export'; library: Library; spec: ExportSpec; name: string }
  | {
      kind: 'handle';
      library: Library;
      typeName: string;
      type: HandleType;
      pending?: Pending;
      many?: boolean;
      model?: ts.ClassLikeDeclaration;
    }
  | { kind: 'function'; file: FileModel; node: ts.FunctionLikeDeclaration }
  | { kind: 'class'; file: FileModel; node: ts.ClassLikeDeclaration }
  | { kind: 'instance'; file: FileModel; node: ts.ClassLikeDeclaration }
  | { kind: 'module'; file: FileModel }
  | { kind: 'object'; file: FileModel; node: ts.ObjectLiteralExpression }
  /** A built-in Map/Set/WeakMap used as an in-process cache. */
  | { kind: 'map' }
  /** A function wrapped by a memoizer or DataLoader: calling it is not a round trip. */
  | { kind: 'memoized' };

export type HandleValue = Extract<Value, { kind: 'handle' }>;

/** The type of a pending operation that has no builder methods of its own. */
export const OPAQUE_PROMISE: HandleType = {
  connection: 'none',
  methods: {},
  patterns: [],
  properties: {},
  extends: [],
  cacheStore: false,
};

/**
 * What calling a handle does (`knex('users')`, `sql\`…\``); a tag-only callable (`taggedOnly`) called plainly builds a
 * fragment.
 */
export function callableSpec(handle: HandleValue, call: CallLike): MethodSpec | undefined {
  const callable = handle.type.callable;
  return callable && !(callable.taggedOnly && ts.isCallExpression(call)) ? callable : undefined;
}

export function isAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken
  );
}
