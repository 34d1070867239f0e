// One analysis run over a file set: the evaluator, round trips, summaries, call graph and request entry points.
import { ts } from 'ts-morph';
import * as frameworks from '../knowledge/frameworks';
import type { Config } from './config';
import { enclosingLoop, type LoopContext } from './loops';
import type { FileSet, Knowledge } from './fileSet';
import { RoundTripFinder } from './roundTrips';
import { enclosingFunction, isFunctionBoundary, propertyNameText, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import { callTarget, functionName, Summaries, type FunctionRef } from './summaries';
import type { TypeOracle } from './typeOracle';
import { Evaluator } from './values';

export interface CallerSite {
  call: ts.CallExpression;
  file: FileModel;
  /** The function containing the call, or undefined at module scope (runs once, at load). */
  caller: FunctionRef | undefined;
}

export class ProjectAnalysis {
  readonly evaluator: Evaluator;
  readonly roundTrips: RoundTripFinder;
  readonly summaries: Summaries;
  private callerIndex: Map<ts.Node, CallerSite[]> | undefined;
  private entryIndex: Map<ts.Node, string> | undefined;

  constructor(
    readonly files: FileSet,
    readonly knowledge: Knowledge,
    readonly config: Config,
    /** The TypeScript checker for receivers syntax cannot place; undefined when types are off. */
    readonly types?: TypeOracle,
  ) {
    this.evaluator = new Evaluator(files, knowledge, types);
    this.roundTrips = new RoundTripFinder(this.evaluator);
    this.summaries = new Summaries(this.evaluator, this.roundTrips);
  }

  loopOf(file: FileModel, node: ts.Node): LoopContext | undefined {
    return enclosingLoop(this.evaluator, file, node);
  }

  functionOf(file: FileModel, node: ts.Node): FunctionRef | undefined {
    const fn = enclosingFunction(node);
    return fn ? { file, node: fn } : undefined;
  }

  /** Every call site of a project function (built once per run, on first use). */
  callersOf(fn: FunctionRef): CallerSite[] {
    if (!this.callerIndex) this.buildIndexes();
    return this.callerIndex!.get(fn.node) ?? [];
  }

  /** How a function is invoked by a framework per request ('route', 'middleware', 'resolver', …), if it is. */
  entryKind(fn: FunctionRef): string | undefined {
    if (!this.entryIndex) this.buildIndexes();
    return this.entryIndex!.get(fn.node) ?? declaredEntryKind(fn);
  }

  /** The request handler that reaches `fn` through calls (itself included), with the call path. */
  entryReaching(fn: FunctionRef, maxDepth = 5): { entry: FunctionRef; kind: string; path: CallerSite[] } | undefined {
    const queue: { fn: FunctionRef; path: CallerSite[] }[] = [{ fn, path: [] }];
    const seen = new Set<ts.Node>([fn.node]);
    while (queue.length) {
      const { fn: current, path } = queue.shift()!;
      const kind = this.entryKind(current);
      if (kind) return { entry: current, kind, path };
      if (path.length >= maxDepth) continue;
      for (const site of this.callersOf(current)) {
        if (!site.caller || seen.has(site.caller.node)) continue;
        seen.add(site.caller.node);
        queue.push({ fn: site.caller, path: [site, ...path] });
      }
    }
    return undefined;
  }

  private buildIndexes(): void {
    const callers = new Map<ts.Node, CallerSite[]>();
    const entries = new Map<ts.Node, string>();
    for (const file of this.files.all()) {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const target = callTarget(this.evaluator, node);
          if (target) {
            const caller = enclosingFunction(node);
            const list = callers.get(target.node) ?? [];
            list.push({ call: node, file, caller: caller ? { file, node: caller } : undefined });
            callers.set(target.node, list);
          }
          this.indexRouteRegistration(node, entries);
        }
        ts.forEachChild(node, visit);
      };
      visit(file.sourceFile);
    }
    this.callerIndex = callers;
    this.entryIndex = entries;
  }

  /** `app.get('/x', auth, handler)`, `router.use(fn)`, `fastify.route({ handler })`. */
  private indexRouteRegistration(call: ts.CallExpression, entries: Map<ts.Node, string>): void {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !frameworks.ROUTE_METHODS.has(callee.name.text)) return;
    const receiver = this.evaluator.valueOf(callee.expression);
    if (receiver?.kind === 'handle' || receiver?.kind === 'map') return; // a client's `get`, a Map's `get`
    const [first] = call.arguments;
    const isUse = callee.name.text === 'use';
    const pathFirst =
      first &&
      (ts.isStringLiteralLike(first) ||
        ts.isTemplateExpression(first) ||
        ts.isRegularExpressionLiteral(first) ||
        ts.isArrayLiteralExpression(first));
    if (!isUse && !pathFirst) return;
    const kind = isUse ? 'middleware' : 'route';
    for (const argument of call.arguments) {
      const fn = this.functionValue(argument);
      if (fn) entries.set(fn.node, kind);
      if (ts.isObjectLiteralExpression(argument)) {
        for (const property of argument.properties) {
          const key = property.name ? propertyNameText(property.name) : undefined;
          if (key && frameworks.ROUTE_OBJECT_HANDLER_KEYS.has(key) && ts.isPropertyAssignment(property)) {
            const handler = this.functionValue(property.initializer);
            if (handler) entries.set(handler.node, 'route');
          }
        }
      }
    }
  }

  private functionValue(expr: ts.Expression): FunctionRef | undefined {
    const value = this.evaluator.valueOf(expr);
    return value?.kind === 'function' ? { file: value.file, node: value.node } : undefined;
  }
}

