// Finds the declaration an identifier refers to by walking enclosing scopes (no type checker needed).
import { ts } from 'ts-morph';
import type { FileModel, ImportBinding } from './sourceFile';

/** A declaration found for a name; `path` is the destructuring path (`const { a: { b } } = x` → ['a', 'b']). */
export type Declaration =
  | { kind: 'variable'; decl: ts.VariableDeclaration; path: string[] }
  | { kind: 'parameter'; decl: ts.ParameterDeclaration; path: string[] }
  | { kind: 'function'; node: ts.FunctionDeclaration | ts.FunctionExpression }
  | { kind: 'class'; node: ts.ClassDeclaration | ts.ClassExpression }
  | { kind: 'enum'; node: ts.EnumDeclaration }
  | { kind: 'import'; binding: ImportBinding };

/** Searches a binding name for `name`, returning the destructuring path to it. */
function findInBinding(binding: ts.BindingName, name: string, path: string[] = []): string[] | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? path : undefined;
  if (ts.isObjectBindingPattern(binding)) {
    for (const element of binding.elements) {
      const key = element.propertyName
        ? propertyNameText(element.propertyName)
        : ts.isIdentifier(element.name)
          ? element.name.text
          : undefined;
      const found = findInBinding(element.name, name, [...path, element.dotDotDotToken ? '...' : (key ?? '?')]);
      if (found) return found;
    }
    return undefined;
  }
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = findInBinding(element.name, name, [...path, '[]']);
    if (found) return found;
  }
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (
    ts.isIdentifier(name) ||
    ts.isStringLiteralLike(name) ||
    ts.isNumericLiteral(name) ||
    ts.isPrivateIdentifier(name)
  )
    return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function searchVariableList(list: ts.VariableDeclarationList, name: string): Declaration | undefined {
  for (const decl of list.declarations) {
    const path = findInBinding(decl.name, name);
    if (path) return { kind: 'variable', decl, path };
  }
  return undefined;
}

/** Declarations of a block by name, built once per block: lookups walk many blocks for every identifier. */
const blockIndex = new WeakMap<readonly ts.Statement[], Map<string, Declaration>>();

function searchStatements(statements: readonly ts.Statement[], name: string): Declaration | undefined {
  let index = blockIndex.get(statements);
  if (!index) {
    index = indexStatements(statements);
    blockIndex.set(statements, index);
  }
  return index.get(name);
}

function addBindingNames(binding: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(binding)) out.push(binding.text);
  else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, out);
}

function indexStatements(statements: readonly ts.Statement[]): Map<string, Declaration> {
  const index = new Map<string, Declaration>();
  for (const statement of statements) {
    const names: string[] = [];
    if (ts.isVariableStatement(statement))
      for (const decl of statement.declarationList.declarations) addBindingNames(decl.name, names);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      names.push(statement.name.text);
    else if (ts.isEnumDeclaration(statement)) names.push(statement.name.text);
    for (const name of names)
      if (!index.has(name)) {
        const found = scanStatements([statement], name);
        if (found) index.set(name, found);
      }
  }
  return index;
}

function scanStatements(statements: readonly ts.Statement[], name: string): Declaration | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const found = searchVariableList(statement.declarationList, name);
      if (found) return found;
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return { kind: 'function', node: statement };
    } else if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
      return { kind: 'class', node: statement };
    } else if (ts.isEnumDeclaration(statement) && statement.name.text === name) {
      return { kind: 'enum', node: statement };
    }
  }
  return undefined;
}

function searchParameters(fn: ts.SignatureDeclaration, name: string): Declaration | undefined {
  for (const parameter of fn.parameters) {
    const path = findInBinding(parameter.name, name);
    if (path) return { kind: 'parameter', decl: parameter, path };
  }
  return undefined;
}

/** The declaration `identifier` refers to, or undefined for globals and unknowns. */
export function findDeclaration(model: FileModel, identifier: ts.Identifier): Declaration | undefined {
  const name = identifier.text;
  let node: ts.Node | undefined = identifier.parent;
  while (node) {
    let found: Declaration | undefined;
    if (ts.isSourceFile(node)) {
      found = searchStatements(node.statements, name);
      if (!found) {
        const binding = model.imports.get(name);
        if (binding) found = { kind: 'import', binding };
      }
    } else if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      found = searchStatements(node.statements, name);
    } else if (ts.isFunctionLike(node)) {
      found = searchParameters(node, name);
      if (!found && ts.isFunctionExpression(node) && node.name?.text === name) found = { kind: 'function', node };
    } else if (
      (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.initializer)
    ) {
      found = searchVariableList(node.initializer, name);
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      const path = findInBinding(node.variableDeclaration.name, name);
      if (path) found = { kind: 'variable', decl: node.variableDeclaration, path };
    } else if (ts.isClassExpression(node) && node.name?.text === name) {
      found = { kind: 'class', node };
    }
    if (found) return found;
    node = node.parent;
  }
  return undefined;
}

/** The statement of a block that holds `node`, within the node's own function (none when a function starts first). */
export function blockStatementOf(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isBlock(current.parent)) {
    if (ts.isFunctionLike(current.parent)) return undefined;
    current = current.parent;
  }
  return current.parent ? (current as ts.Statement) : undefined;
}

/** The innermost function-like node containing `node` (its own body boundary), or undefined at module scope. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (isFunctionBoundary(current)) return current as ts.FunctionLikeDeclaration;
    current = current.parent;
  }
  return undefined;
}

export function isFunctionBoundary(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** The class whose member contains `node` (for `this`), skipping arrow functions, which keep `this`. */
export function enclosingClass(node: ts.Node): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  let current: ts.Node | undefined = node.parent;
  let isStatic = false;
  while (current) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    if (
      (ts.isMethodDeclaration(current) ||
        ts.isPropertyDeclaration(current) ||
        ts.isGetAccessorDeclaration(current) ||
        ts.isClassStaticBlockDeclaration(current)) &&
      ts.canHaveModifiers(current)
    ) {
      isStatic =
        ts.getModifiers(current)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ??
        ts.isClassStaticBlockDeclaration(current);
    }
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return { cls: current, isStatic };
    current = current.parent;
  }
  return undefined;
}

/** Strips parentheses, type assertions, `!` and `satisfies`, which never change a runtime value. */
export function skipOuterExpressions(expr: ts.Expression): ts.Expression {
  let current = expr;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isSatisfiesExpression(current)
    ) {
      current = current.expression;
    } else return current;
  }
}
