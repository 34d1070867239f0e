// Calls in both spellings: `f(a, b)` and tagged templates (`sql\`select … ${id}\``, whose one argument is the template).
import { ts } from 'ts-morph';

/** A call expression or a tagged template: both call their callee. */
export type CallLike = ts.CallExpression | ts.TaggedTemplateExpression;

export function isCallLike(node: ts.Node): node is CallLike {
  return ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node);
}

/** What is called: `f` in `f(x)`, the tag in `tag\`…\``. */
export function calleeOf(call: CallLike): ts.LeftHandSideExpression {
  return ts.isCallExpression(call) ? call.expression : call.tag;
}

/**
 * The arguments as the engine reads them: a tagged template's only argument is its template (SQL text with `?` holes).
 */
export function argumentsOf(call: CallLike): readonly ts.Expression[] {
  return ts.isCallExpression(call) ? call.arguments : [call.template];
}

/**
 * A call of a template's own tag interpolated into that template (`${sql(ids)}`, `${sql\`and x = ${y}\`}`):
 * a fragment the outer query embeds, not a query of its own. Other calls in a hole (`${fetch(url)}`) still run.
 */
export function isTemplateFragment(node: CallLike): boolean {
  let current: ts.Node = node;
  while (
    ts.isParenthesizedExpression(current.parent) ||
    ts.isAsExpression(current.parent) ||
    ts.isNonNullExpression(current.parent)
  )
    current = current.parent;
  const span = current.parent;
  if (!ts.isTemplateSpan(span) || span.expression !== current || !ts.isTaggedTemplateExpression(span.parent.parent))
    return false;
  const sourceFile = node.getSourceFile();
  return calleeOf(node).getText(sourceFile) === span.parent.parent.tag.getText(sourceFile);
}
