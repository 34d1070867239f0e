// Whether a code-first GraphQL schema serves an object type in whole lists: a field resolver runs once per parent of
// a list, so when every list of that type is a page (or the type is never listed) it runs a bounded number of times.
import { ts } from 'ts-morph';
import { GRAPHQL_CODE_FIRST } from '../knowledge/frameworks';
import { decoratorsOf } from '../analysis/entryPoints';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import { propertyNameText } from '../analysis/scope';

/** `whole`: some field or query returns a list of the type with no page arguments; `unknown`: no code-first schema. */
export type ListService = 'whole' | 'paged' | 'never' | 'unknown';

/** The object type a code-first resolver class is for: `@Resolver(() => Team)`, `@Resolver(of => Team)`, `@Resolver(Team)`. */
export function resolverObjectType(fn: ts.Node): string | undefined {
  let cls: ts.Node | undefined = fn.parent;
  while (cls && !ts.isClassDeclaration(cls)) cls = cls.parent;
  if (!cls) return undefined;
  for (const decorator of decoratorsOf(cls)) {
    if (!GRAPHQL_CODE_FIRST.resolverDecorators.has(decorator.name)) continue;
    const arg = decorator.args[0];
    const type = arg && (ts.isArrowFunction(arg) ? arg.body : arg);
    if (type && ts.isIdentifier(type)) return type.text;
  }
  return undefined;
}

/** How the project's code-first schema serves lists of `typeName`. */
export function listServiceOf(analysis: ProjectAnalysis, typeName: string): ListService {
  const listed = new RegExp(`\\[\\s*${typeName.replace(/[^\w$]/g, '')}\\s*\\]`);
  let paged = false;
  for (const file of analysis.files.all()) {
    if (!listed.test(file.text)) continue;
    let whole = false;
    const visit = (node: ts.Node): void => {
      if (whole) return;
      for (const decorator of decoratorsOf(node)) {
        if (!GRAPHQL_CODE_FIRST.listDecorators.has(decorator.name) || !returnsListOf(decorator.args[0], typeName))
          continue;
        if (ts.isMethodDeclaration(node) && takesPage(analysis, node)) paged = true;
        else whole = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
    if (whole) return 'whole';
  }
  return paged ? 'paged' : 'never';
}

/** `() => [Team]`: the decorator's type function returns a list of the type. */
function returnsListOf(arg: ts.Expression | undefined, typeName: string): boolean {
  if (!arg || !ts.isArrowFunction(arg)) return false;
  const body = arg.body;
  return (
    ts.isArrayLiteralExpression(body) &&
    body.elements.length === 1 &&
    ts.isIdentifier(body.elements[0]!) &&
    (body.elements[0] as ts.Identifier).text === typeName
  );
}

/** A parameter given as a page argument: `@Args('take')`, `@Args({ name: 'cursor' })`, `@Args() args: PaginationArgs`. */
function takesPage(analysis: ProjectAnalysis, method: ts.MethodDeclaration): boolean {
  return method.parameters.some((parameter) =>
    decoratorsOf(parameter).some((decorator) => {
      if (!GRAPHQL_CODE_FIRST.argsDecorators.has(decorator.name)) return false;
      const first = decorator.args[0];
      if (first && ts.isStringLiteralLike(first)) return GRAPHQL_CODE_FIRST.pageArgumentNames.has(first.text);
      if (first && ts.isObjectLiteralExpression(first)) {
        const name = first.properties.find(
          (p) => ts.isPropertyAssignment(p) && p.name && propertyNameText(p.name) === 'name',
        ) as ts.PropertyAssignment | undefined;
        return name !== undefined && ts.isStringLiteralLike(name.initializer)
          ? GRAPHQL_CODE_FIRST.pageArgumentNames.has(name.initializer.text)
          : false;
      }
      const type = parameter.type;
      return type !== undefined && ts.isTypeReferenceNode(type) && isPageArgsClass(analysis, type.typeName.getText());
    }),
  );
}

/** An args class named for paging, or one with a page field (`take`, `cursor`) or a paging base class. */
function isPageArgsClass(analysis: ProjectAnalysis, name: string, depth = 0): boolean {
  if (GRAPHQL_CODE_FIRST.pageArgumentType.test(name)) return true;
  if (depth > 2) return false;
  const declared = new RegExp(`class\\s+${name.replace(/[^\w$]/g, '')}\\b`);
  for (const file of analysis.files.all()) {
    if (!declared.test(file.text)) continue;
    for (const statement of file.sourceFile.statements) {
      if (!ts.isClassDeclaration(statement) || statement.name?.text !== name) continue;
      const fields = statement.members.some(
        (m) => m.name !== undefined && GRAPHQL_CODE_FIRST.pageArgumentNames.has(propertyNameText(m.name) ?? ''),
      );
      const base = statement.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText())) ?? [];
      if (fields || base.some((b) => isPageArgsClass(analysis, b, depth + 1))) return true;
    }
  }
  return false;
}
