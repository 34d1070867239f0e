// n-plus-one through GraphQL: a field resolver of an object type runs once per parent object of a list, so a query
// keyed by a property of its parent (`Post.author: (post) => findUnique({ where: { id: post.authorId } })`) is N+1.
import { ts } from 'ts-morph';
import type { Report } from '../createRule';
import type { FileModel } from '../analysis/sourceFile';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { Config } from '../analysis/config';
import type { RoundTrip } from '../analysis/roundTrips';
import { enclosingFunction } from '../analysis/scope';
import { callTarget, functionName } from '../analysis/summaries';
import { FIELD_RESOLVER_PARENT } from '../knowledge/fixForms';
import { dataLoaderFix } from '../fixes/dataLoader';
import { listServiceOf, resolverObjectType } from './parentLists';

export const FIELD_RESOLVER_MESSAGE =
  '`{{operation}}`{{via}} runs once per parent object: {{resolver}} is a GraphQL field resolver, called for every {{parent}} of a list, so a list of N sends N {{noun}} round trips ({{n}} for {{n}} parents), all at once. Batch them per request: a DataLoader whose batch function reads all keys in one query, and `load({{key}})` here.';

interface FieldResolverContext {
  file: FileModel;
  analysis: ProjectAnalysis;
  config: Config;
  report(report: Report<'perParent'>): void;
}

/** Reports the round trips of field resolvers keyed by their parent; `reported` holds what the loop checks found. */
export function reportFieldResolvers(context: FieldResolverContext, reported: Set<ts.Node>): void {
  const { file, analysis, config } = context;
  const n = config.thresholds.exampleCollectionSize;
  for (const trip of analysis.roundTrips.inFile(file)) {
    if (trip.effect !== 'read' || reported.has(trip.node) || analysis.loopOf(file, trip.node)) continue;
    const where = analysis.contextOf(file, trip.node);
    const resolver = where.perParent;
    if (where.heat === 'cold' || !resolver?.fn || resolver.path.length > 0) continue;
    const fn = resolver.fn.node;
    // The query sits in the resolver itself (not in a callback it defines, which may run any number of times).
    if (enclosingFunction(trip.node) !== fn || !ts.isFunctionLike(fn) || !servedInLists(analysis, fn)) continue;
    const parent = parentParameter(fn);
    const key = parent && parentProperty(trip, parent.name);
    if (!parent || !key) continue;
    reported.add(trip.node);
    const operation =
      ts.isCallExpression(trip.call) && ts.isPropertyAccessExpression(trip.call.expression)
        ? `${trip.receiverText}.${trip.method}`
        : trip.receiverText;
    const span = (node: ts.Node) => ({ start: node.getStart(file.sourceFile), end: node.end });
    const facts = {
      library: trip.library.id,
      method: trip.method,
      type: trip.typeName,
      resolver: span(fn),
      parent: parent.index,
      read: span(trip.node),
      call: span(trip.call),
    };
    context.report({
      node: trip.node,
      messageId: 'perParent',
      data: {
        operation,
        resolver: resolver.label,
        parent: parent.type ? `\`${parent.type}\`` : 'parent object',
        noun: trip.library.roundTripNoun,
        n,
        key: key.getText(file.sourceFile),
        via: '',
      },
      facts: { ...facts, perParent: true },
      fixes: dataLoaderFix(file.sourceFile, facts, operation),
    });
  }
  reportHelperCalls(context, reported);
}

/**
 * A call in a field resolver to a project function that reads by the parent's key further down
 * (`this.users.findById(post.authorId)` → `prisma.user.findUnique`): the same N+1, reported at the call. No rewrite:
 * the loader would have to batch the helper.
 */
