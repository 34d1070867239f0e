// unstable-cache-key: Redis keys built with JSON.stringify, from an interpolated object ("[object Object]"), or from the clock.
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { argumentsOf } from './analysis/calls';
import { createRule } from './createRule';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import { REQUEST_PARAMETER_PAIRS, REQUEST_TYPE_NAMES } from './knowledge/frameworks';
import { findDeclaration, skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import { callTarget } from './analysis/summaries';
import { calledMethod, enclosingScope, shortText } from './analysis/localValues';
import { stableKeyFix } from './fixes/stableKey';

type MessageId = 'jsonKey' | 'objectKey' | 'neverReused';

interface KeyProblem {
  messageId: MessageId;
  /** The part of the key at fault (`JSON.stringify(req.query)`, `filters`, `Date.now()`). */
  node: ts.Node;
  file: FileModel;
}

/** Serializers that sort keys, so equal objects give equal text. */
const STABLE_MODULES = new Set([
  'fast-json-stable-stringify',
  'json-stable-stringify',
  'safe-stable-stringify',
  'fast-stable-stringify',
  'canonicalize',
  'json-canonicalize',
  'fast-json-stable-hash',
]);
/** Callee text of a hashing or key-normalising call: what goes in is the caller's business. */
const HASHING = /hash|digest|md5|sha\d*|murmur|xxh|crc32|fnv|stable|canonical|sort/i;
/** Properties of a request that are objects as a whole. */
const REQUEST_OBJECTS = new Set(['query', 'body', 'params', 'cookies', 'headers']);
const PRIMITIVE_TYPES = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.LiteralType,
]);

export const unstableCacheKey = createRule({
  id: 'unstable-cache-key',
  meta: {
    description:
      'A Redis key built so that equal requests get different keys (JSON.stringify, the clock) or different requests share one ("[object Object]").',
    defaultSeverity: 'warning',
    messages: {
      jsonKey:
        '`{{call}}` builds its key with `{{part}}`: the same query with its properties in another order, or with one extra field, gets a different key, so the cache misses and fills with duplicates. Build the key from the fields that matter in a fixed order, or use a stable serializer (`fast-json-stable-stringify`).',
      objectKey:
        '`{{call}}` interpolates `{{part}}`, an object, into its key: it turns into "[object Object]", so every value of `{{part}}` shares one key and callers get each other\'s cached data. Build the key from its fields (`{{hint}}`).',
      neverReused:
        '`{{call}}` puts `{{part}}` in its key: no later request builds the same key, so the entry is never read back; every request misses and the cache fills with dead entries. Key on what the data depends on (an id, or a time bucket such as `Math.floor(Date.now() / 60000)`).',
    },
    options: RULE_OPTIONS['unstable-cache-key'],
  },
  create(context) {
    const { file, analysis } = context;
    const seen = new Set<ts.Node>();
    const trips = analysis.roundTrips
      .inFile(file)
      .filter(
        (t) =>
          t.library.roundTripNoun === 'command' &&
          t.spec.keyArg !== undefined &&
          t.call.getSourceFile() === file.sourceFile,
      );
    for (const trip of trips) {
      if (seen.has(trip.call)) continue;
      seen.add(trip.call);
      const key = argumentsOf(trip.call)[trip.spec.keyArg!];
      if (!key || ts.isSpreadElement(key)) continue;
      const problem = new KeyReader(analysis).read(file, key);
      if (!problem) continue;
      // A write under a clock-based key may be a log entry read elsewhere; a read under one never hits.
      if (
        problem.messageId === 'neverReused' &&
        trip.effect !== 'read' &&
        !trips.some(
          (t) =>
            t.effect === 'read' &&
            enclosingScope(t.call) === enclosingScope(trip.call) &&
            sameText(file, argumentsOf(t.call)[t.spec.keyArg!], key),
        )
      )
        continue;
      const part = shortText(problem.file, problem.node, 50);
      context.report({
        node: key,
        messageId: problem.messageId,
        data: { call: shortText(file, trip.call), part, hint: fieldsHint(problem) },
        related:
          problem.node.getSourceFile() !== file.sourceFile || !isWithin(problem.node, key)
            ? [{ node: problem.node, file: problem.file, message: 'the key is built here' }]
            : [],
        facts: { library: trip.library.id, method: trip.method, part },
        fixes: problem.messageId === 'neverReused' ? [] : stableKeyFix(file, problem.node, problem.messageId),
      });
    }
  },
});

