// n-plus-one exemptions: loops whose round trips are already batched (chunks), or fan out to distinct targets.
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import { loopScopedNames, type LoopContext } from '../analysis/loops';
import type { RoundTrip } from '../analysis/roundTrips';
import type { FileModel } from '../analysis/sourceFile';
import { enclosingFunction, findDeclaration, propertyNameText, skipOuterExpressions } from '../analysis/scope';
import { INTERNAL_HOST } from '../knowledge/http';
import { isSelect, selectShape } from '../analysis/sql';

/** A batch call given the whole element (`createMany({ data: chunk })`): the loop is over chunks, which is fine. */
export function passesElementWhole(trip: RoundTrip, loop: LoopContext): boolean {
  const names = loopElementNames(loop);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      names.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node)
    )
      found = true;
    // `items.slice(i, i + size)` in an indexed loop: a chunk of the collection.
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'slice'
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  argumentsOf(trip.call).forEach(visit);
  return found;
}

/** A multi-row INSERT with a generated VALUES list, over a slice of the rows: the chunks of one batch write. */
export function isChunkedInsert(trip: RoundTrip, loop: LoopContext): boolean {
  if (!trip.sql || !/^\s*insert\b[\s\S]*\bvalues\s+\?/i.test(trip.sql)) return false;
  let sliced = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'slice'
    )
      sliced = true;
    else if (!sliced) ts.forEachChild(node, visit);
  };
  visit(loop.body);
  return sliced;
}

/** A SQL read over a list of ids (`id = ANY($1)`, `id IN ${sql(ids)}`): a batch form when the loop hands it a chunk. */
export function isListRead(trip: RoundTrip, uniqueKeys: readonly string[]): boolean {
  return (
    trip.sql !== undefined &&
    trip.effect === 'read' &&
    isSelect(trip.sql) &&
    selectShape(trip.sql, uniqueKeys).inListFilter
  );
}

/** The names a loop binds to each element: `for (const chunk of …)`, `chunks.forEach((chunk) => …)`. */
export function loopElementNames(loop: LoopContext): Set<string> {
  const names = new Set<string>();
  const node = loop.node;
  if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && ts.isVariableDeclarationList(node.initializer)) {
    for (const decl of node.initializer.declarations) if (ts.isIdentifier(decl.name)) names.add(decl.name.text);
  }
  if (
    (ts.isArrowFunction(loop.body) || ts.isFunctionExpression(loop.body)) &&
    loop.body.parameters[0] &&
    ts.isIdentifier(loop.body.parameters[0].name)
  ) {
    names.add(loop.body.parameters[0].name.text);
  }
  return names;
}

/** Functions passed inline (callbacks) are covered by the trips inside them, not as "via" calls. */
export function isInlineCallback(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) parent = parent.parent;
  // `exports.load = function (…) {…}`, `const load = …`, `{ load: … }` are named functions called elsewhere.
  return !ts.isVariableDeclaration(parent) && !ts.isPropertyAssignment(parent) && !ts.isBinaryExpression(parent);
}

/**
 * Requests to targets that differ per element (`fetch(hook.url)`, webhooks) are fan-out, not N+1:
 * no batch endpoint exists. Only requests to one service with a per-element path are reported: a URL
 * that starts with literal text, or with the service's own base (`${process.env.API_URL}/items/${id}`,
 * `${BASE_URL}/…` from a module constant).
 */
export function isFanOut(file: FileModel, trip: RoundTrip, loop: LoopContext): boolean {
  if (trip.library.roundTripNoun !== 'request') return false;
  if (sendsPerCallCredential(trip, loop)) return true;
  const url = argumentsOf(trip.call)[0];
  if (!url) return true;
  const expr = skipOuterExpressions(url);
  // Someone else's API (a payment provider, a push service): no bulk endpoint of ours to batch into.
  if (ts.isStringLiteralLike(expr)) return !expr.text || isThirdPartyUrl(expr.text);
  if (ts.isTemplateExpression(expr)) {
    if (isThirdPartyUrl(expr.head.text)) return true;
    const base = expr.templateSpans[0]?.expression;
    return !expr.head.text && !(base && isServiceBase(base) && !defaultsToThirdParty(file, base));
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    let left: ts.Expression = expr.left;
    while (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken) left = left.left;
    left = skipOuterExpressions(left);
    if (ts.isStringLiteralLike(left)) return !left.text || isThirdPartyUrl(left.text);
    return !isServiceBase(left) || defaultsToThirdParty(file, left);
  }
  void loop;
  return true;
}

/** An absolute URL whose host is outside the deployment (`https://api.pushover.net/1/messages.json`). */
export function isThirdPartyUrl(text: string): boolean {
  const host = /^https?:\/\/([^/:?#]+)/i.exec(text)?.[1];
  return host !== undefined && !INTERNAL_HOST.test(host);
}

/** `const API = process.env.PUSH_URL ?? 'https://api.pushover.net'`: a configured base that defaults to a public API. */
function defaultsToThirdParty(file: FileModel, base: ts.Expression): boolean {
  const expr = skipOuterExpressions(base);
  if (!ts.isIdentifier(expr)) return false;
  const declaration = findDeclaration(file, expr);
  if (declaration?.kind !== 'variable' || !declaration.decl.initializer) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isStringLiteralLike(node) && isThirdPartyUrl(node.text)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(declaration.decl.initializer);
  return found;
}

/** `process.env.API_URL`, `config.apiUrl`, `BASE_URL`: one configured service, the same for every element. */
export function isServiceBase(input: ts.Expression): boolean {
  const expr = skipOuterExpressions(input);
  const text = expr.getText();
  if (/^process\.env\./.test(text) || /^(config|env|settings)\b/i.test(text)) return true;
  return ts.isIdentifier(expr) && /^[A-Z][A-Z0-9_]*$/.test(expr.text);
}

/** Header names that carry who is calling: a token or key of one account. */
const CREDENTIAL_HEADER = /authorization|token|api[-_]?key|secret/i;

/**
 * A request authenticated with a credential that changes per call — `Authorization: Bearer ${account.token}` from the
 * loop's element, or from a parameter of the helper that sends it: each request acts for a different account, so no
 * bulk endpoint can serve them together (fan-out, not N+1).
 */
export function sendsPerCallCredential(trip: RoundTrip, loop: LoopContext): boolean {
  const fn = enclosingFunction(trip.call);
  const perCall = new Set(loopScopedNames(loop));
  if (fn && !(fn.pos >= loop.body.pos && fn.end <= loop.body.end))
    for (const parameter of fn.parameters) for (const name of boundNames(parameter.name)) perCall.add(name);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isPropertyAssignment(node) &&
      (CREDENTIAL_HEADER.test(propertyNameText(node.name) ?? '') || propertyNameText(node.name) === 'auth') &&
      mentions(node.initializer, perCall)
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  argumentsOf(trip.call).slice(1).forEach(visit);
  return found;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundNames(e.name)));
}

function mentions(root: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      names.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}
