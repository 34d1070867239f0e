// Entry points: the functions a framework calls per request, per job, at start-up or in one-off code, and their names.
import { ts } from 'ts-morph';
import * as frameworks from '../knowledge/frameworks';
import type { EntryKind } from '../knowledge/frameworks';
import { isFunctionBoundary, propertyNameText, skipOuterExpressions } from './scope';
import { isQueueConsumerLoop } from './queueConsumer';
import { documentedOneOff, hasDirective, registryName } from './oneOffEntries';
import { adminGuarded, routeEntries, testOnlyRoute } from './routeEntries';
import type { FileModel } from './sourceFile';
import type { FunctionRef } from './summaries';
import type { Evaluator } from './values';

export type { EntryKind };
export { fileEntry, hasDirective } from './oneOffEntries';

/** How a framework reaches a function: its kind, what registers it, and a name for messages. */
export interface Entry {
  kind: EntryKind;
  /**
   * 'route', 'middleware', 'resolver', 'procedure', 'command', 'event', 'cron', 'queue', 'lifecycle', 'migration', …
   */
  via: string;
  /** How a message names it: "GET /orders", "cron job `cleanup`", "`messageCreate` listener". */
  label: string;
  /** A route only a few staff use (an admin path, guard or middleware): per request, but its traffic is rare. */
  rare?: boolean;
  /** A GraphQL field resolver of an object type: it runs once per parent object a query returns (N+1 by shape). */
  perParent?: boolean;
}

export function decoratorsOf(node: ts.Node): { name: string; args: readonly ts.Expression[] }[] {
  const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined;
  return (decorators ?? []).flatMap((d) => {
    const call = ts.isCallExpression(d.expression) ? d.expression : undefined;
    const expr = call ? call.expression : d.expression;
    const name = ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : undefined;
    return name ? [{ name, args: call?.arguments ?? [] }] : [];
  });
}

function isExported(node: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/**
 * A function passed to wrappers (`export default withAuth(async (req, res) => …)`) is exported as the outermost call.
 */
function exportHolder(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isCallExpression(current.parent) && current.parent.expression !== current) current = current.parent;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)) current = current.parent;
  return current;
}

/**
 * The name a function is exported or assigned under: `export function GET`, `exports.run = …`,
 * `module.exports.handler`.
 */
function exportedName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name && isExported(fn) ? fn.name.text : undefined;
  const node = exportHolder(fn);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    return statement && isExported(statement) ? parent.name.text : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === node && ts.isPropertyAccessExpression(parent.left)) {
    const target = parent.left.expression.getText();
    if (target === 'exports' || target === 'module.exports') return parent.left.name.text;
  }
  return undefined;
}