function sameText(file: FileModel, a: ts.Expression | undefined, b: ts.Expression): boolean {
  return !!a && a.getText(file.sourceFile).replace(/\s+/g, '') === b.getText(file.sourceFile).replace(/\s+/g, '');
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

/** `${filters.status}:${filters.days}` from the object literal's own property names, when they are known. */
function fieldsHint(problem: KeyProblem): string {
  const node = problem.node;
  const name = node.getText(problem.file.sourceFile);
  const literal = ts.isIdentifier(node) ? objectLiteralOf(problem.file, node) : undefined;
  const fields =
    literal?.properties.flatMap((p) => (p.name && ts.isIdentifier(p.name) ? [p.name.text] : [])).slice(0, 3) ?? [];
  return fields.length ? fields.map((f) => `\${${name}.${f}}`).join(':') : `\${${name}.id}`;
}

function objectLiteralOf(file: FileModel, id: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const decl = findDeclaration(file, id);
  if (decl?.kind !== 'variable' || decl.path.length || !decl.decl.initializer) return undefined;
  const init = skipOuterExpressions(decl.decl.initializer);
  return ts.isObjectLiteralExpression(init) ? init : undefined;
}

/**
 * Walks a key expression: through local variables, templates, `+`, `concat`/`join`, and one level of project helper
 * functions.
 */
class KeyReader {
  private depth = 0;

  constructor(private readonly analysis: ProjectAnalysis) {}

  read(file: FileModel, expr: ts.Expression): KeyProblem | undefined {
    if (this.depth > 4) return undefined;
    this.depth++;
    try {
      return this.walk(file, expr);
    } finally {
      this.depth--;
    }
  }

  private walk(file: FileModel, expr: ts.Expression): KeyProblem | undefined {
    const node = skipOuterExpressions(expr);
    if (ts.isIdentifier(node)) {
      const init = singleAssignment(file, node);
      return init ? this.read(file, init) : undefined;
    }
    if (ts.isTemplateExpression(node)) {
      for (const span of node.templateSpans) {
        const problem = this.part(file, span.expression);
        if (problem) return problem;
      }
      return undefined;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return this.part(file, node.left) ?? this.part(file, node.right);
    if (ts.isConditionalExpression(node)) return this.read(file, node.whenTrue) ?? this.read(file, node.whenFalse);
    if (ts.isCallExpression(node)) return this.call(file, node);
    return undefined;
  }

  /** One piece that is turned into text: an object here is "[object Object]", the clock is never the same twice. */
  private part(file: FileModel, expr: ts.Expression): KeyProblem | undefined {
    const node = skipOuterExpressions(expr);
    if (isClockOrRandom(node)) return { messageId: 'neverReused', node, file };
    if (isObjectValued(file, this.analysis, node)) return { messageId: 'objectKey', node, file };
    return this.read(file, node);
  }

  private call(file: FileModel, call: ts.CallExpression): KeyProblem | undefined {
    const callee = skipOuterExpressions(call.expression);
    const calleeText = callee.getText(file.sourceFile);
    if (calleeText === 'JSON.stringify')
      return isStableStringify(file, call) ? undefined : { messageId: 'jsonKey', node: call, file };
    if (isStableSerializer(file, callee) || HASHING.test(calleeText)) return undefined;
    const method = calledMethod(call);
    if (ts.isIdentifier(callee) && callee.text === 'String' && call.arguments[0])
      return this.part(file, call.arguments[0]);
    if (method === 'concat' && ts.isPropertyAccessExpression(callee)) {
      for (const arg of [callee.expression, ...call.arguments]) {
        const problem = this.part(file, arg);
        if (problem) return problem;
      }
      return undefined;
    }
    if (method === 'join' && ts.isPropertyAccessExpression(callee)) {
      const list = skipOuterExpressions(callee.expression);
      if (!ts.isArrayLiteralExpression(list)) return undefined;
      for (const element of list.elements) {
        const problem = ts.isSpreadElement(element) ? undefined : this.part(file, element);
        if (problem) return problem;
      }
      return undefined;
    }
    // A project helper that builds the key (`cacheKey(filters)`): what it returns.
    const target = callTarget(this.analysis.evaluator, call);
    const body = target?.node.body;
    if (!target || !body) return undefined;
    const returned = ts.isBlock(body) ? singleReturn(body) : body;
    return returned ? this.read(target.file, returned) : undefined;
  }
}

/** The initializer of a `const` (or a `let` never assigned again) in scope. */
function singleAssignment(file: FileModel, id: ts.Identifier): ts.Expression | undefined {
  const decl = findDeclaration(file, id);
  if (decl?.kind !== 'variable' || decl.path.length || !decl.decl.initializer) return undefined;
  const list = decl.decl.parent;
  if (ts.isVariableDeclarationList(list) && !(list.flags & ts.NodeFlags.Const)) {
    let reassigned = false;
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        ts.isIdentifier(node.left) &&
        node.left.text === id.text &&
        node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      )
        reassigned = true;
      if (!reassigned) ts.forEachChild(node, visit);
    };
    visit(enclosingScope(decl.decl));
    if (reassigned) return undefined;
  }
  return decl.decl.initializer;
}

