// Finds the round trips a file makes (queries, Redis commands, HTTP requests) from the knowledge tables.
import { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import type { Library, MethodSpec } from '../knowledge/schema';
import { argumentsOf, calleeOf, isCallLike, isTemplateFragment, type CallLike } from './calls';
import { isFunctionBoundary, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import { callableSpec, type Evaluator, type HandleValue, type Pending, type Value } from './values';

/** One round trip to a database, cache or service. */
export interface RoundTrip {
  /** Where it happens: the call, or the awaited builder chain for deferred queries. */
  node: ts.Expression;
  /** The call that names the operation (`findMany(...)`, `query(...)`, `knex('users')`, a tagged `sql\`…\``). */
  call: CallLike;
  library: Library;
  typeName: string;
  method: string;
  spec: MethodSpec;
  effect: 'read' | 'write';
  /** Builder calls between the operation and its execution (`.where`, `.limit`). */
  chain: ts.CallExpression[];
  /** The receiver's source text, for messages (`prisma.user`). */
  receiverText: string;
  /** SQL text when the operation carries it in a literal. */
  sql?: string;
}

/** Text of a string literal, template (with `?` for holes) or `+` concatenation; undefined when not static. */
export function staticText(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const node = skipOuterExpressions(expr);
  if (ts.isStringLiteralLike(node)) return node.text;
  // A tagged template's own template (what `argumentsOf` hands over) inlines nested fragments.
  if (ts.isTemplateExpression(node) && ts.isTaggedTemplateExpression(node.parent)) return taggedText(node);
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => '?' + span.literal.text).join('');
  if (ts.isTaggedTemplateExpression(node)) return taggedText(node.template);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = staticText(node.left);
    const right = staticText(node.right);
    return (left ?? '?') + (right ?? '?');
  }
  return undefined;
}

/** A tagged template's text: a hole holding another tagged template (a `sql\`and x = ${y}\`` fragment) is inlined. */
function taggedText(template: ts.TemplateLiteral): string {
  if (!ts.isTemplateExpression(template)) return template.text;
  const hole = (expr: ts.Expression): string => {
    const inner = skipOuterExpressions(expr);
    return ts.isTaggedTemplateExpression(inner) ? taggedText(inner.template) : '?';
  };
  return template.head.text + template.templateSpans.map((span) => hole(span.expression) + span.literal.text).join('');
}

/** SELECT/WITH/SHOW are reads; anything else that names a statement is a write. */
export function sqlEffect(sql: string): 'read' | 'write' {
  return /^\s*(\(\s*)?(select|with|show|explain|describe|values)\b/i.test(sql) ? 'read' : 'write';
}

/** The receiver's text, read from the call's own file (a pending query may come from a helper in another file). */
function receiverTextOf(call: CallLike): string {
  const callee = calleeOf(call);
  const target =
    ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : callee;
  const text = target.getText(call.getSourceFile()).replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}

function methodName(call: CallLike): string | undefined {
  const callee = skipOuterExpressions(calleeOf(call));
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
    return callee.argumentExpression.text;
  return undefined;
}

/** An expression whose value is used (awaited, returned, executed), so a pending builder runs there. */
function isConsumingPosition(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === node) return true;
  if (ts.isForOfStatement(parent) && parent.awaitModifier && parent.expression === node) return true;
  if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))
    return isConsumingPosition(parent);
  return false;
}

/**
 * A builder call handed a Node-style callback as its last argument (`User.findOne(filter, (err, user) => …)`,
 * `Model.find(q, callback)`, `query.exec(done)`) runs now: the callback receives the result.
 */
function passesCallback(node: ts.Expression): boolean {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
  const last = skipOuterExpressions(node.arguments[node.arguments.length - 1]!);
  if (ts.isArrowFunction(last) || ts.isFunctionExpression(last)) return true;
  if (ts.isIdentifier(last)) return CALLBACK_NAME.test(last.text);
  // `ep.done('user')`, `proxy.group('x')`: a callback built by a flow-control helper.
  return (
    ts.isCallExpression(last) &&
    ts.isPropertyAccessExpression(last.expression) &&
    CALLBACK_FACTORY.test(last.expression.name.text)
  );
}

/** Names Node code gives a callback parameter. */
const CALLBACK_NAME = /^(cb|callback|done|next|fn|cbk|callBack)$/i;
/** Methods of flow-control helpers (eventproxy, async) that return a callback. */
const CALLBACK_FACTORY = /^(done|group|doneLater)$/;

export class RoundTripFinder {
  constructor(private readonly evaluator: Evaluator) {}

  private readonly cache = new Map<FileModel, RoundTrip[]>();