export function literalText(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const node = skipOuterExpressions(expr);
  return ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** `@Controller('orders')` + `@Get(':id')` → "/orders/:id". */
function decoratedRoute(method: ts.MethodDeclaration, verb: string, args: readonly ts.Expression[]): string {
  const cls = method.parent;
  const prefixDecorator = ts.isClassLike(cls)
    ? decoratorsOf(cls).find((d) => frameworks.ROUTE_PREFIX_DECORATORS.has(d.name))
    : undefined;
  const prefix = literalText(prefixDecorator?.args[0]) ?? '';
  const path = literalText(args[0]) ?? '';
  const joined = ['', prefix, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `${verb.toUpperCase()} /${joined}`;
}

function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  return ts.isClassLike(node.parent) ? node.parent : undefined;
}

function heritageNames(cls: ts.ClassLikeDeclaration, token: ts.SyntaxKind): string[] {
  return (cls.heritageClauses ?? [])
    .filter((h) => h.token === token)
    .flatMap((h) => h.types.map((t) => t.expression.getText().split('.').pop()!));
}

function memberName(node: ts.FunctionLikeDeclaration): string | undefined {
  if (node.name) return propertyNameText(node.name);
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return propertyNameText(parent.name);
  return undefined;
}

/** Entry points visible at the declaration: decorators, lifecycle and migration classes, file conventions, shapes. */
export function declaredEntry(fn: FunctionRef): Entry | undefined {
  const node = fn.node;
  const cls = classOf(node);
  const name = memberName(node);
  if (cls && (ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node.parent))) {
    const owner = cls.name?.text ?? 'class';
    for (const decorator of decoratorsOf(ts.isMethodDeclaration(node) ? node : node.parent)) {
      const kind = frameworks.METHOD_DECORATOR_KINDS.get(decorator.name);
      if (!kind) continue;
      const label =
        frameworks.HTTP_VERB_DECORATORS.has(decorator.name) && ts.isMethodDeclaration(node)
          ? `${decoratedRoute(node, decorator.name, decorator.args)} (\`${owner}.${name}\`)`
          : `${kind === 'job' ? 'job' : decorator.name} \`${owner}.${name}\``;
      const entry: Entry = { kind, via: kind === 'job' ? 'job' : 'route', label };
      if (frameworks.FIELD_RESOLVER_DECORATORS.has(decorator.name)) entry.perParent = true;
      return kind === 'request' ? decoratedTraits(node, cls, entry) : entry;
    }
    if (name && frameworks.STARTUP_METHODS.has(name))
      return { kind: 'startup', via: 'lifecycle', label: `\`${owner}.${name}\` at start-up` };
    if (
      heritageNames(cls, ts.SyntaxKind.ImplementsKeyword).some((n) => frameworks.MIGRATION_INTERFACES.has(n)) ||
      heritageNames(cls, ts.SyntaxKind.ExtendsKeyword).some((n) => frameworks.MIGRATION_BASE_CLASSES.has(n))
    )
      return { kind: 'one-off', via: 'migration', label: `migration \`${owner}\`` };
    const implemented = heritageNames(cls, ts.SyntaxKind.ImplementsKeyword);
    if (
      name &&
      frameworks.PER_REQUEST_METHODS.has(name) &&
      implemented.some((t) => /Middleware|Guard|CanActivate|Interceptor/.test(t))
    )
      return { kind: 'request', via: 'middleware', label: `middleware \`${owner}.${name}\`` };
    if (
      name &&
      frameworks.COMMAND_HANDLER_KEYS.has(name) &&
      heritageNames(cls, ts.SyntaxKind.ExtendsKeyword).some((n) => frameworks.COMMAND_BASE_CLASS.test(n))
    )
      return { kind: 'request', via: 'command', label: `command \`${owner}\`` };
    if (
      name &&
      frameworks.COMMAND_HANDLER_KEYS.has(name) &&
      heritageNames(cls, ts.SyntaxKind.ExtendsKeyword).some((n) => frameworks.LISTENER_BASE_CLASS.test(n))
    )
      return listenerClassEntry(cls, owner, name);
  }
  return conventionEntry(fn) ?? documentedOneOff(fn, memberName(fn.node)) ?? shapeEntry(fn);
}

/** A listener class's handler: per event, or once at start-up for `ready`-like events named in its `super(…)`. */
function listenerClassEntry(cls: ts.ClassLikeDeclaration, owner: string, method: string): Entry {
  const event = listenerEvent(cls);
  if (event && frameworks.STARTUP_EVENTS.has(event))
    return { kind: 'startup', via: 'event', label: `\`${owner}.${method}\` on ${event}` };
  return { kind: 'request', via: 'event', label: `\`${owner}.${method}\` on ${event ?? 'its event'}` };
}

/** `event: 'messageCreate'` in the options object of the constructor's `super(…)` call. */
function listenerEvent(cls: ts.ClassLikeDeclaration): string | undefined {
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  let event: string | undefined;
  const visit = (node: ts.Node): void => {
    if (event) return;
    if (
      ts.isPropertyAssignment(node) &&
      propertyNameText(node.name) === frameworks.LISTENER_EVENT_OPTION &&
      ts.isStringLiteralLike(node.initializer)
    )
      event = node.initializer.text;
    ts.forEachChild(node, visit);
  };
  if (ctor?.body) visit(ctor.body);
  return event;
}

