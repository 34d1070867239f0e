// How big a collection can be, from its origin: rows of an unbounded read, a request's array, an external list grow;
// a literal, an enum, configuration, a page, one row stay small. Followed through locals, parameters and returns.
import { ts } from 'ts-morph';
import * as collections from '../knowledge/collections';
import { own } from '../knowledge/own';
import { ARRAY_ITERATION_METHODS } from '../knowledge/iteration';
import { calleeOf } from './calls';
import {
  either,
  fixed,
  MAX_CALLERS,
  MAX_DEPTH,
  UNKNOWN,
  type CollectionSize,
  type SizeDeps,
  readRowsSize,
} from './collectionSizeKinds';
import {
  constantNumber,
  callersNearestFirst,
  isConst,
  isEmptyCollection,
  isErrorFirst,
  isRequestParameter,
  isRetentionTrim,
  parameterText,
  returnExpressions,
} from './collectionSyntax';
import { enclosingLoop } from './loops';
import { TEST_FILE } from '../knowledge/frameworks';

import type { RoundTrip } from './roundTrips';
import { findDeclaration, isFunctionBoundary, propertyNameText, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import { callTarget, type FunctionRef } from './summaries';

export {
  sizeGrows,
  sizeIsSmall,
  sizeWorthReporting,
  type CollectionSize,
  type SizeDeps,
  type SizeKind,
} from './collectionSizeKinds';

export class CollectionSizes {
  private readonly memo = new Map<ts.Node, CollectionSize>();
  private readonly inProgress = new Set<ts.Node>();
  private readonly returnMemo = new Map<ts.Node, CollectionSize>();

  constructor(private readonly deps: SizeDeps) {}

  /** The size of the collection `expr` evaluates to (in `file`). */
  of(file: FileModel, expr: ts.Expression | undefined, depth = 0): CollectionSize {
    if (!expr) return UNKNOWN;
    const known = this.memo.get(expr);
    if (known) return known;
    if (this.inProgress.has(expr) || depth > MAX_DEPTH) return UNKNOWN;
    this.inProgress.add(expr);
    let size: CollectionSize;
    try {
      size = this.compute(file, expr, depth + 1);
    } finally {
      this.inProgress.delete(expr);
    }
    this.memo.set(expr, size);
    return size;
  }

  /** What a project function returns, as a collection (every return expression, the worst of them). */
  returnedBy(fn: FunctionRef, depth = 0): CollectionSize {
    const known = this.returnMemo.get(fn.node);
    if (known) return known;
    if (this.inProgress.has(fn.node) || depth > MAX_DEPTH) return UNKNOWN;
    this.inProgress.add(fn.node);
    let size: CollectionSize | undefined;
    try {
      for (const expr of returnExpressions(fn.node)) {
        const one = this.of(fn.file, expr, depth + 1);
        size = size ? either(size, one) : one;
      }
    } finally {
      this.inProgress.delete(fn.node);
    }
    const result = size ?? UNKNOWN;
    this.returnMemo.set(fn.node, result);
    return result;
  }

  /** The read round trip whose rows `expr` is (`await prisma.user.findMany()`, `db.query(sql)`), if it is one. */
  readAt(file: FileModel, expr: ts.Expression): RoundTrip | undefined {
    const node = skipOuterExpressions(ts.isAwaitExpression(expr) ? skipOuterExpressions(expr.expression) : expr);
    return this.deps.roundTrips
      .inFile(file)
      .find(
        (trip) => trip.effect === 'read' && (trip.node === node || (trip.call === node && trip.chain.length === 0)),
      );
  }

  private compute(file: FileModel, input: ts.Expression, depth: number): CollectionSize {
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.of(file, expr.expression, depth);
    if (ts.isArrayLiteralExpression(expr)) return this.arrayLiteral(file, expr, depth);
    if (ts.isObjectLiteralExpression(expr))
      return fixed(`an object literal of ${expr.properties.length}`, expr.properties.length, expr, file);
    if (ts.isNumericLiteral(expr)) return fixed(`${expr.text} iterations`, Number(expr.text), expr, file);
    if (ts.isStringLiteralLike(expr)) return fixed('the characters of a literal', expr.text.length, expr, file);
    if (ts.isConditionalExpression(expr))
      return either(this.of(file, expr.whenTrue, depth), this.of(file, expr.whenFalse, depth));
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
        return either(this.of(file, expr.left, depth), this.of(file, expr.right, depth));
      return UNKNOWN;
    }
    if (ts.isElementAccessExpression(expr)) return this.elementAccess(file, expr, depth);
    if (ts.isIdentifier(expr)) return this.identifier(file, expr, depth);
    if (ts.isPropertyAccessExpression(expr)) return this.property(file, expr, depth);
    if (ts.isNewExpression(expr)) {
      const name = ts.isIdentifier(expr.expression) ? expr.expression.text : '';
      if (collections.COPYING_CONSTRUCTORS.has(name) && expr.arguments?.[0])
        return this.of(file, expr.arguments[0], depth);
      return UNKNOWN;
    }
    if (ts.isCallExpression(expr) || ts.isTaggedTemplateExpression(expr)) return this.call(file, expr, depth);
    return UNKNOWN;
  }

  private arrayLiteral(file: FileModel, expr: ts.ArrayLiteralExpression, depth: number): CollectionSize {
    let size: CollectionSize = fixed(
      `a literal list of ${expr.elements.length}`,
      expr.elements.filter((e) => !ts.isSpreadElement(e)).length,
      expr,
      file,
    );
    for (const element of expr.elements) {
      if (!ts.isSpreadElement(element)) continue;
      const spread = this.of(file, element.expression, depth);
      size =
        spread.kind === 'fixed' && size.kind === 'fixed'
          ? { ...size, max: (size.max ?? 0) + (spread.max ?? 0) }
          : either(size, spread);
    }
    return size;
  }

  /** `rows[0]` is one row; `groups[key]` an element of unknown size. */
  private elementAccess(file: FileModel, expr: ts.ElementAccessExpression, depth: number): CollectionSize {
    const index = skipOuterExpressions(expr.argumentExpression);
    const outer = this.of(file, expr.expression, depth);
    if (ts.isNumericLiteral(index) && outer.source === 'rows')
      return { kind: 'one', reason: 'one row', origin: { node: expr, file }, source: 'row' };
    if (outer.source === 'request' || outer.source === 'row') return this.memberOfSize(outer, ['[]'], expr, file);
    return UNKNOWN;
  }

  private identifier(file: FileModel, id: ts.Identifier, depth: number): CollectionSize {
    const decl = findDeclaration(file, id);
    if (!decl) return UNKNOWN;
    switch (decl.kind) {
      case 'enum':
        return fixed(`the values of enum \`${decl.node.name.text}\``, decl.node.members.length, decl.node, file);
      case 'variable':
        return this.variable(file, decl.decl, decl.path, id, depth);
      case 'parameter':
        return this.parameter(file, decl.decl, decl.path, depth);
      case 'import': {
        if (collections.CONFIG_MODULE.test(decl.binding.module))
          return fixed(`configuration from \`${decl.binding.module}\``, undefined, id, file);
        const target = this.deps.evaluator.files.resolveModule(file.path, decl.binding.module);
        const name = decl.binding.name === 'default' || decl.binding.name === '*' ? undefined : decl.binding.name;
        const local = target && name ? target.topLevel.get(name) : undefined;
        if (target && local && ts.isVariableDeclaration(local) && local.initializer && isConst(local))
          return this.of(target, local.initializer, depth);
        if (target && local && ts.isEnumDeclaration(local))
          return fixed(`the values of enum \`${local.name.text}\``, local.members.length, local, target);
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private variable(
    file: FileModel,
    decl: ts.VariableDeclaration,
    path: string[],
    id: ts.Identifier,
    depth: number,
  ): CollectionSize {
    const list = decl.parent;
    // The element of a loop: its own size (a row's children) is not the loop's.
    if (ts.isVariableDeclarationList(list) && (ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent)))
      return this.elementOf(file, list.parent.expression, path, depth);
    if (!decl.initializer) return this.assigned(file, decl, id, depth);
    const init = skipOuterExpressions(decl.initializer);
    let size: CollectionSize;
    if (path.length === 0) size = this.of(file, init, depth);
    else size = this.destructured(file, init, path, depth);
    // Built in place: `const out = []; for (const r of rows) out.push(…)`.
    if (isEmptyCollection(init) && path.length === 0) return this.accumulated(file, decl, depth);
    if (!isConst(decl)) size = either(size, this.assigned(file, decl, id, depth));
    return size;
  }

  /** `const { rows } = await pool.query(…)`, `const [rows] = await conn.execute(…)`: the rows of the read. */
  private destructured(file: FileModel, init: ts.Expression, path: string[], depth: number): CollectionSize {
    const read = this.readAt(file, init);
    if (read && path.length === 1 && (path[0] === '[]' || collections.RESULT_ROWS_MEMBERS.has(path[0]!)))
      return this.readSize(file, read);
    if (path[0] === '[]') return UNKNOWN;
    return this.memberOfSize(this.of(file, init, depth), path, init, file);
  }

  /** What a member of a value holds: one row's children grow with that row; configuration stays fixed. */
  private memberOfSize(base: CollectionSize, path: string[], node: ts.Node, file: FileModel): CollectionSize {
    const shown = path.filter((p) => p !== '[]').join('.');
    if (base.kind === 'fixed') return { ...base, max: undefined };
    if (base.source === 'row')
      return {
        kind: 'grows',
        reason: `\`${shown}\` of one row (its children)`,
        origin: { node, file },
        source: 'rows',
        perParent: true,
      };
    if (base.source === 'request') return { ...base, origin: { node, file } };
    if (base.source === 'message')
      return {
        kind: 'grows',
        reason: `what the producer sent (\`${shown}\` of ${base.reason})`,
        origin: { node, file },
        source: 'request',
      };
    if (base.source === 'request-object' && path.some((p) => collections.REQUEST_DATA_MEMBERS.has(p)))
      return {
        kind: 'grows',
        reason: `what the client sent (\`${node.getText(file.sourceFile).replace(/\s+/g, '')}\`)`,
        origin: { node, file },
        source: 'request',
      };
    return UNKNOWN;
  }

  /** Elements of a collection being iterated: a row of rows (whose relations are its children), or client data. */
  private elementOf(file: FileModel, collection: ts.Expression, path: string[], depth: number): CollectionSize {
    const size = this.of(file, collection, depth);
    if (size.source === 'request') return size;
    if (size.source === 'rows') {
      const row: CollectionSize = { kind: 'one', reason: 'one row', origin: size.origin, source: 'row' };
      return path.length === 0 ? row : this.memberOfSize(row, path, collection, file);
    }
    if (size.kind === 'fixed') return { ...size, max: undefined };
    return UNKNOWN;
  }

  /** `let rows; … rows = await db.query(…)`: every value assigned to the variable in its scope. */
  private assigned(file: FileModel, decl: ts.VariableDeclaration, id: ts.Identifier, depth: number): CollectionSize {
    let size: CollectionSize | undefined;
    const name = id.text;
    const scope = decl.parent.parent?.parent ?? file.sourceFile;
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left) &&
        node.left.text === name
      ) {
        const one = this.of(file, node.right, depth);
        size = size ? either(size, one) : one;
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return size ?? UNKNOWN;
  }

  /** An array, Set or Map filled in place: as many elements as the loops that fill it run. */
  private accumulated(file: FileModel, decl: ts.VariableDeclaration, depth: number): CollectionSize {
    if (!ts.isIdentifier(decl.name)) return UNKNOWN;
    const name = decl.name.text;
    const scope = decl.parent.parent?.parent ?? file.sourceFile;
    let size: CollectionSize | undefined;
    let adds = 0;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === name &&
        collections.ADDING_METHODS.has(node.expression.name.text)
      ) {
        const loop = enclosingLoop(this.deps.evaluator, file, node);
        const spread = node.arguments.some(ts.isSpreadElement);
        let one: CollectionSize;
        if (loop && loop.node.pos >= decl.pos) one = this.of(file, loop.collection, depth);
        else if (spread)
          one = this.of(file, (node.arguments.find(ts.isSpreadElement) as ts.SpreadElement).expression, depth);
        else {
          adds++;
          one = fixed(`${adds} added element${adds === 1 ? '' : 's'}`, adds, node, file);
        }
        size = size ? either(size, one) : one;
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return size ?? fixed('an empty collection', 0, decl, file);
  }

  private parameter(
    file: FileModel,
    parameter: ts.ParameterDeclaration,
    path: string[],
    depth: number,
  ): CollectionSize {
    const fn = parameter.parent;
    if (!isFunctionBoundary(fn)) return UNKNOWN;
    const ref: FunctionRef = { file, node: fn as ts.FunctionLikeDeclaration };
    const requestEntry = this.deps.isRequestEntry(ref);
    if (isRequestParameter(parameter, path, requestEntry))
      return {
        kind: 'grows',
        reason: `what the client sent (\`${[parameterText(parameter), ...path.filter((p) => p !== '[]')].join('.')}\`)`,
        origin: { node: parameter, file },
        source: 'request',
      };
    // The request object itself (`req`, `ctx`): its `body`/`query` members are what the client sent.
    if (requestEntry && fn.parameters.indexOf(parameter) <= 1)
      return { kind: 'unknown', reason: 'the request', origin: { node: parameter, file }, source: 'request-object' };
    // An iteration callback's element (`rows.map((row) => …)`).
    if (ts.isCallExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.expression)) {
      const method = own(ARRAY_ITERATION_METHODS, fn.parent.expression.name.text);
      if (method && fn.parameters[method.elementParameter ?? 0] === parameter)
        return this.elementOf(file, fn.parent.expression.expression, path, depth);
    }
    const index = (fn as ts.FunctionLikeDeclaration).parameters.indexOf(parameter);
    // `Topic.find(query, (err, topics) => …)`: the result parameter of a read's callback holds its rows.
    const read = ts.isCallExpression(fn.parent) ? this.readAt(file, fn.parent) : undefined;
    if (read && index === 1 && isErrorFirst(fn as ts.FunctionLikeDeclaration)) {
      const rows = this.readSize(file, read);
      return path.length ? this.memberOfSize(rows, path, parameter, file) : rows;
    }
    // A recursive call passes the list on (`next(items, i + 1)`), and tests pass mocks: other callers say what it is.
    const sites = callersNearestFirst(
      file,
      this.deps
        .callersOf(ref)
        .filter((site) => site.file.path !== file.path || site.call.pos < fn.pos || site.call.end > fn.end)
        .filter((site) => !TEST_FILE.test(site.file.path)),
    );
    if (sites.length === 0)
      return {
        kind: 'unknown',
        reason: `\`${parameterText(parameter)}\`, a parameter no caller in the project fills`,
        origin: { node: parameter, file },
        unseen: true,
      };
    // Past MAX_CALLERS (often same-named functions elsewhere), the nearest callers can still show growth.
    let size: CollectionSize | undefined;
    for (const site of sites.slice(0, MAX_CALLERS)) {
      if (site.call.arguments.some(ts.isSpreadElement)) return UNKNOWN;
      const arg = site.call.arguments[index];
      if (!arg) return UNKNOWN;
      let one = this.of(site.file, arg, depth);
      if (path.length) one = this.argumentMember(site.file, arg, path, one, depth);
      size = size ? either(size, one) : one;
      if (size.kind === 'grows') break;
    }
    if (sites.length > MAX_CALLERS && size?.kind !== 'grows') return UNKNOWN;
    return size ?? UNKNOWN;
  }

  /** `f({ ids })` seen from `function f({ ids })`: the member the parameter destructures. */
  private argumentMember(
    file: FileModel,
    arg: ts.Expression,
    path: string[],
    whole: CollectionSize,
    depth: number,
  ): CollectionSize {
    const value = skipOuterExpressions(arg);
    if (ts.isObjectLiteralExpression(value) && path.length === 1) {
      for (const property of value.properties) {
        if (ts.isShorthandPropertyAssignment(property) && property.name.text === path[0])
          return this.of(file, property.name, depth);
        if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === path[0])
          return this.of(file, property.initializer, depth);
      }
      return UNKNOWN;
    }
    return this.memberOfSize(whole, path, arg, file);
  }

  private property(file: FileModel, expr: ts.PropertyAccessExpression, depth: number): CollectionSize {
    const text = expr.getText(file.sourceFile);
    if ([...collections.CONFIG_ROOTS].some((root) => text.startsWith(root + '.') || text === root))
      return fixed('configuration', undefined, expr, file);
    const path: string[] = [];
    let root: ts.Expression = expr;
    while (ts.isPropertyAccessExpression(root)) {
      path.unshift(root.name.text);
      root = skipOuterExpressions(root.expression);
    }
    // `Config.regions` where Config is a const object: the property's own value.
    if (ts.isIdentifier(root) && path.length === 1) {
      const decl = findDeclaration(file, root);
      if (decl?.kind === 'variable' && decl.path.length === 0 && decl.decl.initializer && isConst(decl.decl)) {
        const init = skipOuterExpressions(decl.decl.initializer);
        if (ts.isObjectLiteralExpression(init)) {
          const property = init.properties.find((p) => p.name && propertyNameText(p.name) === path[0]);
          if (property && ts.isPropertyAssignment(property)) return this.of(file, property.initializer, depth);
        }
      }
      if (decl?.kind === 'enum') return fixed(`enum \`${decl.node.name.text}\``, 1, decl.node, file);
    }
    const base = this.of(file, root, depth);
    // `result.rows` (pg), `response.data` (axios): the result object's rows are the read's rows.
    if ((base.source === 'rows' || base.source === 'row') && collections.RESULT_ROWS_MEMBERS.has(path[0]!))
      return path.length === 1 ? base : this.memberOfSize(base, path.slice(1), expr, file);
    return this.memberOfSize(base, path, expr, file);
  }

  private call(file: FileModel, call: ts.CallExpression | ts.TaggedTemplateExpression, depth: number): CollectionSize {
    const read = this.readAt(file, call);
    if (read) return this.readSize(file, read);
    if (ts.isTaggedTemplateExpression(call)) return UNKNOWN;
    const callee = skipOuterExpressions(calleeOf(call));
    const message = this.parsedMessage(file, call, callee);
    if (message) return message;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const qualified = `${callee.expression.getText(file.sourceFile)}.${method}`;
      if (collections.SIZE_KEEPING_STATICS.has(qualified)) return this.of(file, call.arguments[0], depth);
      if (collections.CONFIG_SERVICE.test(qualified)) return fixed('configuration', undefined, call, file);
      if (method === 'slice' && call.arguments.length === 2) {
        // `list.slice(0, 10)`, `list.slice(0, MAX_ITEMS)` with a numeric constant: a capped list.
        const [a, b] = call.arguments.map((arg) => constantNumber(file, arg));
        if (a !== undefined && b !== undefined && b >= a)
          return { kind: 'page', reason: `a slice of ${b - a}`, max: b - a, origin: { node: call, file } };
      }
      if (method === 'slice' && call.arguments.length === 1 && isRetentionTrim(file, call)) {
        const keep = constantNumber(file, call.arguments[0]);
        return fixed(`what is over a retention limit of ${keep} (trimmed on each run)`, undefined, call, file);
      }
      if (method === 'reduce') {
        const keyed = this.enumKeyed(file, call.arguments[1]);
        if (keyed) return keyed;
        // A grouping `reduce` into `{}` or `[]` has at most one entry per element of what it reduces.
        const seed = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
        if (seed && (ts.isObjectLiteralExpression(seed) || ts.isArrayLiteralExpression(seed)))
          return this.of(file, callee.expression, depth);
      }
      if (collections.ONE_ELEMENT_METHODS.has(method)) {
        const base = this.of(file, callee.expression, depth);
        return base.source === 'rows'
          ? { kind: 'one', reason: 'one row', origin: base.origin, source: 'row' }
          : UNKNOWN;
      }
      if (collections.SIZE_KEEPING_METHODS.has(method)) return this.of(file, callee.expression, depth);
      if (collections.STRING_SPLITTING_METHODS.has(method)) {
        // Text from outside the process (a query string, a message) split into a list: sized by whoever wrote it.
        const text = this.of(file, callee.expression, depth);
        if (text.source === 'request' || text.source === 'message') return { ...text, origin: { node: call, file } };
      }
    }
    const target = callTarget(this.deps.evaluator, call);
    if (target) return this.returnedBy(target, depth);
    return UNKNOWN;
  }

  /**
   * `{} as Record<Status, Row[]>` (the seed of a grouping `reduce`): a map keyed by an enum has at most as many keys as
   * the enum has members, however many elements were grouped.
   */
  private enumKeyed(file: FileModel, seed: ts.Expression | undefined): CollectionSize | undefined {
    let type: ts.TypeNode | undefined;
    for (let e = seed; e && !type;) {
      if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) type = e.type;
      else if (ts.isParenthesizedExpression(e)) e = e.expression;
      else break;
    }
    while (type && ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Partial')
      type = type.typeArguments?.[0];
    if (!type || !ts.isTypeReferenceNode(type) || type.typeName.getText() !== 'Record') return undefined;
    const key = type.typeArguments?.[0];
    if (key && ts.isUnionTypeNode(key) && key.types.every(ts.isLiteralTypeNode))
      return fixed(`a map keyed by ${key.types.length} literals`, key.types.length, key, file);
    if (!key || !ts.isTypeReferenceNode(key) || !ts.isIdentifier(key.typeName)) return undefined;
    const size = this.identifier(file, key.typeName, MAX_DEPTH);
    return size.kind === 'fixed' && /enum/.test(size.reason)
      ? { ...size, reason: `a map keyed by ${size.reason.replace(/^the values of /, '')}` }
      : undefined;
  }

  /**
   * `JSON.parse(popped[1])` where `popped` is what a round trip returned (`await queue.brpop('jobs', 5)`): a message
   * from outside the process, like a request's body.
   */
  private parsedMessage(file: FileModel, call: ts.CallExpression, callee: ts.Expression): CollectionSize | undefined {
    if (callee.getText(file.sourceFile) !== 'JSON.parse' || !call.arguments[0]) return undefined;
    let arg = skipOuterExpressions(call.arguments[0]);
    if (ts.isElementAccessExpression(arg)) arg = skipOuterExpressions(arg.expression);
    if (ts.isIdentifier(arg)) {
      const decl = findDeclaration(file, arg);
      if (decl?.kind !== 'variable' || !decl.decl.initializer) return undefined;
      arg = skipOuterExpressions(decl.decl.initializer);
    }
    if (ts.isAwaitExpression(arg)) arg = skipOuterExpressions(arg.expression);
    const trip = this.deps.roundTrips.inFile(file).find((t) => t.node === arg || t.call === arg);
    if (!trip) return undefined;
    return {
      kind: 'unknown',
      reason: `a message from \`${trip.receiverText}.${trip.method}\``,
      origin: { node: call, file },
      source: 'message',
    };
  }

  /** Rows of a read: one, a page, or every matching row (grows). */
  readSize(file: FileModel, trip: RoundTrip): CollectionSize {
    return readRowsSize(file, trip, this.deps);
  }
}
