// Finds a GraphQL server's per-request context factory in a file (the calls rules/knowledge/contextFactories names) and
// plans the edit that adds one property to every context it returns; a shape it cannot extend exactly gives a reason.
import { ts } from 'ts-morph';
import { CONTEXT_FACTORIES, type ContextFactory } from '../knowledge/contextFactories';
import { skipOuterExpressions as unwrap } from '../analysis/scope';

export interface TextInsert {
  start: number;
  end: number;
  text: string;
}

/** A server call of the file that takes a context factory. */
export interface ContextSite {
  factory: ContextFactory;
  call: ts.CallExpression | ts.NewExpression;
}

/** Local names bound to a module's named export (`startStandaloneServer`) or default export (`mercurius`). */
function importedNames(
  sourceFile: ts.SourceFile,
  modules: readonly string[],
  exported: string | 'default',
): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (!modules.includes(statement.moduleSpecifier.text)) continue;
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (exported === 'default' && clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements)
          if ((element.propertyName ?? element.name).text === exported) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer && unwrap(decl.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression)) continue;
        if (init.expression.text !== 'require') continue;
        const arg = init.arguments[0];
        if (!arg || !ts.isStringLiteral(arg) || !modules.includes(arg.text)) continue;
        if (exported === 'default' && ts.isIdentifier(decl.name)) names.add(decl.name.text);
        if (ts.isObjectBindingPattern(decl.name))
          for (const element of decl.name.elements) {
            const property = element.propertyName ?? element.name;
            if (ts.isIdentifier(property) && property.text === exported && ts.isIdentifier(element.name))
              names.add(element.name.text);
          }
      }
    }
  }
  return names;
}

/** The first server call of the file that takes a context factory, if any. */
export function findContextSite(sourceFile: ts.SourceFile): ContextSite | undefined {
  let found: ContextSite | undefined;
  for (const factory of CONTEXT_FACTORIES) {
    const { call } = factory;
    const names = importedNames(sourceFile, factory.modules, call.kind === 'plugin' ? 'default' : call.name);
    if (names.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (call.kind === 'plugin') {
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          node.expression.name.text === call.method &&
          node.arguments[0] &&
          ts.isIdentifier(node.arguments[0]) &&
          names.has(node.arguments[0].text)
        )
          found = { factory, call: node };
      } else if (
        (call.kind === 'function' ? ts.isCallExpression(node) : ts.isNewExpression(node)) &&
        ts.isIdentifier((node as ts.CallExpression).expression) &&
        names.has(((node as ts.CallExpression).expression as ts.Identifier).text)
      )
        found = { factory, call: node as ts.CallExpression | ts.NewExpression };
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (found) return found;
  }
  return undefined;
}

/** An insert that adds `member` to an object literal after its last member, on its own line when the literal spans lines. */
function addMember(sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, member: string): TextInsert {
  const last = object.properties[object.properties.length - 1];
  if (!last) return { start: object.getStart(sourceFile), end: object.end, text: `{ ${member} }` };
  const text = sourceFile.text;
  const multiLine = text.slice(object.getStart(sourceFile), object.end).includes('\n');
  if (!multiLine) return { start: last.end, end: last.end, text: `, ${member}` };
  const lineStart = text.lastIndexOf('\n', last.getStart(sourceFile) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { start: last.end, end: last.end, text: `,\n${indent}${member}` };
}

/** The object literals a context function returns; a reason when one of its results is not an object literal. */
function returnedObjects(fn: ts.FunctionLikeDeclaration): ts.ObjectLiteralExpression[] | string {
  if (!fn.body) return 'the context function has no body';
  const results: ts.Expression[] = [];
  if (!ts.isBlock(fn.body)) results.push(fn.body);
  else {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node)) results.push(node.expression ?? ts.factory.createVoidZero());
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
  }
  if (results.length === 0) return 'the context function returns nothing';
  const objects: ts.ObjectLiteralExpression[] = [];
  for (const result of results) {
    const value = unwrap(result);
    if (!ts.isObjectLiteralExpression(value))
      return 'the context function returns something other than an object literal';
    objects.push(value);
  }
  return objects;
}

/** The function a context option's value names: written there, or a function of the file's top level. */
function contextFunction(sourceFile: ts.SourceFile, value: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const node = unwrap(value);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === node.text) return statement;
    if (ts.isVariableStatement(statement))
      for (const decl of statement.declarationList.declarations)
        if (ts.isIdentifier(decl.name) && decl.name.text === node.text && decl.initializer) {
          const init = unwrap(decl.initializer);
          if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
        }
  }
  return undefined;
}

/**
 * The inserts that put `name: value` into every context the site's factory returns, or the reason it cannot: a
 * context given as one object (shared by all requests), a factory written elsewhere, a result that is not a literal.
 * Without a context option the option is added, returning only the new member.
 */
export function contextInserts(
  sourceFile: ts.SourceFile,
  site: ContextSite,
  name: string,
  value: string,
): TextInsert[] | string {
  const member = `${name}: ${value}`;
  const { factory, call } = site;
  const args = call.arguments ?? [];
  const newOption = `${factory.option}: async () => ({ ${member} })`;
  const options = args[factory.optionsArgument];
  if (!options) {
    if (args.length !== factory.optionsArgument) return 'the server call has fewer arguments than its options need';
    const last = args[args.length - 1];
    if (!last) {
      const close = call.end - 1;
      if (sourceFile.text[close] !== ')') return 'the server call has no argument list';
      return [{ start: close, end: close, text: `{ ${newOption} }` }];
    }
    return [{ start: last.end, end: last.end, text: `, { ${newOption} }` }];
  }
  const literal = unwrap(options);
  if (!ts.isObjectLiteralExpression(literal)) return 'the server options are not an object literal';
  const property = literal.properties.find(
    (p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === factory.option,
  );
  if (!property) {
    if (literal.properties.some((p) => ts.isSpreadAssignment(p))) return 'the server options spread another object';
    return [addMember(sourceFile, literal, newOption)];
  }
  let fn: ts.FunctionLikeDeclaration | undefined;
  if (ts.isMethodDeclaration(property)) fn = property;
  else if (ts.isPropertyAssignment(property)) fn = contextFunction(sourceFile, property.initializer);
  else if (ts.isShorthandPropertyAssignment(property)) fn = contextFunction(sourceFile, property.name);
  if (!fn) return 'the context is not a function of this file (one object for all requests, or written elsewhere)';
  const objects = returnedObjects(fn);
  if (typeof objects === 'string') return objects;
  return objects.map((object) => addMember(sourceFile, object, member));
}