/**
 * A decorated handler's traffic: one-off when its route exists only for tests, rare when an admin role or guard
 * decorator sits on it or on its class, or its path has an `/admin` segment.
 */
function decoratedTraits(node: ts.Node, cls: ts.ClassLikeDeclaration, entry: Entry): Entry {
  const path = /\s(\/\S*)/.exec(entry.label)?.[1] ?? '';
  if (testOnlyRoute(path, node)) return { kind: 'one-off', via: 'test', label: `test-only route ${entry.label}` };
  const guards = [...decoratorsOf(node), ...decoratorsOf(cls)]
    .filter((d) => frameworks.GUARD_DECORATORS.has(d.name))
    .map((d) => `${d.name}(${d.args.map((a) => a.getText()).join(', ')})`);
  return adminGuarded(path, guards) ? { ...entry, rare: true } : entry;
}

/** A server action declared in place: a function whose body starts with `'use server'`. */
function conventionEntry(fn: FunctionRef): Entry | undefined {
  const body = fn.node.body && ts.isBlock(fn.node.body) ? fn.node.body.statements : undefined;
  if (body && hasDirective(body, 'use server'))
    return { kind: 'request', via: 'action', label: `server action \`${memberName(fn.node) ?? 'action'}\`` };
  return undefined;
}

/**
 * Functions a file's exports make entry points by convention: Next.js API routes, route handlers, pages and data
 * functions, server-action files, serverless `handler`s; wrapped exports (`export default withAuth(handler)`) included.
 */
export function exportedEntries(evaluator: Evaluator, file: FileModel): { fn: FunctionRef; entry: Entry }[] {
  const out: { fn: FunctionRef; entry: Entry }[] = [];
  const path = file.path;
  const statements = file.sourceFile.statements;
  const add = (name: string, entry: Entry): void => {
    const node = exportedNode(file, name);
    const fns: FunctionRef[] =
      node && ts.isFunctionDeclaration(node) ? [{ file, node }] : functionsIn(evaluator, node as ts.Expression);
    for (const fn of fns)
      out.push({ fn, entry: adminGuarded(entry.label.replace(/^\S+ /, ''), []) ? { ...entry, rare: true } : entry });
  };
  if (frameworks.NEXT_PAGES_API.test(path))
    add('default', { kind: 'request', via: 'route', label: `API route ${nextApiPath(path)}` });
  if (frameworks.NEXT_APP_ROUTE.test(path))
    for (const verb of frameworks.NEXT_ROUTE_EXPORTS)
      add(verb, { kind: 'request', via: 'route', label: `${verb} ${nextAppPath(path)}` });
  if (frameworks.NEXT_APP_RENDER.test(path) && !hasDirective(statements, 'use client')) {
    add('default', { kind: 'request', via: 'route', label: `page ${nextAppPath(path)}` });
    add('generateMetadata', { kind: 'request', via: 'route', label: `page ${nextAppPath(path)}` });
  }
  for (const name of frameworks.NEXT_PER_REQUEST_EXPORTS)
    add(name, { kind: 'request', via: 'route', label: `\`${name}\`` });
  for (const name of frameworks.NEXT_BUILD_EXPORTS)
    add(name, { kind: 'one-off', via: 'build', label: `\`${name}\` at build time` });
  for (const name of frameworks.SERVERLESS_EXPORTS)
    add(name, { kind: 'request', via: 'serverless', label: `serverless \`${name}\`` });
  if (hasDirective(statements, 'use server'))
    for (const name of file.exports.keys())
      add(name, { kind: 'request', via: 'action', label: `server action \`${name}\`` });
  return out;
}

