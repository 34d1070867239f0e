// Finds the loop over a collection that encloses a node: for-of/in, indexed for, array callbacks, async helpers.
import { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import { ARRAY_ITERATION_METHODS, PROMISE_COMBINATORS } from '../knowledge/iteration';
import { findDeclaration, isFunctionBoundary, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import type { Evaluator } from './values';

export interface LoopContext {
  kind: 'for-of' | 'for-in' | 'for-index' | 'callback' | 'helper' | 'recursion';
  /** The loop statement, or the iterating call (`items.map(...)`). */
  node: ts.Node;
  /** The part worth pointing at: the loop header or the iterating call's callee. */
  header: ts.Node;
  /** The iterated collection. */
  collection: ts.Expression | undefined;
  /** Its text for messages (`users`, `order.items`). */
  collectionText: string;
  /** Iterations run at once (async callbacks, Promise.all), rather than one after another. */
  concurrent: boolean;
  /** The statement or callback that runs once per element. */
  body: ts.Node;
}

/** How a call iterates its callback: array methods by name, library helpers from the knowledge base. */
function iterationOf(
  evaluator: Evaluator,
  fn: ts.Node,
):
  | (Omit<LoopContext, 'body' | 'kind' | 'node' | 'header' | 'collectionText'> & {
      call: ts.CallExpression;
      kind: LoopContext['kind'];
    })
  | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(fn as ts.Expression);
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && index === 0) {
    const method = own(ARRAY_ITERATION_METHODS, callee.name.text);
    if (method) {
      // Callbacks start every iteration before any round trip returns; `reduce` chains them through the accumulator.
      return { call, kind: 'callback', collection: callee.expression, concurrent: !method.sequential };
    }
  }
  const value = evaluator.valueOf(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? evaluator.valueOf(callee.expression) : undefined;
  const spec =
    value?.kind === 'export'
      ? value.spec.call?.iterates
      : receiver?.kind === 'export' && ts.isPropertyAccessExpression(callee)
        ? own(receiver.spec.members, callee.name.text)?.call?.iterates
        : undefined;
  if (spec && spec.callbackArg === index) {
    return {
      call,
      kind: 'helper',
      collection: call.arguments[spec.collectionArg],
      concurrent: spec.concurrent ?? false,
    };
  }
  return undefined;
}

function textOf(file: FileModel, node: ts.Node | undefined): string {
  if (!node) return 'the collection';
  const text = node.getText(file.sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

/** `i < items.length` → items; `i < 25` → the literal count (a fixed number of iterations). */
function indexedCollection(statement: ts.ForStatement): ts.Expression | undefined {
  const condition = statement.condition;
  if (!condition || !ts.isBinaryExpression(condition)) return undefined;
  const bound = condition.right;
  if (ts.isPropertyAccessExpression(bound) && (bound.name.text === 'length' || bound.name.text === 'size'))
    return bound.expression;
  if (ts.isNumericLiteral(bound)) return bound;
  return undefined;
}

/** The innermost loop over a collection that runs `node` once per element, crossing inline callbacks. */
export function enclosingLoop(evaluator: Evaluator, file: FileModel, node: ts.Node): LoopContext | undefined {
  let child: ts.Node = node;
  let current: ts.Node | undefined = node.parent;
  let concurrentInside = false;
  while (current) {
    if ((ts.isForOfStatement(current) || ts.isForInStatement(current)) && child === current.statement) {
      const concurrent = concurrentInside || !awaitsBetween(node, current);
      return {
        kind: ts.isForOfStatement(current) ? 'for-of' : 'for-in',
        node: current,
        header: current.expression,
        collection: current.expression,
        collectionText: textOf(file, current.expression),
        concurrent,
        body: current.statement,
      };
    }
    if (ts.isForStatement(current) && child === current.statement) {
      const collection = indexedCollection(current);
      if (collection) {
        return {
          kind: 'for-index',
          node: current,
          header: current.condition!,
          collection,
          collectionText: textOf(file, collection),
          concurrent: concurrentInside || !awaitsBetween(node, current),
          body: current.statement,
        };
      }
    }
    if (isFunctionBoundary(current)) {
      const iteration = iterationOf(evaluator, current);
      if (iteration) {
        return {
          kind: iteration.kind,
          node: iteration.call,
          header: iteration.call.expression,
          collection: iteration.collection,
          collectionText: textOf(file, iteration.collection),
          concurrent: iteration.concurrent || concurrentInside,
          body: current,
        };
      }
      const recursion = selfRecursion(file, current as ts.FunctionLikeDeclaration);
      if (recursion) return recursion;
      // Inline callbacks (transactions, wrappers) run during the enclosing call; named functions end the search.
      // An immediately invoked function (`(function (i) { … })(j)`) runs where it stands.
      if (isImmediatelyInvoked(current)) {
        child = current;
        current = current.parent;
        continue;
      }
      const parent = current.parent;
      if (
        !(ts.isCallExpression(parent) || ts.isNewExpression(parent)) ||
        !(ts.isArrowFunction(current) || ts.isFunctionExpression(current))
      )
        return undefined;
      if (ts.isCallExpression(parent) && isPromiseCombinator(parent)) concurrentInside = true;
    }
    child = current;
    current = current.parent;
  }
  return undefined;
}

/**
 * A function that walks a list by calling itself on the rest (`return next(items, i + 1)`,
 * `processQueue(rest)`, `setImmediate(() => step(i + 1))`): each call is one iteration.
 */
const recursionMemo = new WeakMap<ts.Node, LoopContext | null>();

function selfRecursion(file: FileModel, fn: ts.FunctionLikeDeclaration): LoopContext | undefined {
  const known = recursionMemo.get(fn);
  if (known !== undefined) return known ?? undefined;
  const found = findSelfRecursion(file, fn);
  recursionMemo.set(fn, found ?? null);
  return found;
}

function findSelfRecursion(file: FileModel, fn: ts.FunctionLikeDeclaration): LoopContext | undefined {
  const name =
    fn.name && ts.isIdentifier(fn.name)
      ? fn.name.text
      : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
        ? fn.parent.name.text
        : undefined;
  if (!name || !fn.body) return undefined;
  const parameterNames = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  let walk: { call: ts.CallExpression; list: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (walk) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const calledName = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword
          ? callee.name.text
          : undefined;
      const list = calledName === name ? walkedList(file, fn, node, parameterNames) : undefined;
      if (list) walk = { call: node, list };
    }
    if (!walk) ts.forEachChild(node, visit);
  };
  visit(fn.body);
  if (!walk) return undefined;
  return {
    kind: 'recursion',
    node: walk.call,
    header: walk.call,
    collection: referenceTo(fn.body, walk.list),
    collectionText: walk.list,
    concurrent: false,
    body: fn.body,
  };
}

/**
 * The list a recursive call walks, by name: one it passes on sliced (`items.slice(1)`) or as its rest/tail, or one the
 * function indexes with a parameter the call advances (`items[i]` with `next(items, i + 1)`). A counter that is never
 * an index (`retry(args, attempt + 1)`) walks no list.
 */
function walkedList(
  file: FileModel,
  fn: ts.FunctionLikeDeclaration,
  call: ts.CallExpression,
  parameterNames: (string | undefined)[],
): string | undefined {
  for (const [position, arg] of call.arguments.entries()) {
    const text = arg.getText(file.sourceFile);
    if (/\.slice\(|\brest\b|\btail\b/.test(text)) return parameterNames[position] ?? text.split('.')[0];
    const index = parameterNames[position];
    if (!index || !/\+\s*1\b/.test(text)) continue;
    const indexed = indexedBy(fn.body!, index);
    if (indexed && parameterNames.includes(indexed)) return indexed;
  }
  return undefined;
}

/** The name of a list the body indexes with `index` (`items[index]`), if any. */
function indexedBy(body: ts.Node, index: string): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ts.isIdentifier(skipOuterExpressions(node.argumentExpression)) &&
      (skipOuterExpressions(node.argumentExpression) as ts.Identifier).text === index
    )
      found = node.expression.text;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The first reference to `name` in `body`: the walked list as an expression, for sizing. */
function referenceTo(body: ts.Node, name: string): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      node.text === name &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    )
      found = node;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function isImmediatelyInvoked(fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return ts.isCallExpression(outer.parent) && outer.parent.expression === outer;
}

function isPromiseCombinator(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Promise' &&
    PROMISE_COMBINATORS.has(callee.name.text)
  );
}