function singleReturn(body: ts.Block): ts.Expression | undefined {
  const returns: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) returns.push(node.expression);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return returns.length === 1 ? returns[0] : undefined;
}

/**
 * `JSON.stringify(x, Object.keys(x).sort())`, `JSON.stringify(sortKeys(x))`, or a value whose text cannot change order.
 */
function isStableStringify(file: FileModel, call: ts.CallExpression): boolean {
  const [value, replacer] = call.arguments;
  if (!value) return true;
  if (
    replacer &&
    ts.isCallExpression(skipOuterExpressions(replacer)) &&
    /sort/.test(skipOuterExpressions(replacer).getText(file.sourceFile))
  )
    return true;
  if (replacer && ts.isArrayLiteralExpression(skipOuterExpressions(replacer))) return true;
  const node = skipOuterExpressions(value);
  if (ts.isCallExpression(node) && HASHING.test(node.expression.getText(file.sourceFile))) return true;
  return hasFixedText(file, node);
}

/**
 * Literals, arrays of them and object literals written out in full keep one order; so do values typed as primitives.
 */
function hasFixedText(file: FileModel, node: ts.Expression): boolean {
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((e) => !ts.isSpreadElement(e));
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p));
  if (ts.isIdentifier(node)) {
    const decl = findDeclaration(file, node);
    if (decl?.kind === 'parameter' && decl.path.length === 0 && decl.decl.type) return isPrimitiveType(decl.decl.type);
    if (decl?.kind === 'variable' && decl.path.length === 0 && decl.decl.initializer)
      return hasFixedText(file, skipOuterExpressions(decl.decl.initializer));
  }
  return false;
}

function isPrimitiveType(type: ts.TypeNode): boolean {
  if (PRIMITIVE_TYPES.has(type.kind)) return true;
  if (ts.isArrayTypeNode(type)) return isPrimitiveType(type.elementType);
  if (ts.isUnionTypeNode(type))
    return type.types.every(
      (t) => isPrimitiveType(t) || t.kind === ts.SyntaxKind.UndefinedKeyword || t.kind === ts.SyntaxKind.NullKeyword,
    );
  return false;
}