  /** Every round trip in the file, in source order; nested functions included. */
  inFile(file: FileModel): RoundTrip[] {
    const cached = this.cache.get(file);
    if (cached) return cached;
    const found: RoundTrip[] = [];
    const visit = (node: ts.Node): void => {
      // `${sql(ids)}` / `${sql\`and …\`}` inside another tagged template are fragments of that query.
      if (isCallLike(node) && !isTemplateFragment(node)) {
        const trip = this.classifyCall(node);
        if (trip) found.push(trip);
      }
      if (
        ts.isExpression(node) &&
        (isCallLike(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) &&
        (isConsumingPosition(node) || passesCallback(node))
      ) {
        const trip = this.consumed(node);
        if (trip) found.push(trip);
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
    this.cache.set(file, found);
    return found;
  }

  /** A call that is a round trip by itself (not a deferred builder). */
  classifyCall(call: CallLike): RoundTrip | undefined {
    const name = methodName(call);
    const evaluator = this.evaluator;
    if (name !== undefined) {
      const callee = skipOuterExpressions(calleeOf(call)) as ts.PropertyAccessExpression | ts.ElementAccessExpression;
      const receiver = evaluator.valueOf(callee.expression);
      if (receiver?.kind === 'handle' && receiver.pending)
        return ts.isCallExpression(call) ? this.executedPending(receiver, name, call) : undefined;
      const method = evaluator.methodSpec(receiver, name, call);
      if (method) return this.direct(call, method.handle.library, method.handle.typeName, name, method.spec);
      if (receiver?.kind === 'export') {
        const member = own(receiver.spec.members, name)?.call;
        if (member) return this.direct(call, receiver.library, receiver.name, name, member as MethodSpec);
      }
      return undefined;
    }
    const callee = evaluator.valueOf(calleeOf(call));
    if (callee?.kind === 'export' && callee.spec.call)
      return this.direct(call, callee.library, callee.name, callee.name, callee.spec.call as MethodSpec);
    const callable = callee?.kind === 'handle' ? callableSpec(callee, call) : undefined;
    if (callee?.kind === 'handle' && callable && !callable.deferred && !this.isThenableResult(callee)) {
      return this.direct(call, callee.library, callee.typeName, '()', callable);
    }
    return undefined;
  }

  private isThenableResult(callee: HandleValue): boolean {
    const returns = callee.type.callable?.returns;
    return returns ? Boolean(this.evaluator.handleOf(callee.library, returns)?.type.thenable) : false;
  }

  private direct(
    call: CallLike,
    library: Library,
    typeName: string,
    method: string,
    spec: MethodSpec,
  ): RoundTrip | undefined {
    if (spec.effect === 'none' || spec.deferred) return undefined;
    const sql = spec.sqlArg !== undefined ? staticText(argumentsOf(call)[spec.sqlArg]) : undefined;
    const effect = sql !== undefined ? sqlEffect(sql) : spec.effect;
    return {
      node: call,
      call,
      library,
      typeName,
      method,
      spec,
      effect,
      chain: [],
      receiverText: receiverTextOf(call),
      sql,
    };
  }

  /** `query.exec()`, `builder.then(...)`, `cursor.toArray()` on a pending builder. */
  private executedPending(receiver: HandleValue, name: string, call: ts.CallExpression): RoundTrip | undefined {
    const pending = receiver.pending!;
    const spec = this.evaluator.knowledge.methodOf(receiver.typeName, name);
    const executes = (spec && spec.effect !== 'none' && !spec.deferred) || name === 'then';
    if (!executes) return undefined;
    return this.fromPending(pending, call, [...pending.chain, call]);
  }

  private fromPending(pending: Pending, node: ts.Expression, chain: ts.CallExpression[]): RoundTrip {
    const sql =
      pending.spec.sqlArg !== undefined ? staticText(argumentsOf(pending.call)[pending.spec.sqlArg]) : undefined;
    return {
      node,
      call: pending.call,
      library: pending.library,
      typeName: pending.typeName,
      method: pending.method,
      spec: pending.spec,
      effect: sql !== undefined ? sqlEffect(sql) : pending.effect,
      chain,
      receiverText: receiverTextOf(pending.call),
      sql,
    };
  }

  /** A pending builder that is awaited, returned or iterated here. */
  private consumed(node: ts.Expression): RoundTrip | undefined {
    const value: Value | undefined = this.evaluator.valueOf(node);
    if (value?.kind !== 'handle' || !value.pending) return undefined;
    return this.fromPending(value.pending, node, value.pending.chain);
  }
}

/** Round trips made directly in a function's own body (callbacks inside it included, nested declarations not). */
export function tripsInFunction(trips: RoundTrip[], fn: ts.Node): RoundTrip[] {
  return trips.filter(
    (trip) => ownerFunction(trip.node) === fn || (isInside(trip.node, fn) && viaInlineCallbacks(trip.node, fn)),
  );
}

function ownerFunction(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && !isFunctionBoundary(current)) current = current.parent;
  return current;
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}

/** True when every function between `node` and `fn` is an inline callback (an argument), so it runs during the call. */
function viaInlineCallbacks(node: ts.Node, fn: ts.Node): boolean {
  let current = node.parent;
  while (current && current !== fn) {
    if (isFunctionBoundary(current) && !(ts.isCallExpression(current.parent) || ts.isNewExpression(current.parent)))
      return false;
    current = current.parent;
  }
  return current === fn;
}