/** The expression or function a module exports under `name` (locally), for finding the functions it holds. */
function exportedNode(file: FileModel, name: string): ts.Expression | ts.FunctionDeclaration | undefined {
  const target = file.exports.get(name);
  if (!target || target.kind === 'reexport') return undefined;
  const node = target.kind === 'node' ? target.node : file.topLevel.get(target.name);
  if (!node) return undefined;
  if (ts.isVariableDeclaration(node)) return node.initializer;
  if (ts.isFunctionDeclaration(node)) return node;
  if (ts.isPropertyAssignment(node)) return node.initializer;
  if (ts.isMethodDeclaration(node)) return undefined;
  return ts.isExpression(node) ? node : undefined;
}

/** `(req, res)` handlers, GraphQL resolver maps and bot command objects, by their shape. */
function shapeEntry(fn: FunctionRef): Entry | undefined {
  const node = fn.node;
  if (handlerShapedParameters(node)) return { kind: 'request', via: 'route', label: handlerLabel(fn) };
  const resolver = resolverMember(node);
  if (resolver) {
    const entry: Entry = { kind: 'request', via: 'resolver', label: `resolver \`${resolver}\`` };
    if (!frameworks.RESOLVER_ROOT_KEYS.has(resolver.split('.')[0]!)) entry.perParent = true;
    return entry;
  }
  const command = commandObject(node);
  if (command) return { kind: 'request', via: 'command', label: `command \`${command}\`` };
  if (isQueueConsumerLoop(node))
    return { kind: 'job', via: 'queue', label: `queue worker \`${memberName(node) ?? exportedName(node) ?? 'loop'}\`` };
  return undefined;
}

function handlerLabel(fn: FunctionRef): string {
  const name = memberName(fn.node) ?? exportedName(fn.node);
  return name ? `handler \`${name}\`` : 'a request handler';
}

