// Per-function summaries that make the analysis interprocedural: which functions (transitively) make round trips.
import { ts } from 'ts-morph';
import { isFunctionBoundary, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import { isInside, tripsInFunction, type RoundTrip, type RoundTripFinder } from './roundTrips';
import type { Evaluator, Value } from './values';

export interface FunctionRef {
  file: FileModel;
  node: ts.FunctionLikeDeclaration;
}

/** A round trip reached through calls: `loadOwner(...)` → `UserStore.get` → `prisma.user.findUnique`. */
export interface Reach {
  steps: { call: ts.CallExpression; target: FunctionRef }[];
  trip: RoundTrip;
}

const MAX_CHAIN = 6;
const CACHE_READ_METHODS = new Set(['get', 'has', 'peek', 'hget', 'getItem', 'mget', 'fetch']);

/** The project function a call invokes, when it can be known. */
export function callTarget(evaluator: Evaluator, call: ts.CallExpression): FunctionRef | undefined {
  const callee = skipOuterExpressions(call.expression);
  let value: Value | undefined;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = evaluator.valueOf(callee.expression);
    if (receiver?.kind === 'handle' || receiver?.kind === 'export') return undefined;
    value = evaluator.memberOf(receiver, callee.name.text);
  } else value = evaluator.valueOf(callee);
  if (value?.kind !== 'function') return undefined;
  return { file: value.file, node: value.node };
}

export function functionName(fn: FunctionRef, depth = 0): string {
  const node = fn.node;
  const route = routeLabel(node);
  if (route) return route;
  const own =
    node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name)) ? node.name.text : undefined;
  const parent = node.parent;
  const name =
    own ??
    (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)
      ? parent.name.text
      : ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)
        ? parent.name.text
        : // `exports.getUser = function (…)`, `Model.findActive = async (…) => …`
          ts.isBinaryExpression(parent) && parent.right === node && ts.isPropertyAccessExpression(parent.left)
          ? parent.left.getText(fn.file.sourceFile) === 'module.exports'
            ? 'module.exports'
            : parent.left.name.text
          : undefined);
  const owner = ts.isClassLike(parent) && parent.name ? parent.name.text + '.' : '';
  if (name) return owner + name;
  if (ts.isConstructorDeclaration(node)) return owner + 'constructor';
  return unnamedFunctionName(fn, depth);
}

/** Whether a function's name is code (`UserService.find`) rather than a phrase describing it ("the default export"). */
export function isPlainFunctionName(name: string): boolean {
  // A route handler's label (`GET /users/:id handler`) reads as code too.
  return /^[\w$#.]+$/.test(name) || /^[A-Za-z]+ \S+ handler$/.test(name);
}

/**
 * A function's name as it appears in a message: in backticks when it is code, as is when it is a phrase that describes
 * the function ("the handler `getUsers` returns", "GET /users handler"), so no message nests backticks.
 */
export function codeName(fn: FunctionRef): string {
  return codeText(functionName(fn));
}

/** A name `functionName` gave, in backticks when it is code and as is when it is a phrase (see `codeName`). */
export function codeText(name: string): string {
  return isPlainFunctionName(name) ? `\`${name}\`` : name;
}

/**
 * A name for a function with none of its own, from where it sits, so no message says "anonymous function": the
 * function a Promise executor belongs to, the handler a function returns (`getCategories()`'s handler), a callback
 * of a named call in a named function, `module.exports` / the default export.
 */
function unnamedFunctionName(fn: FunctionRef, depth: number): string {
  const node = fn.node;
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isExportAssignment(parent)) return 'the default export';
  if (ts.isBinaryExpression(parent) && parent.right === current) {
    const target = parent.left.getText(fn.file.sourceFile);
    if (target === 'module.exports') return 'module.exports';
  }
  const outer = depth < 4 ? enclosingFunctionOf(parent) : undefined;
  const outerName = outer ? functionName({ file: fn.file, node: outer }, depth + 1) : undefined;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === current))
    return outerName ? `the handler \`${outerName}\` returns` : 'a returned function';
  if (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    parent.arguments?.includes(current as ts.Expression)
  ) {
    const callee = parent.expression;
    const calleeName = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : undefined;
    // `new Promise((resolve, reject) => …)` runs as part of the function that creates it.
    if (ts.isNewExpression(parent) && calleeName === 'Promise' && outerName) return outerName;
    if (calleeName && outerName) return `the \`${calleeName}\` callback in \`${outerName}\``;
    if (calleeName) return `the \`${calleeName}\` callback`;
  }
  return outerName ? `a function in \`${outerName}\`` : 'a function expression';
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent)
    if (ts.isFunctionLike(current) && 'body' in current && current.body) return current as ts.FunctionLikeDeclaration;
  return undefined;
}

