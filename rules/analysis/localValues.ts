// Small syntax helpers shared by the bound, TTL and key rules: local constants, call text, builder calls around a round trip.
import { ts } from 'ts-morph';
import { calleeOf, type CallLike } from './calls';
import { findDeclaration, isFunctionBoundary, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';

/** The initializer of `const x = …` (not destructured) that `id` refers to, or undefined. */
export function constInitializer(file: FileModel, id: ts.Identifier): ts.Expression | undefined {
  const decl = findDeclaration(file, id);
  if (decl?.kind !== 'variable' || decl.path.length > 0) return undefined;
  const list = decl.decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  return decl.decl.initializer;
}

/** Follows an identifier through local `const` declarations to the expression it names (at most a few hops). */
export function resolveLocal(file: FileModel, expr: ts.Expression): ts.Expression {
  let current = skipOuterExpressions(expr);
  for (let hops = 0; hops < 5 && ts.isIdentifier(current); hops++) {
    const init = constInitializer(file, current);
    if (!init) break;
    current = skipOuterExpressions(init);
  }
  return current;
}

/** Source text of a node on one line, shortened for messages. */
export function shortText(file: FileModel, node: ts.Node, max = 60): string {
  const text = node.getText(file.sourceFile).replace(/\s+/g, ' ');
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The method name of `recv.name(...)` / `recv['name'](...)`. */
export function calledMethod(call: CallLike): string | undefined {
  const callee = skipOuterExpressions(calleeOf(call));
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
    return callee.argumentExpression.text;
  return undefined;
}

/** The innermost function (or the file) that holds `node`. */
export function enclosingScope(node: ts.Node): ts.Node {
  let current: ts.Node | undefined = node.parent;
  while (current && !isFunctionBoundary(current) && !ts.isSourceFile(current)) current = current.parent;
  return current ?? node.getSourceFile();
}

/** Calls `name.method(...)` on a local variable anywhere in `scope` (mutating builders: `q.limit(10)`). */
export function callsOnVariable(scope: ts.Node, name: string): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      let receiver = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(receiver)) {
        receiver = skipOuterExpressions(receiver.expression);
        // `q.where(...).limit(...)`: every call of a chain that starts at the variable
        while (
          ts.isCallExpression(receiver) &&
          ts.isPropertyAccessExpression(skipOuterExpressions(receiver.expression))
        ) {
          receiver = skipOuterExpressions(
            (skipOuterExpressions(receiver.expression) as ts.PropertyAccessExpression).expression,
          );
        }
        if (ts.isIdentifier(receiver) && receiver.text === name) out.push(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return out;
}

/** Builder calls applied before the operation in the receiver chain: `qb.where(…).take(10).getMany()` → where, take. */
export function receiverChainCalls(file: FileModel, call: ts.CallExpression): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return out;
  let current = skipOuterExpressions(callee.expression);
  const seen = new Set<ts.Node>();
  for (let steps = 0; steps < 40 && !seen.has(current); steps++) {
    seen.add(current);
    if (ts.isCallExpression(current)) {
      const inner = skipOuterExpressions(current.expression);
      if (!ts.isPropertyAccessExpression(inner)) break;
      out.push(current);
      current = skipOuterExpressions(inner.expression);
    } else if (ts.isAwaitExpression(current)) {
      current = skipOuterExpressions(current.expression);
    } else if (ts.isIdentifier(current)) {
      // A builder kept in a variable: its initializer chain and the calls made on it since.
      out.push(...callsOnVariable(enclosingScope(call), current.text).filter((c) => c !== call && c.end <= call.pos));
      const init = findDeclaration(file, current);
      if (init?.kind !== 'variable' || init.path.length > 0 || !init.decl.initializer) break;
      current = skipOuterExpressions(init.decl.initializer);
    } else break;
  }
  return out;
}
