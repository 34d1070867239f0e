// The evaluator: which library handle, project function or class an expression denotes, traced through imports,
// aliases, destructuring, `this.x` fields, type annotations and returns (members, modules and calls in sibling files).
import { ts } from 'ts-morph';
import { own } from '../../knowledge/own';
import { ARRAY_ITERATION_METHODS } from '../../knowledge/iteration';
import type { Library, MethodSpec } from '../../knowledge/schema';
import type { CallLike } from '../calls';
import type { FileSet, Knowledge } from '../fileSet';
import { enclosingClass, findDeclaration, skipOuterExpressions } from '../scope';
import { requiredModule, type FileModel, type ImportBinding } from '../sourceFile';
import { candidateMethods, handleTypeFor, type TypeOracle } from '../typeOracle';
import * as invocation from './invocation';
import * as members from './members';
import * as modules from './modules';
import { isAssignment, type HandleValue, type Value } from './value';

const MAX_DEPTH = 40;

export class Evaluator {
  private memo = new Map<ts.Node, Value | null>();
  private readonly inProgress = new Set<ts.Node>();
  private depth = 0;

  /** Method names some handle type lists: only calls of these are worth asking the type checker about. */
  private candidates: Set<string> | undefined;
  private readonly typedMemo = new Map<ts.Node, HandleValue | null>();

  constructor(
    readonly files: FileSet,
    readonly knowledge: Knowledge,
    /** The TypeScript checker, when the runner turned types on. */
    readonly types?: TypeOracle,
  ) {}

  /**
   * With types on: the library handle the checker places `receiver` on, when `method` is a method that handle lists
   * (asked only for calls whose receiver syntax could not place, and only for method names some table lists).
   */
  typedReceiver(receiver: ts.Expression, method: string): HandleValue | undefined {
    if (!this.types) return undefined;
    this.candidates ??= candidateMethods(this.knowledge);
    if (!this.candidates.has(method)) return undefined;
    const known = this.typedMemo.get(receiver);
    if (known !== undefined) return known ?? undefined;
    const found = this.placeByTypes(receiver, method);
    if (found) this.types.noteResolved();
    this.typedMemo.set(receiver, found ?? null);
    return found;
  }

  private placeByTypes(receiver: ts.Expression, method: string): HandleValue | undefined {
    const answer = this.types!.receiverTypes(receiver);
    if (!answer) return undefined;
    const lists = (handle: HandleValue | undefined) =>
      handle && !handle.many && this.knowledge.methodOf(handle.typeName, method) ? handle : undefined;
    for (const declared of answer.declared) {
      const mapped = handleTypeFor(this.knowledge, declared);
      const handle = lists(mapped && this.handleOf(mapped.library, mapped.typeName));
      if (handle) return handle;
    }
    // The library's declarations are not installed: read the annotation the checker led to (`db: Pool` in an
    // interface).
    for (const annotation of answer.annotations) {
      const file = this.fileOf(annotation);
      const value = file && this.typeValue(file, annotation);
      const handle = lists(value?.kind === 'handle' ? value : this.libraryBase(value));
      if (handle) return handle;
    }
    return undefined;
  }

  fileOf(node: ts.Node): FileModel | undefined {
    return this.files.get(node.getSourceFile().fileName);
  }