/** A callee imported from a stable serializer package. */
function isStableSerializer(file: FileModel, callee: ts.Expression): boolean {
  const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  if (!ts.isIdentifier(root)) return false;
  const decl = findDeclaration(file, root);
  return decl?.kind === 'import' && STABLE_MODULES.has(decl.binding.module);
}

/**
 * `Date.now()`, `new Date()`, `Math.random()`, `performance.now()`, possibly turned into text (`.toISOString()`), but
 * not bucketed.
 */
function isClockOrRandom(node: ts.Expression): boolean {
  let current = node;
  for (;;) {
    if (
      ts.isCallExpression(current) &&
      ts.isPropertyAccessExpression(current.expression) &&
      /^(toString|toISOString|getTime|valueOf|toJSON)$/.test(current.expression.name.text)
    ) {
      current = skipOuterExpressions(current.expression.expression);
      continue;
    }
    break;
  }
  if (ts.isNewExpression(current))
    return ts.isIdentifier(current.expression) && current.expression.text === 'Date' && !current.arguments?.length;
  if (!ts.isCallExpression(current) || current.arguments.length > 0) return false;
  const text = current.expression.getText();
  return text === 'Date.now' || text === 'Math.random' || text === 'performance.now';
}

/**
 * An expression whose value is knowably a plain object: an object literal, a parameter typed as one, `req.query` /
 * `req.body` as a whole.
 */
function isObjectValued(file: FileModel, analysis: ProjectAnalysis, node: ts.Expression): boolean {
  if (ts.isObjectLiteralExpression(node)) return true;
  if (ts.isPropertyAccessExpression(node) && REQUEST_OBJECTS.has(node.name.text))
    return isRequestObject(file, node.expression);
  if (!ts.isIdentifier(node)) return false;
  if (analysis.evaluator.valueOf(node)?.kind === 'object') return true;
  const decl = findDeclaration(file, node);
  if (decl?.kind === 'parameter' && decl.path.length === 0 && decl.decl.type) return isObjectType(file, decl.decl.type);
  if (decl?.kind === 'variable' && decl.path.length === 0 && decl.decl.type) return isObjectType(file, decl.decl.type);
  return false;
}

/** Type literals, `Record<…>`, `object`, and interfaces or object type aliases declared in the file. */
function isObjectType(file: FileModel, type: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(type) || type.kind === ts.SyntaxKind.ObjectKeyword || ts.isMappedTypeNode(type)) return true;
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  if (name === 'Record' || name === 'Partial' || name === 'Required' || name === 'Readonly') return true;
  const declared = file.sourceFile.statements.find(
    (s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
  );
  if (!declared) return false;
  return (
    ts.isInterfaceDeclaration(declared) || (ts.isTypeAliasDeclaration(declared) && isObjectType(file, declared.type))
  );
}

/** `req` (or `ctx.request`) where `req` is the request parameter of a handler. */
function isRequestObject(file: FileModel, expr: ts.Expression): boolean {
  let node = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'request') node = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(node)) return false;
  const decl = findDeclaration(file, node);
  if (decl?.kind !== 'parameter' || decl.path.length) return false;
  const parameter = decl.decl;
  const fn = parameter.parent;
  if (parameter.type && ts.isTypeReferenceNode(parameter.type)) {
    const typeName = ts.isIdentifier(parameter.type.typeName)
      ? parameter.type.typeName.text
      : parameter.type.typeName.right.text;
    if (REQUEST_TYPE_NAMES.has(typeName)) return true;
  }
  if (!ts.isFunctionLike(fn) || fn.parameters[0] !== parameter) return false;
  const names = fn.parameters.slice(0, 2).map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  return REQUEST_PARAMETER_PAIRS.some(([a, b]) => names[0] === a && names[1] === b);
}