/** `app.get('/users', async (req, res) => …)` → "GET /users handler". */
function routeLabel(node: ts.Node): string | undefined {
  const call = node.parent;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const [first] = call.arguments;
  if (!first || !ts.isStringLiteralLike(first) || first === node) return undefined;
  const verb = call.expression.name.text;
  return `${verb === 'use' ? 'middleware' : verb.toUpperCase()} ${first.text} handler`;
}

export class Summaries {
  private readonly reachMemo = new Map<ts.Node, Reach | null>();
  private readonly inProgress = new Set<ts.Node>();
  private readonly callsMemo = new Map<ts.Node, { call: ts.CallExpression; target: FunctionRef }[]>();

  constructor(
    private readonly evaluator: Evaluator,
    private readonly finder: RoundTripFinder,
  ) {}

  /** Round trips a function makes itself, leaving out those behind a cache check. */
  directTrips(fn: FunctionRef): RoundTrip[] {
    return tripsInFunction(this.finder.inFile(fn.file), fn.node).filter(
      (trip) => !isBehindCache(this.evaluator, trip.node, fn.node),
    );
  }

  /** Calls to project functions in a function's body (inline callbacks included). */
  calls(fn: FunctionRef): { call: ts.CallExpression; target: FunctionRef }[] {
    const cached = this.callsMemo.get(fn.node);
    if (cached) return cached;
    const out: { call: ts.CallExpression; target: FunctionRef }[] = [];
    const visit = (node: ts.Node): void => {
      if (
        isFunctionBoundary(node) &&
        node !== fn.node &&
        !(ts.isCallExpression(node.parent) && (ts.isArrowFunction(node) || ts.isFunctionExpression(node)))
      )
        return;
      if (ts.isCallExpression(node)) {
        const target = callTarget(this.evaluator, node);
        if (target && target.node !== fn.node && !isBehindCache(this.evaluator, node, fn.node))
          out.push({ call: node, target });
      }
      ts.forEachChild(node, visit);
    };
    if (fn.node.body) visit(fn.node.body);
    this.callsMemo.set(fn.node, out);
    return out;
  }

  /** The first round trip a function makes, directly or through the functions it calls. */
  reach(fn: FunctionRef): Reach | undefined {
    const memo = this.reachMemo.get(fn.node);
    if (memo !== undefined) return memo ?? undefined;
    if (this.inProgress.has(fn.node) || this.inProgress.size > MAX_CHAIN) return undefined;
    this.inProgress.add(fn.node);
    let result: Reach | undefined;
    try {
      const direct = this.directTrips(fn)[0];
      if (direct) result = { steps: [], trip: direct };
      else {
        for (const step of this.calls(fn)) {
          const inner = this.reach(step.target);
          if (inner) {
            result = { steps: [step, ...inner.steps], trip: inner.trip };
            break;
          }
        }
      }
    } finally {
      this.inProgress.delete(fn.node);
    }
    // Only memoize complete answers: one cut short by recursion may differ from another entry point.
    if (this.inProgress.size === 0 || result) this.reachMemo.set(fn.node, result ?? null);
    return result;
  }
}

