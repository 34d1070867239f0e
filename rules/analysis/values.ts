// Abstract values of expressions: which library handle, project function or class an expression denotes.
// Receivers are traced through imports, aliases, destructuring, `this.x` fields, type annotations and returns.
import { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import type { ExportSpec, HandleType, Library, MethodSpec } from '../knowledge/schema';
import { calleeOf, type CallLike } from './calls';
import { libraryForModule, type FileSet, type Knowledge } from './fileSet';
import { specByShape } from './callShapes';
import { enclosingClass, findDeclaration, isFunctionBoundary, propertyNameText, skipOuterExpressions } from './scope';
import { requiredModule, type FileModel, type ImportBinding } from './sourceFile';

/** A query built but not yet sent (knex builders, Mongoose queries): it runs when awaited. */
export interface Pending {
  library: Library;
  typeName: string;
  method: string;
  spec: MethodSpec;
  /** The call that made it: `knex('users')`, or a tagged template (`sql\`select …\``). */
  call: CallLike;
  effect: 'read' | 'write';
  chain: ts.CallExpression[];
}

export type Value =
  | { kind: 'export'; library: Library; spec: ExportSpec; name: string }
  | {
      kind: 'handle';
      library: Library;
      typeName: string;
      type: HandleType;
      pending?: Pending;
      many?: boolean;
      model?: ts.ClassLikeDeclaration;
    }
  | { kind: 'function'; file: FileModel; node: ts.FunctionLikeDeclaration }
  | { kind: 'class'; file: FileModel; node: ts.ClassLikeDeclaration }
  | { kind: 'instance'; file: FileModel; node: ts.ClassLikeDeclaration }
  | { kind: 'module'; file: FileModel }
  | { kind: 'object'; file: FileModel; node: ts.ObjectLiteralExpression }
  /** A built-in Map/Set/WeakMap used as an in-process cache. */
  | { kind: 'map' }
  /** A function wrapped by a memoizer or DataLoader: calling it is not a round trip. */
  | { kind: 'memoized' };

export type HandleValue = Extract<Value, { kind: 'handle' }>;

/** The type of a pending operation that has no builder methods of its own. */
const OPAQUE_PROMISE: HandleType = {
  connection: 'none',
  methods: {},
  patterns: [],
  properties: {},
  extends: [],
  cacheStore: false,
};

const ARRAY_ELEMENT_METHODS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'reduce',
]);
const MAX_DEPTH = 40;

export class Evaluator {
  private readonly memo = new Map<ts.Node, Value | null>();
  private readonly inProgress = new Set<ts.Node>();
  private depth = 0;