function reportHelperCalls(context: FieldResolverContext, reported: Set<ts.Node>): void {
  const { file, analysis, config } = context;
  // Only a call in the body of a function that is itself a per-parent resolver is reported: its own entry says so
  // without walking the callers of every function with a call in it (the whole file's, on every edit).
  const inOwnResolver = (node: ts.Node): boolean => {
    const fn = enclosingFunction(node);
    return fn !== undefined && analysis.contexts.entryOf({ file, node: fn })?.perParent === true;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && !reported.has(node) && inOwnResolver(node) && !analysis.loopOf(file, node)) {
      const where = analysis.contextOf(file, node);
      const resolver = where.perParent;
      const fn = resolver?.fn?.node;
      const target = fn && resolver.path.length === 0 ? callTarget(analysis.evaluator, node) : undefined;
      const reach = target && enclosingFunction(node) === fn ? analysis.summaries.reach(target) : undefined;
      const parent = reach && ts.isFunctionLike(fn) ? parentParameter(fn) : undefined;
      const key = parent && !reach!.trip.spec.batch && argumentProperty(node.arguments, parent.name);
      if (
        resolver &&
        target &&
        reach &&
        parent &&
        key &&
        reach.trip.effect === 'read' &&
        where.heat !== 'cold' &&
        servedInLists(analysis, fn!)
      ) {
        reported.add(node);
        const names = [...new Set([functionName(target), ...reach.steps.map((s) => functionName(s.target))])];
        const trip = `${reach.trip.receiverText}.${reach.trip.method}`;
        context.report({
          node,
          messageId: 'perParent',
          data: {
            operation: functionName(target),
            via: ` (a ${reach.trip.library.roundTripNoun} via ${[...names, trip].map((n) => `\`${n}\``).join(' → ')})`,
            resolver: resolver.label,
            parent: parent.type ? `\`${parent.type}\`` : 'parent object',
            noun: reach.trip.library.roundTripNoun,
            n: config.thresholds.exampleCollectionSize,
            key: key.getText(file.sourceFile),
          },
          facts: { library: reach.trip.library.id, method: reach.trip.method, perParent: true },
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
}

/**
 * Whether the resolver's object type can come in a whole list: a code-first schema that serves it only in pages (or
 * never in a list) bounds how often the resolver runs per request. Resolver maps and string-typed resolvers (the
 * schema is SDL, out of sight) count as listed.
 */
function servedInLists(analysis: ProjectAnalysis, fn: ts.Node): boolean {
  const type = resolverObjectType(fn);
  if (!type) return true;
  const service = listServiceOf(analysis, type);
  return service === 'whole' || service === 'unknown';
}

interface ParentParameter {
  name: string;
  index: number;
  /** The GraphQL type whose field this resolves, when the code names it (`Post.author`, `@Resolver(() => Post)`). */
  type: string | undefined;
}

/**
 * The parameter that holds the parent object: the one a framework decorator marks (`@Parent()`, `@Root()`), else the
 * first parameter of a function in a resolver map (`Post: { author: (post) => … }`).
 */
function parentParameter(fn: ts.SignatureDeclaration): ParentParameter | undefined {
  const params = fn.parameters;
  const decorated = params.findIndex((p) =>
    (ts.canHaveDecorators(p) ? (ts.getDecorators(p) ?? []) : []).some((d) => {
      const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      return ts.isIdentifier(callee) && (FIELD_RESOLVER_PARENT.decorators as readonly string[]).includes(callee.text);
    }),
  );
  const hasDecorators = params.some((p) => ts.canHaveDecorators(p) && (ts.getDecorators(p)?.length ?? 0) > 0);
  const index = decorated >= 0 ? decorated : hasDecorators ? -1 : 0;
  const param = params[index];
  if (!param || !ts.isIdentifier(param.name)) return undefined;
  return { name: param.name.text, index, type: resolverTypeName(fn, param) };
}

/** `Post` for `Post: { author() {} }` in a resolver map, or the parent parameter's declared type (`post: Post`). */
function resolverTypeName(fn: ts.SignatureDeclaration, param: ts.ParameterDeclaration): string | undefined {
  const member = ts.isMethodDeclaration(fn) ? fn : fn.parent;
  const owner = ts.isObjectLiteralExpression(member.parent) ? member.parent.parent : undefined;
  if (owner && ts.isPropertyAssignment(owner) && ts.isIdentifier(owner.name)) return owner.name.text;
  return param.type && ts.isTypeReferenceNode(param.type) ? param.type.typeName.getText() : undefined;
}

/** A property of the parent the query's arguments use (`post.authorId`): the key it is sent per parent with. */
function parentProperty(trip: RoundTrip, parent: string): ts.PropertyAccessExpression | undefined {
  const args = ts.isCallExpression(trip.call)
    ? trip.call.arguments
    : ts.isTaggedTemplateExpression(trip.call) && ts.isTemplateExpression(trip.call.template)
      ? trip.call.template.templateSpans.map((s) => s.expression)
      : [];
  return argumentProperty(args, parent);
}

function argumentProperty(args: readonly ts.Expression[], parent: string): ts.PropertyAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === parent)
      found = node;
    else ts.forEachChild(node, visit);
  };
  for (const arg of args) visit(arg);
  return found;
}
