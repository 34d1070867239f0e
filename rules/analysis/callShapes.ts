// Recognises a round trip on an untraceable receiver from the call's own arguments (rules/knowledge/shapes.ts).
import { ts } from 'ts-morph';
import { CALL_SHAPES, type CallShape } from '../knowledge/shapes';
import type { MethodSpec } from '../knowledge/schema';
import type { Knowledge } from './fileSet';
import { propertyNameText, skipOuterExpressions } from './scope';

const SQL_STATEMENT = /^\s*\(?\s*(select|insert|update|delete|with|replace|merge|upsert)\b/i;

function objectKeys(expr: ts.Expression | undefined): string[] {
  const node = expr && skipOuterExpressions(expr);
  if (!node || !ts.isObjectLiteralExpression(node)) return [];
  return node.properties.flatMap((p) => {
    const name = p.name ? propertyNameText(p.name) : undefined;
    return name ? [name] : [];
  });
}

function textOf(expr: ts.Expression | undefined): string | undefined {
  const node = expr && skipOuterExpressions(expr);
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

function matches(shape: CallShape, call: ts.CallExpression, receiver: ts.Expression): boolean {
  const evidence = shape.evidence;
  switch (evidence.kind) {
    case 'sqlText': {
      const text = textOf(call.arguments[evidence.arg]);
      return text !== undefined && SQL_STATEMENT.test(text);
    }
    case 'optionKeys':
      if (evidence.receiverIsProperty && !ts.isPropertyAccessExpression(skipOuterExpressions(receiver))) return false;
      return objectKeys(call.arguments[evidence.arg]).some((key) => evidence.keys.includes(key));
    case 'mongoOperators':
      return evidence.args.some((index) =>
        objectKeys(call.arguments[index]).some((key) => key === '_id' || key.startsWith('$')),
      );
    case 'followedBy': {
      // Skip builder steps (`.sort()`, `.limit()`) between the call and the consuming method.
      let current: ts.Node = call;
      while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
        if (evidence.methods.includes(current.parent.name.text)) return true;
        current = current.parent.parent;
      }
      return false;
    }
  }
}

/** The library type and method spec a call has by its shape, when its receiver is unknown. */
export function specByShape(
  knowledge: Knowledge,
  call: ts.CallExpression,
  method: string,
): { library: string; typeName: string; spec: MethodSpec } | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  for (const shape of CALL_SHAPES) {
    if (!shape.methods.includes(method) || !matches(shape, call, callee.expression)) continue;
    const qualified = `${shape.library}.${shape.typeName}`;
    const spec = knowledge.methodOf(qualified, method);
    if (spec) return { library: shape.library, typeName: shape.typeName, spec };
  }
  return undefined;
}