function nextApiPath(path: string): string {
  const tail = path.replace(/^.*?(^|\/)pages\/api\//, '');
  return '/api/' + tail.replace(/\.(t|j)sx?$/, '').replace(/\/index$|^index$/, '');
}

function nextAppPath(path: string): string {
  const tail = path.replace(/^.*(^|\/)app\//, '');
  const route = tail
    .replace(/\/?(route|page|layout|template)\.(t|j)sx?$/, '')
    .split('/')
    .filter((p) => !/^\(.*\)$/.test(p))
    .join('/');
  return '/' + route;
}

function handlerShapedParameters(node: ts.FunctionLikeDeclaration): boolean {
  const [first, second] = node.parameters;
  if (!first) return false;
  const typeName = (p: ts.ParameterDeclaration | undefined) =>
    p?.type && ts.isTypeReferenceNode(p.type)
      ? ts.isIdentifier(p.type.typeName)
        ? p.type.typeName.text
        : p.type.typeName.right.text
      : undefined;
  const firstType = typeName(first);
  if (firstType && frameworks.REQUEST_TYPE_NAMES.has(firstType) && firstType !== 'Context') return true;
  const names = [first, second].map((p) => (p && ts.isIdentifier(p.name) ? p.name.text : ''));
  return frameworks.REQUEST_PARAMETER_PAIRS.some(([a, b]) => names[0] === a && names[1] === b);
}

/** `{ Query: { user: fn } }` → "Query.user"; type resolvers (`{ User: { posts: fn } }`) too, inside a resolver map. */
export function resolverMember(node: ts.Node): string | undefined {
  const property = ts.isMethodDeclaration(node) ? node : ts.isPropertyAssignment(node.parent) ? node.parent : undefined;
  const object = property?.parent;
  if (!property || !object || !ts.isObjectLiteralExpression(object)) return undefined;
  const holder = object.parent;
  if (!ts.isPropertyAssignment(holder)) return undefined;
  const typeName = propertyNameText(holder.name) ?? '';
  const field = propertyNameText(property.name!) ?? '';
  if (frameworks.RESOLVER_ROOT_KEYS.has(typeName)) return `${typeName}.${field}`;
  // A type's field resolvers sit beside a root key in the same map.
  const map = holder.parent;
  const besideRoot =
    ts.isObjectLiteralExpression(map) &&
    map.properties.some((p) => p.name && frameworks.RESOLVER_ROOT_KEYS.has(propertyNameText(p.name) ?? ''));
  return besideRoot ? `${typeName}.${field}` : undefined;
}

/** `module.exports = { data: new SlashCommandBuilder()…, async execute(interaction) {…} }` → the command's name. */
function commandObject(node: ts.FunctionLikeDeclaration): string | undefined {
  const name = memberName(node);
  if (!name || !frameworks.COMMAND_HANDLER_KEYS.has(name)) return undefined;
  const property = ts.isMethodDeclaration(node) ? node : node.parent;
  // A top-level `function run()` has the source file as its parent, and nothing above that.
  if (!ts.isMethodDeclaration(property) && !ts.isPropertyAssignment(property)) return undefined;
  const object = property.parent;
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const description = object.properties.find(
    (p) => p.name && frameworks.COMMAND_DESCRIPTION_KEYS.has(propertyNameText(p.name) ?? ''),
  );
  if (!description) return undefined;
  const named =
    ts.isPropertyAssignment(description) && ts.isStringLiteralLike(description.initializer)
      ? description.initializer.text
      : /setName\(\s*['"`]([^'"`]+)/.exec(description.getText())?.[1];
  return named ?? name;
}

/** Functions a call registers as entry points: routes, jobs, listeners, procedures, bot commands. */
export function registeredEntries(
  evaluator: Evaluator,
  call: ts.CallExpression | ts.NewExpression,
): { fn: FunctionRef; entry: Entry }[] {
  const out: { fn: FunctionRef; entry: Entry }[] = [];
  const add = (expr: ts.Expression | undefined, entry: Entry): void => {
    for (const fn of functionsIn(evaluator, expr)) out.push({ fn, entry });
  };
  const args = call.arguments ?? [];
  const callee = skipOuterExpressions(call.expression);
  if (ts.isNewExpression(call)) {
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (frameworks.JOB_CONSTRUCTORS.has(name)) {
      const label = `${name === 'Worker' ? 'queue worker' : 'cron job'}${literalText(args[0]) ? ` \`${literalText(args[0])}\`` : ''}`;
      for (const arg of args) add(arg, { kind: 'job', via: name === 'Worker' ? 'queue' : 'cron', label });
    }
    return out;
  }
  if (ts.isIdentifier(callee)) {
    if (frameworks.JOB_REGISTRATION_GLOBALS.has(callee.text))
      add(args[0], { kind: 'job', via: 'interval', label: `the \`${callee.text}\` callback` });
    return out;
  }
  if (!ts.isPropertyAccessExpression(callee)) return out;
  const method = callee.name.text;
  const receiver = evaluator.valueOf(callee.expression);
  // A client's `get`, a Map's `get`, a query builder's `on`: library handles are not frameworks.
  if (receiver?.kind === 'handle' || receiver?.kind === 'map') return out;
  const hasFunctionArg = args.some((a) => isFunctionLike(a));
  if (frameworks.ROUTE_METHODS.has(method) || method === 'route') routeEntries(evaluator, call, method, add);
  if (frameworks.JOB_REGISTRATION_METHODS.has(method) && args.length > 0) {
    const last = lastFunctionArgument(evaluator, args);
    const name = literalText(args[0]);
    const via = method === 'process' || method === 'work' ? 'queue' : 'cron';
    if (last)
      add(last, { kind: 'job', via, label: `${via === 'queue' ? 'queue job' : 'job'}${name ? ` \`${name}\`` : ''}` });
  }
  if (frameworks.EVENT_REGISTRATION_METHODS.has(method) && args.length >= 2) {
    const event = literalText(args[0]);
    if (event !== undefined && !frameworks.IGNORED_EVENTS.has(event)) {
      const kind: EntryKind = frameworks.STARTUP_EVENTS.has(event) ? 'startup' : 'request';
      add(args[args.length - 1], { kind, via: 'event', label: `the \`${event}\` listener` });
    }
  }
  if (frameworks.BOT_REGISTRATION_METHODS.has(method) && args.length >= 2)
    add(args[args.length - 1], { kind: 'request', via: 'command', label: `bot ${method} handler` });
  if (frameworks.COMMAND_REGISTRATION_METHOD.test(method) && args.length >= 2 && literalText(args[0]) !== undefined) {
    const handler = lastFunctionArgument(evaluator, args.slice(1));
    if (handler) add(handler, { kind: 'request', via: 'command', label: `command \`${literalText(args[0])}\`` });
  }
  // `migration.add('fix-ids', async () => …)`: what a migration registry holds runs once per deployment.
  const registry = registryName(callee.expression);
  if (registry && frameworks.ONE_OFF_FUNCTION.test(registry) && frameworks.ONE_OFF_REGISTRATION_METHODS.has(method))
    for (const arg of args)
      if (isFunctionLike(arg))
        add(arg, { kind: 'one-off', via: 'migration', label: `a migration registered with \`${registry}.${method}\`` });
  if (frameworks.PROCEDURE_METHODS.has(method) && args.length === 1 && hasFunctionArg)
    add(args[0], { kind: 'request', via: 'procedure', label: procedureLabel(call, method) });
  for (const arg of args) {
    const value = skipOuterExpressions(arg);
    if (!ts.isObjectLiteralExpression(value) || !(frameworks.JOB_REGISTRATION_METHODS.has(method) || method === 'from'))
      continue;
    for (const property of value.properties) {
      const key = property.name ? propertyNameText(property.name) : undefined;
      if (key && frameworks.JOB_OBJECT_KEYS.has(key) && ts.isPropertyAssignment(property))
        add(property.initializer, { kind: 'job', via: 'cron', label: 'cron job' });
    }
  }
  return out;
}