  constructor(
    readonly files: FileSet,
    readonly knowledge: Knowledge,
  ) {}

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
      return this.callResult(expr);
    }
    // `sql\`select …\``: a tagged template calls its tag.
    if (ts.isTaggedTemplateExpression(expr)) return this.callResult(expr);
    if (ts.isNewExpression(expr)) return this.newResult(file, expr);
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

  private followPath(value: Value | undefined, path: string[]): Value | undefined {
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
  private readonly variableMemo = new Map<ts.VariableDeclaration, Value | null>();

  private variableValue(file: FileModel, decl: ts.VariableDeclaration, name: string): Value | undefined {
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
    // Pre-order is source order here (a nested assignment sits in its parent's right side), so filtering keeps the order.
    return (index.get(name) ?? []).filter((node) => node.pos >= scope.pos && node.end <= scope.end);
  }

  private parameterValue(file: FileModel, parameter: ts.ParameterDeclaration): Value | undefined {
    if (parameter.type) {
      const typed = this.typeValue(file, parameter.type);
      if (typed) return typed;
    }
    if (parameter.initializer) return this.valueOf(parameter.initializer);
    // `users.forEach((user) => user.getPosts())`: the callback's first parameter is an element of the receiver.
    const fn = parameter.parent;
    if (
      (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
      fn.parameters[0] === parameter &&
      ts.isCallExpression(fn.parent)
    ) {
      const callee = fn.parent.expression;
      if (ts.isPropertyAccessExpression(callee) && ARRAY_ELEMENT_METHODS.has(callee.name.text))
        return this.elementOf(this.valueOf(callee.expression));
      // `sql.begin(async (tx) => …)`: the library hands its callback a handle (a transaction, a task).
      if (ts.isPropertyAccessExpression(callee)) {
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
    if (ts.isIdentifier(name)) return this.identifierValue(file, name);
    return this.memberOf(this.entityValue(file, name.left), name.right.text);
  }

  importValue(file: FileModel, binding: ImportBinding): Value | undefined {
    const library = libraryForModule(this.knowledge, binding.module);
    let value: Value | undefined;
    if (library) value = this.libraryExport(library, binding.name);
    else {
      const target = this.files.resolveModule(file.path, binding.module);
      value = target ? this.exportValue(target, binding.name, new Set()) : undefined;
    }
    return this.followPath(value, binding.path);
  }

  private libraryExport(library: Library, name: string): Value | undefined {
    const exports = library.exports;
    const direct = own(exports, name);
    // An export that is itself a ready client (`import axios from 'axios'`) is a handle.
    if (direct?.value) return this.handleOf(library, direct.value);
    if (name === '*' || name === 'default') {
      const spec = own(exports, name) ?? own(exports, name === '*' ? 'default' : '*');
      if (spec?.value) return this.handleOf(library, spec.value);
      // Without an explicit namespace value, the namespace's members are the named exports.
      const members = { ...exports, ...(spec?.members ?? {}) };
      return { kind: 'export', library, spec: { ...spec, members }, name };
    }
    const spec = own(exports, name) ?? own(own(exports, 'default')?.members, name) ?? own(own(exports, '*')?.members, name);
    return spec ? { kind: 'export', library, spec, name } : undefined;
  }

  /** The value `target` exports under `name`, following re-exports and CommonJS `module.exports`. */
  exportValue(target: FileModel, name: string, seen: Set<string>): Value | undefined {
    const key = `${target.path}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const entry = target.exports.get(name) ?? (name === 'default' ? target.exports.get('*') : undefined);
    if (entry) {
      if (entry.kind === 'node') return this.declarationValue(target, entry.node);
      if (entry.kind === 'local') {
        const binding = target.imports.get(entry.name);
        if (binding) return this.importValue(target, binding);
        const local = target.topLevel.get(entry.name);
        return local ? this.declarationValue(target, local) : undefined;
      }
      const library = libraryForModule(this.knowledge, entry.module);
      if (library) return this.libraryExport(library, entry.name);
      const next = this.files.resolveModule(target.path, entry.module);
      return next ? this.exportValue(next, entry.name, seen) : undefined;
    }
    if (name === '*') return { kind: 'module', file: target };
    const cjs = target.exports.get('*');
    if (cjs && cjs.kind === 'node') return this.memberOf(this.declarationValue(target, cjs.node), name);
    for (const star of target.starExports) {
      const next = this.files.resolveModule(target.path, star);
      const value = next ? this.exportValue(next, name, seen) : undefined;
      if (value) return value;
    }
    return undefined;
  }

  private declarationValue(file: FileModel, node: ts.Node): Value | undefined {
    if (ts.isVariableDeclaration(node))
      return ts.isIdentifier(node.name) ? this.variableValue(file, node, node.name.text) : undefined;
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return { kind: 'function', file, node };
    if (ts.isClassDeclaration(node)) return { kind: 'class', file, node };
    return this.valueOf(node);
  }

  /** `value.name`: a sub-handle, a namespace member, a class member, a module export. */
  memberOf(value: Value | undefined, name: string): Value | undefined {
    if (!value) return undefined;
    switch (value.kind) {
      case 'export': {
        const member = own(value.spec.members, name);
        if (member?.value) return this.handleOf(value.library, member.value);
        return member ? { kind: 'export', library: value.library, spec: member, name } : undefined;
      }
      case 'handle': {
        if (value.many || value.pending) return undefined;
        const property = own(value.type.properties, name);
        if (property) return this.handleOf(value.library, property);
        if (value.type.anyProperty && !/^[$_]/.test(name) && !this.knowledge.methodOf(value.typeName, name))
          return this.handleOf(value.library, value.type.anyProperty);
        return undefined;
      }
      case 'module':
        return this.exportValue(value.file, name, new Set());
      case 'object':
        return this.objectMember(value.file, value.node, name);
      case 'class':
      case 'instance':
        return this.classMember(value.file, value.node, name, value.kind === 'class');
      default:
        return undefined;
    }
  }

  private objectMember(file: FileModel, node: ts.ObjectLiteralExpression, name: string): Value | undefined {
    for (const property of node.properties) {
      if (!property.name || propertyNameText(property.name) !== name) continue;
      if (ts.isPropertyAssignment(property)) return this.valueOf(property.initializer);
      if (ts.isShorthandPropertyAssignment(property)) return this.valueOf(property);
      if (ts.isMethodDeclaration(property)) return { kind: 'function', file, node: property };
    }
    return undefined;
  }

  private classMember(
    file: FileModel,
    cls: ts.ClassLikeDeclaration,
    name: string,
    isStatic: boolean,
  ): Value | undefined {
    for (const member of cls.members) {
      const memberStatic =
        ts.canHaveModifiers(member) &&
        (ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false);
      if (ts.isConstructorDeclaration(member) && !isStatic) {
        for (const parameter of member.parameters) {
          if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length)
            return this.parameterValue(file, parameter);
        }
        const assigned = member.body && this.thisAssignment(member.body, name);
        if (assigned) return assigned;
        continue;
      }
      if (memberStatic !== isStatic || !member.name || propertyNameText(member.name) !== name) continue;
      if (ts.isPropertyDeclaration(member)) {
        if (member.initializer) return this.valueOf(member.initializer);
        if (member.type) return this.typeValue(file, member.type);
        return this.thisAssignmentAnywhere(cls, name);
      }
      if (ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member))
        return { kind: 'function', file, node: member };
    }
    return this.baseMember(cls, name, isStatic);
  }

  /** `this.x = expr` inside a constructor body. */
  private thisAssignment(body: ts.Node, name: string): Value | undefined {
    let found: Value | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (
        ts.isBinaryExpression(node) &&
        isAssignment(node.operatorToken.kind) &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        node.left.name.text === name
      ) {
        found = this.valueOf(node.right);
      }
      if (!isFunctionBoundary(node) || ts.isArrowFunction(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }

  private thisAssignmentAnywhere(cls: ts.ClassLikeDeclaration, name: string): Value | undefined {
    for (const member of cls.members) {
      if ((ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member)) && member.body) {
        const value = this.thisAssignment(member.body, name);
        if (value) return value;
      }
    }
    return undefined;
  }

  /** Members inherited from `extends Base`: a project class or a library class (PrismaClient, Sequelize Model). */
  private baseMember(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): Value | undefined {
    const base = this.baseOf(cls);
    if (!base) return undefined;
    if (base.kind === 'class') return this.classMember(base.file, base.node, name, isStatic);
    if (base.kind === 'export') {
      const typeName = isStatic ? base.spec.staticType : base.spec.instanceType;
      return typeName ? this.memberOf(this.handleOf(base.library, typeName), name) : undefined;
    }
    return undefined;
  }

  baseOf(cls: ts.ClassLikeDeclaration): Value | undefined {
    const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const expression = clause?.types[0]?.expression;
    return expression ? this.valueOf(expression) : undefined;
  }

  /** The handle a class instance or static side stands for when the class extends a library class. */
  libraryBase(value: Value | undefined): HandleValue | undefined {
    if (value?.kind !== 'class' && value?.kind !== 'instance') return undefined;
    const base = this.baseOf(value.node);
    if (base?.kind === 'export') {
      const typeName = value.kind === 'class' ? base.spec.staticType : base.spec.instanceType;
      return typeName ? this.handleOf(base.library, typeName) : undefined;
    }
    if (base?.kind === 'class') return this.libraryBase({ ...base, kind: value.kind });
    return undefined;
  }

  /** The spec of `recv.method(...)` when the receiver is a library handle (directly or through `extends`). */
  methodSpec(
    receiver: Value | undefined,
    method: string,
    call?: CallLike,
  ): { handle: HandleValue; spec: MethodSpec } | undefined {
    // Call shapes read a call's arguments; a tagged template has none to read.
    if (!receiver && call && ts.isCallExpression(call)) return this.shapeMethod(call, method);
    const handle = receiver?.kind === 'handle' ? receiver : this.libraryBase(receiver);
    if (!handle || handle.many) return undefined;
    if (receiver?.kind !== 'handle' && receiver && this.memberOf(receiver, method)?.kind === 'function')
      return undefined;
    // Rows of a project model (`class User extends Model`): the model's own methods are not queries.
    if (handle.model && hasInstanceMethod(handle.model, method)) return undefined;
    const spec = this.knowledge.methodOf(handle.typeName, method);
    return spec ? { handle, spec } : undefined;
  }

  /** An untraceable receiver whose call still proves what it is (SQL text, a Prisma `where`, a Mongo `$set`). */
  private shapeMethod(call: ts.CallExpression, method: string): { handle: HandleValue; spec: MethodSpec } | undefined {
    const byShape = specByShape(this.knowledge, call, method);
    const library = byShape && this.knowledge.libraries.find((l) => l.id === byShape.library);
    const handle = library && this.handleOf(library, byShape.typeName);
    return handle && byShape ? { handle, spec: byShape.spec } : undefined;
  }

  private callResult(call: CallLike): Value | undefined {
    const callee = skipOuterExpressions(calleeOf(call));
    if (
      ts.isPropertyAccessExpression(callee) ||
      (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
    ) {
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : (callee.argumentExpression as ts.StringLiteral).text;
      const receiver = this.valueOf(callee.expression);
      if (receiver?.kind === 'handle' && receiver.pending)
        return ts.isCallExpression(call) ? this.continuePending(receiver, name, call) : undefined;
      const method = this.methodSpec(receiver, name, call);
      if (method) {
        const result = this.specResult(method.handle.library, method.handle.typeName, name, method.spec, call);
        const model =
          receiver?.kind === 'class' ? receiver.node : receiver?.kind === 'handle' ? receiver.model : undefined;
        if (result?.kind === 'handle' && model) result.model = model;
        return result;
      }
      const member = this.memberOf(receiver, name);
      return this.invoke(member, call);
    }
    return this.invoke(this.valueOf(callee), call);
  }

  /** Calls a known value: a library function, a project function, a callable handle (`knex('users')`). */
  private invoke(callee: Value | undefined, call: CallLike): Value | undefined {
    if (!callee) return undefined;
    if (callee.kind === 'export' && callee.spec.call)
      return this.specResult(callee.library, callee.name, callee.name, callee.spec.call, call);
    const callable = callee.kind === 'handle' ? callableSpec(callee, call) : undefined;
    if (callee.kind === 'handle' && callable)
      return this.specResult(callee.library, callee.typeName, '()', callable, call, callee);
    if (callee.kind === 'function') return this.returnValue(callee.node);
    return undefined;
  }

  private specResult(
    library: Library,
    typeName: string,
    method: string,
    spec: MethodSpec,
    call: CallLike,
    callable?: HandleValue,
  ): Value | undefined {
    if (spec.memoizes) return { kind: 'memoized' };
    const resultType = spec.returns ?? (spec.deferred ? undefined : spec.resolves);
    if (spec.resolvesEach && !spec.deferred && !spec.returns) return this.handleOf(library, spec.resolvesEach, true);
    let result = resultType ? this.handleOf(library, resultType) : undefined;
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
  private continuePending(receiver: HandleValue, name: string, call: ts.CallExpression): Value | undefined {
    const pending = receiver.pending!;
    const spec = this.knowledge.methodOf(receiver.typeName, name);
    if (spec && spec.effect !== 'none' && !spec.deferred)
      return spec.returns ? this.handleOf(receiver.library, spec.returns) : undefined;
    if (name === 'then' || name === 'catch' || name === 'finally') return undefined;
    const nextType = spec?.returns ? this.handleOf(receiver.library, spec.returns) : receiver;
    if (!nextType) return undefined;
    const effect = spec && spec.effect !== 'none' ? spec.effect : pending.effect;
    const next: Pending = { ...pending, effect, chain: [...pending.chain, call] };
    if (spec && spec.effect !== 'none') Object.assign(next, { method: name, spec });
    return { ...nextType, pending: next };
  }

  /** What a project function returns (first return expression whose value is known). */
  returnValue(fn: ts.FunctionLikeDeclaration): Value | undefined {
    const body = fn.body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return this.valueOf(body);
    let found: Value | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isReturnStatement(node) && node.expression) {
        found = this.valueOf(node.expression);
        return;
      }
      if (!isFunctionBoundary(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }

  private newResult(file: FileModel, expr: ts.NewExpression): Value | undefined {
    const target = this.valueOf(expr.expression);
    if (target?.kind === 'export' && target.spec.construct) return this.handleOf(target.library, target.spec.construct);
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
}

/** What calling a handle does (`knex('users')`, `sql\`…\``); a tag-only callable (`taggedOnly`) called plainly builds a fragment. */
export function callableSpec(handle: HandleValue, call: CallLike): MethodSpec | undefined {
  const callable = handle.type.callable;
  return callable && !(callable.taggedOnly && ts.isCallExpression(call)) ? callable : undefined;
}

function hasInstanceMethod(cls: ts.ClassLikeDeclaration, name: string): boolean {
  return cls.members.some(
    (m) =>
      (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isPropertyDeclaration(m)) &&
      m.name !== undefined &&
      propertyNameText(m.name) === name,
  );
}

export function isAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken
  );
}