/** A cache read on a Map, a cache store or Redis (`cache.get(key)`), which guards a round trip after it. */
function isCacheRead(evaluator: Evaluator, expr: ts.Expression): boolean {
  const node = skipOuterExpressions(ts.isAwaitExpression(expr) ? expr.expression : expr);
  // Hand-rolled caches in plain objects: `key in Settings.cacheList`, `memo[key]`.
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword)
    return CACHE_NAME.test(node.right.getText());
  if (ts.isElementAccessExpression(node)) return CACHE_NAME.test(node.expression.getText());
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CACHE_READ_METHODS.has(callee.name.text)) return false;
  const receiver = evaluator.valueOf(callee.expression);
  if (receiver?.kind === 'map') return true;
  if (receiver?.kind === 'handle') return receiver.type.cacheStore || receiver.library.roundTripNoun === 'command';
  if (receiver?.kind === 'instance') return CACHE_NAME.test(receiver.node.name?.text ?? '');
  // An untraceable receiver named as a cache (`this.cache.get(key)`) is one by the author's own account.
  return receiver === undefined && CACHE_NAME.test(callee.expression.getText());
}

/** Names that declare a cache: `cache`, `cacheList`, `userCache`, `memo`, `lru`. */
const CACHE_NAME = /cache|memo|lru/i;

/** Per analysis run (values depend on the other files): condition → whether it reads a cache. */
const conditionMemo = new WeakMap<Evaluator, WeakMap<ts.Node, boolean>>();
/** Per function: variable name → first initializer, so conditions are checked without re-walking the body. */
const initializerMemo = new WeakMap<ts.Node, Map<string, ts.Expression>>();

/** Whether an expression reads a cache, directly or through a variable initialised from one. */
function mentionsCacheRead(evaluator: Evaluator, expr: ts.Expression, fn: ts.Node): boolean {
  let memo = conditionMemo.get(evaluator);
  if (!memo) conditionMemo.set(evaluator, (memo = new WeakMap()));
  const known = memo.get(expr);
  if (known !== undefined) return known;
  const result = computeMentionsCacheRead(evaluator, expr, fn);
  memo.set(expr, result);
  return result;
}

function computeMentionsCacheRead(evaluator: Evaluator, expr: ts.Expression, fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isExpression(node) && isCacheRead(evaluator, node)) found = true;
    else if (ts.isIdentifier(node)) {
      const init = initializerInFunction(node, fn);
      if (init && isCacheRead(evaluator, init)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

function initializerInFunction(id: ts.Identifier, fn: ts.Node): ts.Expression | undefined {
  let index = initializerMemo.get(fn);
  if (!index) {
    const built = new Map<string, ts.Expression>();
    const visit = (node: ts.Node): void => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer &&
        !built.has(node.name.text)
      )
        built.set(node.name.text, node.initializer);
      ts.forEachChild(node, visit);
    };
    visit(fn);
    initializerMemo.set(fn, (index = built));
  }
  const init = index.get(id.text);
  return init && init.end <= id.pos ? init : undefined;
}

/**
 * True when a cache check guards `node` in its function: an earlier `if (<cache hit>) return`, an
 * enclosing `if (!<cache hit>)`, or `cache.get(k) ?? await query()`. Helpers that query only on a
 * map miss are not round trips per call.
 */
export function isBehindCache(evaluator: Evaluator, node: ts.Node, fn: ts.Node): boolean {
  let child: ts.Node = node;
  let current: ts.Node | undefined = node.parent;
  while (current && current !== fn.parent) {
    if (
      ts.isIfStatement(current) &&
      child !== current.expression &&
      mentionsCacheRead(evaluator, current.expression, fn)
    )
      return true;
    if (
      ts.isConditionalExpression(current) &&
      child !== current.condition &&
      mentionsCacheRead(evaluator, current.condition, fn)
    )
      return true;
    if (
      ts.isBinaryExpression(current) &&
      child === current.right &&
      (current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        current.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      mentionsCacheRead(evaluator, current.left, fn)
    )
      return true;
    if (ts.isBlock(current) || ts.isSourceFile(current)) {
      for (const statement of current.statements) {
        if (statement.pos >= child.pos) break;
        if (
          ts.isIfStatement(statement) &&
          returnsEarly(statement.thenStatement) &&
          mentionsCacheRead(evaluator, statement.expression, fn)
        )
          return true;
      }
    }
    if (current === fn) break;
    child = current;
    current = current.parent;
  }
  return false;
}

function returnsEarly(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s));
}

export { isInside };