/** Whether the round trip at `node` is awaited inside the loop, so iterations run one after another. */
function awaitsBetween(node: ts.Node, loop: ts.Node): boolean {
  let current: ts.Node | undefined = node;
  while (current && current !== loop) {
    if (ts.isAwaitExpression(current)) return true;
    if (ts.isForOfStatement(current) && current.awaitModifier) return true;
    if (ts.isVariableDeclaration(current) || ts.isExpressionStatement(current)) {
      // `const p = db.query(); …; await p` still waits inside the loop when the loop awaits anything.
      return containsAwait(loop);
    }
    current = current.parent;
  }
  return false;
}

function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || isFunctionBoundary(child)) return;
    if (ts.isAwaitExpression(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/**
 * Elements of a literal list, an enum or a small object, when the collection is one (`['a', 'b']`,
 * `Object.values(Role)`).
 */
export function literalCollectionSize(
  file: FileModel,
  collection: ts.Expression | undefined,
  depth = 0,
): number | undefined {
  if (!collection || depth > 4) return undefined;
  const expr = skipOuterExpressions(collection);
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (ts.isArrayLiteralExpression(expr))
    return expr.elements.some(ts.isSpreadElement) ? undefined : expr.elements.length;
  if (ts.isObjectLiteralExpression(expr)) return expr.properties.length;
  if (
    ts.isCallExpression(expr) &&
    ts.isPropertyAccessExpression(expr.expression) &&
    ts.isIdentifier(expr.expression.expression) &&
    expr.expression.expression.text === 'Object'
  ) {
    return literalCollectionSize(file, expr.arguments[0], depth + 1);
  }
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(file, expr);
    if (decl?.kind === 'enum') return decl.node.members.length;
    if (decl?.kind === 'variable' && decl.path.length === 0 && decl.decl.initializer && isConst(decl.decl))
      return literalCollectionSize(file, decl.decl.initializer, depth + 1);
    if (decl?.kind === 'import') return undefined;
  }
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
    // `Config.regions` where Config is a const object literal in this file.
    const decl = findDeclaration(file, expr.expression);
    if (
      decl?.kind === 'variable' &&
      decl.decl.initializer &&
      ts.isObjectLiteralExpression(skipOuterExpressions(decl.decl.initializer))
    ) {
      const objectLiteral = skipOuterExpressions(decl.decl.initializer) as ts.ObjectLiteralExpression;
      const property = objectLiteral.properties.find(
        (p) => p.name && ts.isIdentifier(p.name) && p.name.text === expr.name.text,
      );
      if (property && ts.isPropertyAssignment(property))
        return literalCollectionSize(file, property.initializer, depth + 1);
    }
  }
  return undefined;
}