  /** The value an expression evaluates to, or undefined when unknown (most expressions). */
  valueOf(expr: ts.Node): Value | undefined {
    const cached = this.memo.get(expr);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(expr) || this.depth > MAX_DEPTH) return undefined;
    const file = this.fileOf(expr);
    if (!file) return undefined;
    this.inProgress.add(expr);
    this.depth++;
    let result: Value | undefined;
    try {
      result = this.compute(file, expr);
    } finally {
      this.depth--;
      this.inProgress.delete(expr);
    }
    this.memo.set(expr, result ?? null);
    return result;
  }

  private compute(file: FileModel, node: ts.Node): Value | undefined {
    if (!ts.isExpression(node) && !ts.isShorthandPropertyAssignment(node)) return undefined;
    if (ts.isShorthandPropertyAssignment(node)) return this.identifierValue(file, node.name);
    const expr = skipOuterExpressions(node);
    if (expr !== node) return this.valueOf(expr);
    if (ts.isIdentifier(expr)) return this.identifierValue(file, expr);
    if (expr.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(expr);
      if (!owner) return undefined;
      return owner.isStatic ? { kind: 'class', file, node: owner.cls } : { kind: 'instance', file, node: owner.cls };
    }
    if (ts.isPropertyAccessExpression(expr)) return this.memberOf(this.valueOf(expr.expression), expr.name.text);
    if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) {
      return this.memberOf(this.valueOf(expr.expression), expr.argumentExpression.text);
    }
    if (ts.isCallExpression(expr)) {
      // `require('pg')` (also inside functions, for lazy loading) is the module's CommonJS value.
      const required = requiredModule(expr);
      if (required) return this.importValue(file, { module: required, name: '*', path: [] });
      return invocation.callResult(this, expr);
    }
    // `sql\`select …\``: a tagged template calls its tag.
    if (ts.isTaggedTemplateExpression(expr)) return invocation.callResult(this, expr);
    if (ts.isNewExpression(expr)) return invocation.newResult(this, file, expr);
    if (ts.isAwaitExpression(expr)) return this.awaited(this.valueOf(expr.expression));
    if (ts.isConditionalExpression(expr)) return this.valueOf(expr.whenTrue) ?? this.valueOf(expr.whenFalse);
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
        return this.valueOf(expr.left) ?? this.valueOf(expr.right);
      if (
        op === ts.SyntaxKind.EqualsToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken
      )
        return this.valueOf(expr.right);
      return undefined;
    }
    if (ts.isObjectLiteralExpression(expr)) return { kind: 'object', file, node: expr };
    if (ts.isFunctionExpression(expr) || ts.isArrowFunction(expr)) return { kind: 'function', file, node: expr };
    if (ts.isClassExpression(expr)) return { kind: 'class', file, node: expr };
    return undefined;
  }

  /** `await v`: a pending query resolves to its rows; a promised handle resolves to the handle. */
  private awaited(value: Value | undefined): Value | undefined {
    if (value?.kind !== 'handle' || !value.pending) return value;
    const spec = value.pending.spec;
    const each = spec.resolvesEach;
    if (each) return this.handleOf(value.pending.library, each, true);
    return spec.resolves ? this.handleOf(value.pending.library, spec.resolves) : undefined;
  }

  handleOf(library: Library, typeName: string, many = false): HandleValue | undefined {
    const resolved = this.knowledge.resolveType(library, typeName);
    if (!resolved) return undefined;
    return {
      kind: 'handle',
      library: resolved.library,
      typeName: resolved.qualifiedName,
      type: resolved.type,
      many: many || undefined,
    };
  }

  private identifierValue(file: FileModel, id: ts.Identifier): Value | undefined {
    const decl = findDeclaration(file, id);
    if (!decl) {
      const global = this.knowledge.globals.get(id.text);
      if (global) return { kind: 'export', library: global.library, spec: global.spec, name: id.text };
      return undefined;
    }
    switch (decl.kind) {
      case 'import':
        return this.importValue(file, decl.binding);
      case 'function':
        return { kind: 'function', file, node: decl.node };
      case 'class':
        return { kind: 'class', file, node: decl.node };
      case 'enum':
        return undefined;
      case 'variable':
        return this.followPath(this.variableValue(file, decl.decl, id.text), decl.path);
      case 'parameter':
        return this.followPath(this.parameterValue(file, decl.decl), decl.path);
    }
  }

  /** The value at a destructuring path (`[]` an element, `...` the rest) below `value`. */
  followPath(value: Value | undefined, path: string[]): Value | undefined {
    let current = value;
    for (const key of path) {
      if (!current) return undefined;
      current = key === '[]' ? this.elementOf(current) : key === '...' ? undefined : this.memberOf(current, key);
    }
    return current;
  }

  /** One element of a collection value (`for (const u of users)` over Sequelize instances). */
  elementOf(value: Value | undefined): Value | undefined {
    if (value?.kind === 'handle' && value.many)
      return { ...value, many: undefined, pending: undefined, model: value.model };
    return undefined;
  }

  /** Per declaration: every reference to a variable has the same (flow-insensitive) value. */
  private variableMemo = new Map<ts.VariableDeclaration, Value | null>();

  /** Parameters bound to one call's arguments while that call's return value is computed (see `boundReturn`). */
  private readonly bindings = new Map<ts.ParameterDeclaration, Value>();

  /**
   * What a project function returns for this call's arguments, when its parameters alone decide it: a model factory
   * `(sequelize, DataTypes) => sequelize.define(…)` called as `UserModel(sequelize, Sequelize)`. Only calls passing a
   * library value are evaluated this way, one level deep; the results hold for this call only, so they are computed
   * with memos of their own.
   */
  boundReturn(fn: ts.FunctionLikeDeclaration, call: CallLike): Value | undefined {
    if (this.bindings.size > 0 || !ts.isCallExpression(call)) return undefined;
    const bound = new Map<ts.ParameterDeclaration, Value>();
    fn.parameters.forEach((parameter, index) => {
      const argument = call.arguments[index];
      if (!argument || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
      const value = this.valueOf(argument);
      if (value?.kind === 'handle' || value?.kind === 'export') bound.set(parameter, value);
    });
    if (bound.size === 0) return undefined;
    const outer = { memo: this.memo, variableMemo: this.variableMemo };
    this.memo = new Map();
    this.variableMemo = new Map();
    for (const [parameter, value] of bound) this.bindings.set(parameter, value);
    try {
      const value = this.returnValue(fn);
      // A query builder passed through a helper (`applyFilters(query, knex)`) may be bounded there in ways a value
      // cannot carry: only handles that are not pending queries come back.
      return value?.kind === 'handle' && value.pending ? undefined : value;
    } finally {
      this.bindings.clear();
      this.memo = outer.memo;
      this.variableMemo = outer.variableMemo;
    }
  }

  variableValue(file: FileModel, decl: ts.VariableDeclaration, name: string): Value | undefined {
    const known = this.variableMemo.get(decl);
    if (known !== undefined) return known ?? undefined;
    if (this.inProgress.has(decl)) return undefined;
    this.inProgress.add(decl);
    let value: Value | undefined;
    try {
      value = this.computeVariableValue(file, decl, name);
    } finally {
      this.inProgress.delete(decl);
    }
    this.variableMemo.set(decl, value ?? null);
    return value;
  }

  private computeVariableValue(file: FileModel, decl: ts.VariableDeclaration, name: string): Value | undefined {
    const list = decl.parent;
    if (ts.isVariableDeclarationList(list) && (ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent))) {
      return ts.isForOfStatement(list.parent) ? this.elementOf(this.valueOf(list.parent.expression)) : undefined;
    }
    if (decl.initializer) {
      const value = this.valueOf(decl.initializer);
      if (value) return value;
    }
    if (decl.type) {
      const typed = this.typeValue(file, decl.type);
      if (typed) return typed;
    }
    return decl.initializer ? undefined : this.assignedValue(file, decl, name);
  }

  /** `let client; … client = new Redis()` (lazy singletons): the first assignment that evaluates. */
  private assignedValue(file: FileModel, decl: ts.VariableDeclaration, name: string): Value | undefined {
    const scope = decl.parent.parent?.parent ?? file.sourceFile;
    for (const assignment of this.assignmentsIn(scope, name)) {
      const value = this.valueOf(assignment.right);
      if (value) return value;
    }
    return undefined;
  }

  /** Per source file: the assignments to each plain name, in source order (one walk per file, not one per variable). */
  private readonly assignmentIndex = new Map<ts.SourceFile, Map<string, ts.BinaryExpression[]>>();

  /** Assignments to `name` inside `scope`, in the order a pre-order walk of the scope meets them. */
  private assignmentsIn(scope: ts.Node, name: string): ts.BinaryExpression[] {
    const sourceFile = scope.getSourceFile();
    let index = this.assignmentIndex.get(sourceFile);
    if (!index) {
      const byName = new Map<string, ts.BinaryExpression[]>();
      const visit = (node: ts.Node): void => {
        if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && isAssignment(node.operatorToken.kind)) {
          const list = byName.get(node.left.text);
          if (list) list.push(node);
          else byName.set(node.left.text, [node]);
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
      index = byName;
      this.assignmentIndex.set(sourceFile, index);
    }
    // Pre-order is source order here (a nested assignment sits in its parent's right side), so filtering keeps the
    // order.
    return (index.get(name) ?? []).filter((node) => node.pos >= scope.pos && node.end <= scope.end);
  }

  parameterValue(file: FileModel, parameter: ts.ParameterDeclaration): Value | undefined {
    const bound = this.bindings.get(parameter);
    if (bound) return bound;
    if (parameter.type) {
      const typed = this.typeValue(file, parameter.type);
      if (typed) return typed;
    }
    if (parameter.initializer) return this.valueOf(parameter.initializer);
    // `users.forEach((user) => user.getPosts())`: the callback's element parameter is an element of the receiver.
    const fn = parameter.parent;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(fn.parent)) {
      const callee = fn.parent.expression;
      const iteration = ts.isPropertyAccessExpression(callee)
        ? own(ARRAY_ITERATION_METHODS, callee.name.text)
        : undefined;
      if (
        ts.isPropertyAccessExpression(callee) &&
        iteration &&
        fn.parameters[iteration.elementParameter ?? 0] === parameter
      )
        return this.elementOf(this.valueOf(callee.expression));
      // `sql.begin(async (tx) => …)`: the library hands its callback a handle (a transaction, a task).
      if (ts.isPropertyAccessExpression(callee) && fn.parameters[0] === parameter) {
        const method = this.methodSpec(this.valueOf(callee.expression), callee.name.text);
        const handed = method?.spec.callbackHandle;
        if (handed) return this.handleOf(method.handle.library, handed);
      }
    }
    return undefined;
  }

  /** The value a type annotation promises (`repo: Repository<User>`, `prisma: PrismaService`). */
  typeValue(file: FileModel, type: ts.TypeNode): Value | undefined {
    if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
      for (const member of type.types) {
        const value = this.typeValue(file, member);
        if (value) return value;
      }
      return undefined;
    }
    if (ts.isParenthesizedTypeNode(type)) return this.typeValue(file, type.type);
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const entity = this.entityValue(file, type.typeName);
    if (entity?.kind === 'export' && entity.spec.type) return this.handleOf(entity.library, entity.spec.type);
    if (entity?.kind === 'class') return { kind: 'instance', file: entity.file, node: entity.node };
    // `Promise<Pool>` and friends: look through the wrapper.
    if (ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise' && type.typeArguments?.[0])
      return this.typeValue(file, type.typeArguments[0]);
    return undefined;
  }

  private entityValue(file: FileModel, name: ts.EntityName): Value | undefined {
    if (ts.isIdentifier(name)) return this.typeNameValue(file, name);
    return this.memberOf(this.entityValue(file, name.left), name.right.text);
  }

  /**
   * A name in a type position: an import, a class or a global, never a variable, parameter or function of that name
   * (those live in the value space; `(reader: reader)` names a type alias, and reading the parameter would recurse).
   */
  private typeNameValue(file: FileModel, id: ts.Identifier): Value | undefined {
    const kind = findDeclaration(file, id)?.kind;
    if (kind === 'variable' || kind === 'parameter' || kind === 'function') return undefined;
    return this.identifierValue(file, id);
  }

  importValue(file: FileModel, binding: ImportBinding): Value | undefined {
    return modules.importValue(this, file, binding);
  }

  /** The value `target` exports under `name`, following re-exports and CommonJS `module.exports`. */
  exportValue(target: FileModel, name: string, seen: Set<string>): Value | undefined {
    return modules.exportValue(this, target, name, seen);
  }

  /** `value.name`: a sub-handle, a namespace member, a class member, a module export. */
  memberOf(value: Value | undefined, name: string): Value | undefined {
    return members.memberOf(this, value, name);
  }

  baseOf(cls: ts.ClassLikeDeclaration): Value | undefined {
    return members.baseOf(this, cls);
  }

  /** The handle a class instance or static side stands for when the class extends a library class. */
  libraryBase(value: Value | undefined): HandleValue | undefined {
    return members.libraryBase(this, value);
  }

  /** The spec of `recv.method(...)` when the receiver is a library handle (directly or through `extends`). */
  methodSpec(
    receiver: Value | undefined,
    method: string,
    call?: CallLike,
  ): { handle: HandleValue; spec: MethodSpec } | undefined {
    return invocation.methodSpec(this, receiver, method, call);
  }

  /** What a project function returns (first return expression whose value is known). */
  returnValue(fn: ts.FunctionLikeDeclaration): Value | undefined {
    return invocation.returnValue(this, fn);
  }
}
