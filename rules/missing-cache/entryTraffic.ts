// How much traffic an entry point gets, as far as caching is concerned: admin-only handlers and write requests are rare.
import { ts } from 'ts-morph';
import { propertyNameText } from '../analysis/scope';
import type { FunctionRef } from '../analysis/summaries';
import { ACCESS_DECORATORS, ADMIN_MARKER, ADMIN_PATH_SEGMENT, CONSOLE_COMMAND_BASE } from '../knowledge/cacheable';

/** Decorators and route labels of request handlers that change data. */
const WRITE_DECORATORS = new Set(['Post', 'Put', 'Patch', 'Delete', 'Mutation']);
const WRITE_ROUTE = /^(route )?`?(POST|PUT|PATCH|DELETE) /;
const TRPC_MUTATION = /^tRPC mutation\b/;
/** Property names under which GraphQL resolver maps and tRPC routers keep their writes. */
const WRITE_GROUPS = new Set(['Mutation', 'mutation', 'mutations']);

/**
 * A request that changes data: a POST/PUT/PATCH/DELETE route, a NestJS write decorator, a GraphQL mutation (decorated
 * or in a `Mutation: { … }` resolver map), a tRPC `.mutation(…)` procedure.
 */
export function isWriteEntry(entry: FunctionRef, labels: readonly string[]): boolean {
  if (labels.some((label) => WRITE_ROUTE.test(label) || TRPC_MUTATION.test(label))) return true;
  const node = entry.node;
  if (decoratorsOf(node).some((decorator) => WRITE_DECORATORS.has(decoratorName(decorator) ?? ''))) return true;
  if (ts.isCallExpression(node.parent) && ts.isPropertyAccessExpression(node.parent.expression))
    return WRITE_GROUPS.has(node.parent.expression.name.text);
  return groupsAround(node).some((name) => WRITE_GROUPS.has(name));
}

/**
 * An entry for administrators only: a guard or role decorator naming admin (`@UseGuards(GqlAdminGuard)`,
 * `@Roles('admin')`) on the handler or its class, an admin path in the route (`@Controller('admin/…')`, `GET
 * /admin/…`) or in the handler's file (`routes/api/admin/…`), or an operator console command (`class extends
 * StdinCommand`).
 */
export function isAdminEntry(entry: FunctionRef, labels: readonly string[]): boolean {
  if (ADMIN_PATH_SEGMENT.test(entry.file.path.replace(/^.*?[/\\](src|app|pages|routes|api)[/\\]/, '/'))) return true;
  if (labels.some((label) => label.split(/\s+/).some((part) => ADMIN_PATH_SEGMENT.test(part.replace(/`/g, '')))))
    return true;
  const owners: ts.Node[] = [entry.node];
  const owner = entry.node.parent;
  if (owner && ts.isClassLike(owner)) {
    if (extendsConsoleCommand(owner)) return true;
    owners.push(owner);
  }
  return owners.some((node) =>
    decoratorsOf(node).some((decorator) => {
      const name = decoratorName(decorator);
      const expr = decorator.expression;
      const args = ts.isCallExpression(expr) ? expr.arguments : [];
      if (name && ACCESS_DECORATORS.has(name)) return args.some((arg) => ADMIN_MARKER.test(arg.getText()));
      if (name && ADMIN_MARKER.test(name)) return true;
      // `@Controller('admin')`, `@Resolver()` under an admin path.
      return args.some((arg) => ts.isStringLiteralLike(arg) && ADMIN_PATH_SEGMENT.test(`/${arg.text}/`));
    }),
  );
}

/** `class extends StdinCommand`: a command typed by an operator on the server's console. */
function extendsConsoleCommand(node: ts.ClassLikeDeclaration): boolean {
  return (node.heritageClauses ?? []).some(
    (clause) =>
      clause.token === ts.SyntaxKind.ExtendsKeyword &&
      clause.types.some((type) => {
        const expr = type.expression;
        const name = ts.isPropertyAccessExpression(expr) ? expr.name.text : ts.isIdentifier(expr) ? expr.text : '';
        return CONSOLE_COMMAND_BASE.test(name);
      }),
  );
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expr = decorator.expression;
  const callee = ts.isCallExpression(expr) ? expr.expression : expr;
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

/** The property names of the object literals around a resolver (`Mutation` in `{ Mutation: { createSquad } }`). */
function groupsAround(node: ts.Node): string[] {
  const names: string[] = [];
  let current: ts.Node = node;
  for (let depth = 0; depth < 4 && current.parent; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) {
      const name = parent.name ? propertyNameText(parent.name) : undefined;
      if (name) names.push(name);
    }
    if (ts.isMethodDeclaration(current) && ts.isObjectLiteralExpression(parent)) {
      current = parent;
      continue;
    }
    current = parent;
  }
  return names;
}
