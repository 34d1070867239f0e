// Whether a read's filter pins it to one entity: an equality with a value that is some row's id (`{ recipient: requestId }`,
// `eq(t[`${kind}Id`], serviceId)`, `ancestors: product._id`), so it reads that entity's rows, not the whole table.
import { ts } from 'ts-morph';
import { argumentsOf } from '../calls';
import { calledMethod } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, propertyNameText, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/** Option keys whose values shape the result, not the filter. */
const SHAPE_KEYS = new Set([
  'select',
  'include',
  'orderBy',
  'order',
  'sort',
  'relations',
  'populate',
  'attributes',
  'columns',
  'projection',
  'fields',
  'with',
  'groupBy',
  'take',
  'skip',
  'limit',
  'offset',
]);

/** Builder calls that filter, not joins or selects. */
const FILTER_CALL = /^(and|or)?where|^filter$|^match$/i;

/** Lower-case names that end in `id` without naming one. */
const NOT_AN_ID = /(?:valid|paid|void|droid|fluid|liquid|solid|rapid|stupid|humid|hybrid|pyramid|grid)$/;

/** Conversions that keep an id an id: `String(id)`, `new ObjectId(id)`, `parseInt(id)`. */
const ID_CONVERSIONS = /^(String|Number|ObjectId|toString|parseInt)$/;

/**
 * A value that names some row: `id`, `_id`, `userId`, `farm_id`, `req.projectid`, `product._id`, `String(id)`.
 * Literals, flags and free text are not ids.
 */
export function isIdValue(expr: ts.Expression): boolean {
  const node = skipOuterExpressions(expr);
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ID_CONVERSIONS.test(callName(node)))
    return !!node.arguments?.[0] && isIdValue(node.arguments[0]);
  const name = ts.isIdentifier(node)
    ? node.text
    : ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
        ? node.argumentExpression.text
        : undefined;
  return name !== undefined && isIdName(name);
}

function isIdName(name: string): boolean {
  if (/^(_?id|uid|uuid|guid|pk)$/i.test(name)) return true;
  if (/[a-z0-9](Id|ID|Uuid|UUID|Guid)$/.test(name) || /_(id|uuid|guid)$/i.test(name) || /^id_[a-z]/i.test(name))
    return true;
  // Lower-case run-together names (`projectid`, `requestid`).
  return /^[a-z]{3,}id$/.test(name) && !NOT_AN_ID.test(name);
}

function callName(call: ts.CallExpression | ts.NewExpression): string {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
}

/**
 * The read's filter (its arguments, the filtering builder calls on its chain, a filter object built in a `var` and
 * filled in afterwards) compares some column with an id value.
 */
export function pinnedToEntity(file: FileModel, trip: RoundTrip, builderCalls: readonly ts.CallExpression[]): boolean {
  if (trip.sql !== undefined) return sqlPinned(file, trip);
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node, depth: number): boolean => {
    if (depth > 6 || seen.has(node)) return false;
    seen.add(node);
    const value = ts.isExpression(node) ? skipOuterExpressions(node) : node;
    if (ts.isIdentifier(value)) {
      if (assignedValues(value).some((v) => isIdValue(v) || visit(v, depth + 1))) return true;
      const initializer = variableInitializer(file, value);
      return !!initializer && visit(initializer, depth + 1);
    }
    if (ts.isObjectLiteralExpression(value)) {
      return value.properties.some((property) => {
        const key = property.name && propertyNameText(property.name);
        if (key !== undefined && SHAPE_KEYS.has(key)) return false;
        if (ts.isShorthandPropertyAssignment(property)) return isIdValue(property.name);
        if (!ts.isPropertyAssignment(property)) return false;
        return isIdValue(property.initializer) || visit(property.initializer, depth + 1);
      });
    }
    if (ts.isArrayLiteralExpression(value)) return value.elements.some((e) => visit(e, depth + 1));
    // `where[input.kind]` over a table of conditions: each entry is one of them.
    if (ts.isElementAccessExpression(value)) return visit(value.expression, depth + 1);
    // `where: (org) => exists(…where(eq(member.userId, user.id)))`: the condition a callback builds.
    if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && ts.isExpression(value.body))
      return visit(value.body, depth + 1);
    if (ts.isConditionalExpression(value)) return visit(value.whenTrue, depth + 1) && visit(value.whenFalse, depth + 1);
    // `eq(t.serviceId, serviceId)`, `and(…)`, `where('recipient', id)`: a condition helper's value argument.
    if (ts.isCallExpression(value))
      return value.arguments.slice(1).some((a) => isIdValue(a)) || value.arguments.some((a) => visit(a, depth + 1));
    return false;
  };
  for (const arg of argumentsOf(trip.call)) if (visit(arg, 0)) return true;
  for (const call of builderCalls) {
    if (!FILTER_CALL.test(calledMethod(call) ?? '')) continue;
    if (call.arguments.slice(1).some((a) => isIdValue(a)) || call.arguments.some((a) => visit(a, 0))) return true;
  }
  return false;
}

/**
 * SQL text with an equality on a placeholder (`WHERE parent = ?`, `owner = ${monitorId}`) whose value is an id: the
 * parameters given with it (`[monitorId]`), or the template hole right after the `=`.
 */
function sqlPinned(file: FileModel, trip: RoundTrip): boolean {
  if (ts.isTaggedTemplateExpression(trip.call) && ts.isTemplateExpression(trip.call.template)) {
    const template = trip.call.template;
    return template.templateSpans.some((span, i) => {
      const before = i === 0 ? template.head.text : template.templateSpans[i - 1]!.literal.text;
      return /=\s*$/.test(before) && isIdValue(span.expression);
    });
  }
  if (!/=\s*(\?|\$\d+|:\w+)/.test(trip.sql ?? '')) return false;
  const args = argumentsOf(trip.call);
  return args.some((arg, index) => {
    if (index === trip.spec.sqlArg) return false;
    const value = skipOuterExpressions(arg);
    const list = ts.isIdentifier(value) ? (variableInitializer(file, value) ?? value) : value;
    if (ts.isArrayLiteralExpression(list)) return list.elements.some((e) => isIdValue(e));
    if (ts.isObjectLiteralExpression(list))
      return list.properties.some(
        (p) =>
          (ts.isPropertyAssignment(p) && isIdValue(p.initializer)) ||
          (ts.isShorthandPropertyAssignment(p) && isIdValue(p.name)),
      );
    return false;
  });
}

/** A local variable's initializer, `var` and `let` included (a filter object filled in later is still that object). */
function variableInitializer(file: FileModel, id: ts.Identifier): ts.Expression | undefined {
  const decl = findDeclaration(file, id);
  return decl?.kind === 'variable' && decl.path.length === 0 ? decl.decl.initializer : undefined;
}

/**
 * Values assigned to a filter or to its keys after it is declared (`query = {…}`, `query.id_project = req.projectid`),
 * in its function.
 */
function assignedValues(filter: ts.Identifier): ts.Expression[] {
  const values: ts.Expression[] = [];
  let scope: ts.Node = filter;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      // `query = { id_project: req.projectid, … }` in a branch: the filter as reassigned.
      if (ts.isIdentifier(target) && target.text === filter.text) values.push(node.right);
      if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
        const object = skipOuterExpressions(target.expression);
        if (ts.isIdentifier(object) && object.text === filter.text) values.push(node.right);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return values;
}
