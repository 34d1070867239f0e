// Whether a read's inputs are fixed (literals, module constants, configuration): then every call gets the same answer.
import { ts } from 'ts-morph';
import { findDeclaration, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';

/** Receivers whose lookups return deployment configuration, not request data (`configService.get('X')`). */
const CONFIG_RECEIVER = /^(config|configs|configuration|configService|env|environment|settings|options|opts)$/i;
/** Methods of such receivers that read one configured value. */
const CONFIG_GETTER = /^(get|getOrThrow|getString|getNumber|getBoolean|require)$/;
/** Pure functions of their arguments: constant in, constant out. */
const PURE_GLOBALS = new Set(['encodeURIComponent', 'encodeURI', 'String', 'Number', 'parseInt', 'parseFloat']);
/** HTTP methods that read; any other `method` in a request's options makes it a write. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_DEPTH = 6;

/**
 * True when `expr` evaluates to the same value on every call of its function: built only from literals, imports,
 * module-scope constants, `process.env`, configuration getters and local constants initialised from those. A
 * parameter, `this` state (other than configuration), or the result of another call makes it per-call.
 */
export function isConstantInput(file: FileModel, expr: ts.Expression | undefined, depth = 0): boolean {
  if (!expr || depth > MAX_DEPTH) return false;
  const node = skipOuterExpressions(expr);
  const again = (e: ts.Expression | undefined) => isConstantInput(file, e, depth + 1);
  if (
    ts.isStringLiteral(node) ||
    ts.isNumericLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isRegularExpressionLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  )
    return true;
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => again(span.expression));
  if (ts.isBinaryExpression(node)) return again(node.left) && again(node.right);
  if (ts.isConditionalExpression(node)) return again(node.whenTrue) && again(node.whenFalse) && again(node.condition);
  if (ts.isPrefixUnaryExpression(node)) return again(node.operand);
  if (ts.isArrayLiteralExpression(node))
    return node.elements.every((e) => (ts.isSpreadElement(e) ? again(e.expression) : again(e)));
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every((p) => {
      if (ts.isPropertyAssignment(p)) return !ts.isComputedPropertyName(p.name) && again(p.initializer);
      if (ts.isShorthandPropertyAssignment(p)) return again(p.name);
      if (ts.isSpreadAssignment(p)) return again(p.expression);
      return false;
    });
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    if (ts.isElementAccessExpression(node) && !again(node.argumentExpression)) return false;
    return isConstantRoot(file, node.expression, depth + 1);
  }
  if (ts.isIdentifier(node)) return isConstantIdentifier(file, node, depth);
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const args = node.arguments.every((a) => again(a));
    if (ts.isIdentifier(callee) && PURE_GLOBALS.has(callee.text) && !findDeclaration(file, callee)) return args;
    if (ts.isPropertyAccessExpression(callee) && CONFIG_GETTER.test(callee.name.text)) {
      const receiver = skipOuterExpressions(callee.expression);
      const name = ts.isPropertyAccessExpression(receiver)
        ? receiver.name.text
        : ts.isIdentifier(receiver)
          ? receiver.text
          : '';
      // `this.configService.get(…)` or an imported `config.get(…)`; not `interaction.options.getString(…)`, whose
      // `options` are what the caller sent.
      const owner = ts.isPropertyAccessExpression(receiver) ? skipOuterExpressions(receiver.expression) : undefined;
      const fixedOwner = !owner || owner.kind === ts.SyntaxKind.ThisKeyword || again(owner);
      return CONFIG_RECEIVER.test(name) && fixedOwner && args;
    }
  }
  return false;
}

/** `process.env`, `config.api`, `this.configService`, `CONSTANTS`: a receiver whose members are configuration. */
function isConstantRoot(file: FileModel, expr: ts.Expression, depth: number): boolean {
  const node = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)
    return CONFIG_RECEIVER.test(node.name.text);
  return isConstantInput(file, node, depth);
}

function isConstantIdentifier(file: FileModel, id: ts.Identifier, depth: number): boolean {
  if (id.text === 'undefined') return true;
  const declaration = findDeclaration(file, id);
  // An undeclared name is a global (`process`, `JSON`); calls on it are judged where they are made.
  if (!declaration) return id.text === 'process';
  switch (declaration.kind) {
    case 'import':
    case 'enum':
      return true;
    case 'variable': {
      const list = declaration.decl.parent;
      const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
      const moduleScope = ts.isVariableStatement(list.parent) && ts.isSourceFile(list.parent.parent);
      if (moduleScope && isConst) return true;
      // A local `const` (or a destructured one) fixed by its initialiser.
      return isConst && isConstantInput(file, declaration.decl.initializer, depth + 1);
    }
    default:
      return false;
  }
}

/** Whether every argument of a request call is fixed and its options (if any) ask for a read method. */
export function isConstantRequest(file: FileModel, args: readonly ts.Expression[]): boolean {
  if (args.length === 0) return false;
  for (const arg of args) {
    const node = skipOuterExpressions(arg);
    if (ts.isObjectLiteralExpression(node)) {
      const method = node.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(file.sourceFile) === 'method',
      );
      const verb = method && ts.isStringLiteralLike(method.initializer) ? method.initializer.text.toUpperCase() : 'GET';
      if (!READ_METHODS.has(verb)) return false;
    }
    if (!isConstantInput(file, arg)) return false;
  }
  return true;
}