/**
 * Whether `node` runs inside a route handler registered behind a response-cache middleware
 * (`router.get('/x', cache('5 minutes'), async (req, res) => …)`): it runs only on cache misses.
 */
export function behindRouteCache(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionBoundary(current) || !ts.isCallExpression(current.parent)) continue;
    const registration = current.parent;
    const callee = registration.expression;
    if (!ts.isPropertyAccessExpression(callee) || !frameworks.ROUTE_METHODS.has(callee.name.text)) continue;
    const index = registration.arguments.indexOf(current as ts.Expression);
    return registration.arguments
      .slice(0, index)
      .some(
        (arg) =>
          ts.isCallExpression(arg) &&
          frameworks.ROUTE_CACHE_MIDDLEWARE.test(arg.expression.getText().replace(/\s+/g, '')),
      );
  }
  return false;
}

/** Whether `node` sits in a function (at any depth) whose own name matches `pattern` (`migrateUsers`, `bootstrap`). */
export function inFunctionNamed(file: FileModel, node: ts.Node, pattern: RegExp): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (
      isFunctionBoundary(current) &&
      pattern.test(
        functionName({ file, node: current as ts.FunctionLikeDeclaration })
          .split('.')
          .pop()!,
      )
    )
      return true;
  }
  return false;
}

function hasDecorator(node: ts.Node, names: Set<string>): boolean {
  const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined;
  return (decorators ?? []).some((d) => {
    const expr = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return ts.isIdentifier(expr) && names.has(expr.text);
  });
}

function isExported(node: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** Entry points visible at the declaration: decorators, Next.js conventions, handler-shaped parameters, resolver maps. */
function declaredEntryKind(fn: FunctionRef): string | undefined {
  const node = fn.node;
  if (ts.isMethodDeclaration(node)) {
    if (hasDecorator(node, frameworks.HANDLER_DECORATORS)) return 'route';
    const cls = node.parent;
    const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '';
    const implementsClause = ts.isClassLike(cls)
      ? cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ImplementsKeyword)
      : undefined;
    if (
      implementsClause &&
      frameworks.PER_REQUEST_METHODS.has(name) &&
      implementsClause.types.some((t) => /Middleware|Guard|CanActivate|Interceptor/.test(t.expression.getText()))
    )
      return 'middleware';
  }
  const path = fn.file.path;
  const declaration = ts.isVariableDeclaration(node.parent) ? node.parent.parent.parent : node;
  const exportedName = ts.isFunctionDeclaration(node)
    ? node.name?.text
    : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)
      ? node.parent.name.text
      : undefined;
  if (
    frameworks.NEXT_PAGES_API.test(path) &&
    (ts.isExportAssignment(node.parent) ||
      (ts.isFunctionDeclaration(node) &&
        isExported(node) &&
        (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)))
  )
    return 'route';
  if (exportedName && declaration && isExported(declaration)) {
    if (frameworks.NEXT_APP_ROUTE.test(path) && frameworks.NEXT_ROUTE_EXPORTS.has(exportedName)) return 'route';
    if (frameworks.NEXT_PER_REQUEST_EXPORTS.has(exportedName)) return 'route';
  }
  if (handlerShapedParameters(node)) return 'route';
  if (isResolverMember(node)) return 'resolver';
  return undefined;
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

function isResolverMember(node: ts.Node): boolean {
  const property = ts.isMethodDeclaration(node) ? node : ts.isPropertyAssignment(node.parent) ? node.parent : undefined;
  const object = property?.parent;
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  const holder = object.parent;
  return ts.isPropertyAssignment(holder) && frameworks.RESOLVER_ROOT_KEYS.has(propertyNameText(holder.name) ?? '');
}

export { isFunctionBoundary };