/** `getUser: publicProcedure.input(…).query(fn)` → "tRPC query `getUser`". */
function procedureLabel(call: ts.CallExpression, method: string): string {
  let node: ts.Node = call;
  while (ts.isCallExpression(node.parent) || ts.isPropertyAccessExpression(node.parent)) node = node.parent;
  const key = ts.isPropertyAssignment(node.parent) ? propertyNameText(node.parent.name) : undefined;
  return `tRPC ${method}${key ? ` \`${key}\`` : ''}`;
}

function isFunctionLike(expr: ts.Expression): boolean {
  const node = skipOuterExpressions(expr);
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function lastFunctionArgument(evaluator: Evaluator, args: readonly ts.Expression[]): ts.Expression | undefined {
  for (let i = args.length - 1; i >= 0; i--) if (functionsIn(evaluator, args[i]).length) return args[i];
  return undefined;
}

/**
 * The project functions an argument stands for: the function itself, one it names, or the function arguments of a
 * wrapper call (`asyncHandler(async (req, res) => …)`, `wrap(handler)`), which the wrapper calls.
 */
function functionsIn(evaluator: Evaluator, expr: ts.Expression | undefined, depth = 0): FunctionRef[] {
  if (!expr || depth > 2) return [];
  const node = skipOuterExpressions(expr);
  const value = evaluator.valueOf(node);
  if (value?.kind === 'function') return [{ file: value.file, node: value.node }];
  if (ts.isCallExpression(node)) {
    // `this.handler.bind(this)`
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')
      return functionsIn(evaluator, callee.expression, depth + 1);
    return node.arguments.flatMap((a) => functionsIn(evaluator, a, depth + 1));
  }
  return [];
}

/**
 * Whether `node` is a function passed straight to a call (`items.map(async (x) => …)`), which runs during that call.
 */
export function isInlineArgument(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) &&
    node.parent.expression !== node
  );
}

export { isFunctionBoundary };