function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** A `break` or `return <value>` after `node` in the loop body: the loop stops at the first match. */
export function exitsEarly(loop: LoopContext, node: ts.Node): boolean {
  if (loop.kind === 'recursion') return false; // its `return next(…)` is the iteration itself
  if (loop.kind === 'callback' || loop.kind === 'helper') {
    return (
      ts.isCallExpression(loop.node) &&
      ts.isPropertyAccessExpression(loop.node.expression) &&
      ['some', 'every', 'find', 'findIndex'].includes(loop.node.expression.name.text)
    );
  }
  let found = false;
  const visit = (child: ts.Node, nestedLoop: boolean): void => {
    if (found || isFunctionBoundary(child)) return;
    if (child.pos >= node.end) {
      if (ts.isReturnStatement(child) && child.expression) found = true;
      if (ts.isBreakStatement(child) && !nestedLoop && !child.label) found = true;
    }
    const entersLoop = nestedLoop || ts.isIterationStatement(child, false) || ts.isSwitchStatement(child);
    ts.forEachChild(child, (grand) => visit(grand, entersLoop));
  };
  visit(loop.body, false);
  return found;
}

/** Names declared by the loop itself or inside its body: a round trip using none of them is loop-invariant. */
export function loopScopedNames(loop: LoopContext): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  const loopNode = loop.node;
  if (
    (ts.isForOfStatement(loopNode) || ts.isForInStatement(loopNode) || ts.isForStatement(loopNode)) &&
    loopNode.initializer &&
    ts.isVariableDeclarationList(loopNode.initializer)
  ) {
    for (const decl of loopNode.initializer.declarations) addBinding(decl.name);
  }
  if (
    ts.isForStatement(loopNode) &&
    loopNode.initializer &&
    !ts.isVariableDeclarationList(loopNode.initializer) &&
    ts.isBinaryExpression(loopNode.initializer) &&
    ts.isIdentifier(loopNode.initializer.left)
  ) {
    names.add(loopNode.initializer.left.text);
  }
  const visit = (child: ts.Node): void => {
    if (ts.isVariableDeclaration(child)) addBinding(child.name);
    if (ts.isParameter(child)) addBinding(child.name);
    if (
      ts.isBinaryExpression(child) &&
      ts.isIdentifier(child.left) &&
      child.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      child.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      names.add(child.left.text);
    if ((ts.isPostfixUnaryExpression(child) || ts.isPrefixUnaryExpression(child)) && ts.isIdentifier(child.operand))
      names.add(child.operand.text);
    ts.forEachChild(child, visit);
  };
  visit(loop.body);
  return names;
}
