// Calls: what calling a library method, a callable handle or a project function yields, and how pending queries build up.
import { ts } from 'ts-morph';
import type { Library, MethodSpec } from '../../knowledge/schema';
import { specByShape } from '../callShapes';
import { calleeOf, type CallLike } from '../calls';
import { findDeclaration, isFunctionBoundary, propertyNameText, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';
import type { Evaluator } from './evaluator';
import { callableSpec, OPAQUE_PROMISE, type HandleValue, type Pending, type Value } from './value';

/** The spec of `recv.method(...)` when the receiver is a library handle (directly or through `extends`). */
export function methodSpec(
  ev: Evaluator,
  receiver: Value | undefined,
  method: string,
  call?: CallLike,
): { handle: HandleValue; spec: MethodSpec } | undefined {
  // Call shapes read a call's arguments; a tagged template has none to read.
  if (!receiver && call && ts.isCallExpression(call))
    return typedMethod(ev, call, method) ?? shapeMethod(ev, call, method);
  const handle = receiver?.kind === 'handle' ? receiver : ev.libraryBase(receiver);
  if (!handle || handle.many) return undefined;
  if (receiver?.kind !== 'handle' && receiver && ev.memberOf(receiver, method)?.kind === 'function') return undefined;
  // Rows of a project model (`class User extends Model`): the model's own methods are not queries.
  if (handle.model && hasInstanceMethod(handle.model, method)) return undefined;
  const spec = ev.knowledge.methodOf(handle.typeName, method);
  return spec ? { handle, spec } : undefined;
}

/** With types on: a receiver syntax cannot place, placed by the TypeScript checker on a library handle. */
function typedMethod(
  ev: Evaluator,
  call: ts.CallExpression,
  method: string,
): { handle: HandleValue; spec: MethodSpec } | undefined {
  if (!ev.types) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return undefined;
  const handle = ev.typedReceiver(callee.expression, method);
  const spec = handle && ev.knowledge.methodOf(handle.typeName, method);
  return handle && spec ? { handle, spec } : undefined;
}

/** An untraceable receiver whose call still proves what it is (SQL text, a Prisma `where`, a Mongo `$set`). */
export function shapeMethod(
  ev: Evaluator,
  call: ts.CallExpression,
  method: string,
): { handle: HandleValue; spec: MethodSpec } | undefined {
  const byShape = specByShape(ev.knowledge, call, method);
  const library = byShape && ev.knowledge.libraries.find((l) => l.id === byShape.library);
  const handle = library && ev.handleOf(library, byShape.typeName);
  return handle && byShape ? { handle, spec: byShape.spec } : undefined;
}

export function callResult(ev: Evaluator, call: CallLike): Value | undefined {
  const callee = skipOuterExpressions(calleeOf(call));
  if (
    ts.isPropertyAccessExpression(callee) ||
    (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
  ) {
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : (callee.argumentExpression as ts.StringLiteral).text;
    const receiver = ev.valueOf(callee.expression);
    if (receiver?.kind === 'handle' && receiver.pending)
      return ts.isCallExpression(call) ? continuePending(ev, receiver, name, call) : undefined;
    const method = ev.methodSpec(receiver, name, call);
    if (method) {
      const result = specResult(ev, method.handle.library, method.handle.typeName, name, method.spec, call);
      const model =
        receiver?.kind === 'class' ? receiver.node : receiver?.kind === 'handle' ? receiver.model : undefined;
      if (result?.kind === 'handle' && model) result.model = model;
      return result;
    }
    const member = ev.memberOf(receiver, name);
    return invoke(ev, member, call);
  }
  return invoke(ev, ev.valueOf(callee), call);
}

/** Calls a known value: a library function, a project function, a callable handle (`knex('users')`). */
export function invoke(ev: Evaluator, callee: Value | undefined, call: CallLike): Value | undefined {
  if (!callee) return undefined;
  if (callee.kind === 'export' && callee.spec.call)
    return specResult(ev, callee.library, callee.name, callee.name, callee.spec.call, call);
  const callable = callee.kind === 'handle' ? callableSpec(callee, call) : undefined;
  if (callee.kind === 'handle' && callable)
    return specResult(ev, callee.library, callee.typeName, '()', callable, call, callee);
  if (callee.kind === 'function') return ev.returnValue(callee.node) ?? ev.boundReturn(callee.node, call);
  return undefined;
}

export function specResult(
  ev: Evaluator,
  library: Library,
  typeName: string,
  method: string,
  spec: MethodSpec,
  call: CallLike,
  callable?: HandleValue,
): Value | undefined {
  if (spec.memoizes) return { kind: 'memoized' };
  const resultType = spec.returns ?? (spec.deferred ? undefined : spec.resolves);
  if (spec.resolvesEach && !spec.deferred && !spec.returns) return ev.handleOf(library, spec.resolvesEach, true);
  let result = resultType ? ev.handleOf(library, resultType) : undefined;
  // A deferred operation with no builder type of its own (a lazy PrismaPromise) is still pending until awaited.
  if (!result && spec.deferred && spec.effect !== 'none')
    result = { kind: 'handle', library, typeName, type: OPAQUE_PROMISE };
  const thenable = result?.type.thenable;
  if (result && ((spec.deferred && spec.effect !== 'none') || (callable && thenable))) {
    const effect = spec.effect !== 'none' ? spec.effect : (thenable ?? 'read');
    result.pending = { library, typeName, method, spec, call, effect, chain: [] };
  }
  return result;
}

/** A builder method on a pending query keeps it pending, possibly turning it into a write (`.insert`). */
export function continuePending(
  ev: Evaluator,
  receiver: HandleValue,
  name: string,
  call: ts.CallExpression,
): Value | undefined {
  const pending = receiver.pending!;
  const spec = ev.knowledge.methodOf(receiver.typeName, name);
  if (spec && spec.effect !== 'none' && !spec.deferred)
    return spec.returns ? ev.handleOf(receiver.library, spec.returns) : undefined;
  if (name === 'then' || name === 'catch' || name === 'finally') return undefined;
  const nextType = spec?.returns ? ev.handleOf(receiver.library, spec.returns) : receiver;
  if (!nextType) return undefined;
  const effect = spec && spec.effect !== 'none' ? spec.effect : pending.effect;
  const next: Pending = { ...pending, effect, chain: [...pending.chain, call] };
  if (spec && spec.effect !== 'none') Object.assign(next, { method: name, spec });
  return { ...nextType, pending: next };
}

/** What a project function returns (first return expression whose value is known). */
export function returnValue(ev: Evaluator, fn: ts.FunctionLikeDeclaration): Value | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return ev.valueOf(body);
  let found: Value | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(node) && node.expression) {
      found = ev.valueOf(node.expression);
      return;
    }
    if (!isFunctionBoundary(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

export function newResult(ev: Evaluator, file: FileModel, expr: ts.NewExpression): Value | undefined {
  const target = ev.valueOf(expr.expression);
  if (target?.kind === 'export' && target.spec.construct) return ev.handleOf(target.library, target.spec.construct);
  if (target?.kind === 'class') return { kind: 'instance', file: target.file, node: target.node };
  if (
    !target &&
    ts.isIdentifier(expr.expression) &&
    /^(Map|WeakMap|Set)$/.test(expr.expression.text) &&
    !findDeclaration(file, expr.expression)
  )
    return { kind: 'map' };
  return undefined;
}

function hasInstanceMethod(cls: ts.ClassLikeDeclaration, name: string): boolean {
  return cls.members.some(
    (m) =>
      (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isPropertyDeclaration(m)) &&
      m.name !== undefined &&
      propertyNameText(m.name) === name,
  );
}
