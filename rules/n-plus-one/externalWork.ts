// Per-item external work: an iteration that awaits a third-party API, a program or an HTTP call is bound by that work,
// and its query usually depends on the answer; one batched query would not change what the loop costs.
import { builtinModules } from 'node:module';
import { ts } from 'ts-morph';
import { EXTERNAL_BUILTINS, NOT_EXTERNAL_PACKAGES } from '../knowledge/externalWork';
import { libraryForModule } from '../analysis/fileSet';
import type { LoopContext } from '../analysis/loops';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import { findDeclaration, isFunctionBoundary, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { callTarget } from '../analysis/summaries';

const NOT_EXTERNAL = new Set(NOT_EXTERNAL_PACKAGES);
const EXTERNAL_BUILTIN = new Set(EXTERNAL_BUILTINS);
const BUILTIN = new Set(builtinModules);

/**
 * Whether the iteration that runs `at` (a round trip or a call leading to one) also awaits external work on the same
 * straight-line path, or runs `at` inside the callback of such work (`stripe.charges.create(…).then(() => save())`).
 */
export function awaitsExternalWork(
  analysis: ProjectAnalysis,
  file: FileModel,
  at: ts.Node,
  loop: LoopContext,
): boolean {
  if (insideExternalCallback(analysis, file, at, loop.body)) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // Callbacks inside the iteration run at other times (or never): only the iteration's own path counts.
    if (node !== loop.body && isFunctionBoundary(node)) return;
    if (ts.isCallExpression(node) && !contains(node, at) && isAwaited(node) && onSamePath(node, at, loop.body))
      found = isExternalCall(analysis, file, node, 1);
    ts.forEachChild(node, visit);
  };
  visit(loop.body);
  return found;
}

/** `at` sits in a function passed to an external call, or in a `.then` callback of one. */
function insideExternalCallback(analysis: ProjectAnalysis, file: FileModel, at: ts.Node, body: ts.Node): boolean {
  for (let node = at.parent; node && node !== body; node = node.parent) {
    if (!isFunctionBoundary(node) || !ts.isCallExpression(node.parent)) continue;
    const call = node.parent;
    const callee = skipOuterExpressions(call.expression);
    const thenOf =
      ts.isPropertyAccessExpression(callee) && /^(then|catch|finally)$/.test(callee.name.text)
        ? skipOuterExpressions(callee.expression)
        : undefined;
    const owner = thenOf && ts.isCallExpression(thenOf) ? thenOf : call;
    if (isExternalCall(analysis, file, owner, 1)) return true;
  }
  return false;
}

/**
 * An HTTP request, a call rooted at a third-party package (an import, an instance made from one at module scope, an
 * injected field typed by one), or a project helper whose own body awaits such a call (`depth` levels down).
 */
export function isExternalCall(
  analysis: ProjectAnalysis,
  file: FileModel,
  call: ts.CallExpression,
  depth: number,
): boolean {
  if (analysis.roundTrips.inFile(file).some((trip) => trip.call === call && trip.library.roundTripNoun === 'request'))
    return true;
  const root = rootOf(call.expression);
  if (root && isExternalRoot(analysis, file, root)) return true;
  if (depth <= 0) return false;
  const target = callTarget(analysis.evaluator, call);
  if (!target?.node.body) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== target.node && isFunctionBoundary(node))) return;
    if (ts.isCallExpression(node) && isAwaited(node)) found = isExternalCall(analysis, target.file, node, depth - 1);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(target.node.body, visit);
  return found;
}

/** The identifier or `this.field` a call chain starts from (`stripe.customers.create` → `stripe`). */
function rootOf(expr: ts.Expression): ts.Identifier | ts.PropertyAccessExpression | undefined {
  let current = skipOuterExpressions(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(current) && current.expression.kind === ts.SyntaxKind.ThisKeyword) return current;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current))
      current = skipOuterExpressions(current.expression);
    else if (ts.isCallExpression(current)) current = skipOuterExpressions(current.expression);
    else if (ts.isIdentifier(current)) return current;
    else return undefined;
  }
}

function isExternalRoot(
  analysis: ProjectAnalysis,
  file: FileModel,
  root: ts.Identifier | ts.PropertyAccessExpression,
): boolean {
  if (ts.isPropertyAccessExpression(root)) return injectedExternal(analysis, file, root.name.text, root);
  const declaration = findDeclaration(file, root);
  if (!declaration) return false;
  if (declaration.kind === 'import') return isExternalModule(analysis, file, declaration.binding.module);
  if (declaration.kind !== 'variable' || !declaration.decl.initializer) return false;
  // `const stripe = new Stripe(key)`, `const docker = new Docker()`, `const run = promisify(exec)`.
  const init = skipOuterExpressions(declaration.decl.initializer);
  const made = ts.isNewExpression(init) || ts.isCallExpression(init) ? init : undefined;
  if (!made) return false;
  const sources = [made.expression, ...(made.arguments ?? [])];
  return sources.some((source) => {
    const inner = rootOf(source as ts.Expression);
    return inner !== undefined && ts.isIdentifier(inner) && inner !== root && importedExternal(analysis, file, inner);
  });
}

function importedExternal(analysis: ProjectAnalysis, file: FileModel, id: ts.Identifier): boolean {
  const declaration = findDeclaration(file, id);
  return declaration?.kind === 'import' && isExternalModule(analysis, file, declaration.binding.module);
}

/** `this.mailer.send()` where the constructor declares `private mailer: MailerService` from a third-party package. */
function injectedExternal(analysis: ProjectAnalysis, file: FileModel, field: string, at: ts.Node): boolean {
  let cls: ts.Node | undefined = at.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return false;
  for (const member of cls.members) {
    const typeNode = ts.isConstructorDeclaration(member)
      ? member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === field)?.type
      : ts.isPropertyDeclaration(member) && member.name.getText() === field
        ? member.type
        : undefined;
    if (typeNode && ts.isTypeReferenceNode(typeNode)) {
      const name = ts.isIdentifier(typeNode.typeName) ? typeNode.typeName : typeNode.typeName.left;
      if (ts.isIdentifier(name) && importedExternal(analysis, file, name)) return true;
    }
  }
  return false;
}

/** A package the project does not contain, that no knowledge table describes, and that is not an in-process helper. */
export function isExternalModule(analysis: ProjectAnalysis, file: FileModel, specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return false;
  const bare = specifier.replace(/^node:/, '');
  const builtin = bare.split('/')[0]!;
  if (BUILTIN.has(builtin) || specifier.startsWith('node:')) return EXTERNAL_BUILTIN.has(builtin);
  const parts = bare.split('/');
  const packageName = bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (NOT_EXTERNAL.has(packageName) || NOT_EXTERNAL.has(bare)) return false;
  if (libraryForModule(analysis.knowledge, specifier)) return false;
  if (analysis.files.resolveModule(file.path, specifier)) return false;
  return !isWorkspacePackage(analysis, packageName);
}

/** `@acme/server` or `server` where the project has a `server` folder: the monorepo's own package. */
function isWorkspacePackage(analysis: ProjectAnalysis, packageName: string): boolean {
  const name = packageName.split('/').pop()!;
  if (!name || name.startsWith('@')) return false;
  for (const model of analysis.files.all()) if (model.path.includes(`/${name}/`)) return true;
  return false;
}

/** Awaited, returned from an async callback, or chained with `.then`: the iteration waits for it. */
function isAwaited(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isPropertyAccessExpression(node.parent) || ts.isCallExpression(node.parent)) {
    if (ts.isCallExpression(node.parent) && node.parent.expression !== node) break;
    node = node.parent;
  }
  const parent = skipParents(node);
  return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isArrowFunction(parent);
}

function skipParents(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))
    parent = parent.parent;
  return parent;
}

/** Every branch `call` sits in (below the iteration's body) also holds `at`: both run on every pass. */
function onSamePath(call: ts.Node, at: ts.Node, body: ts.Node): boolean {
  let child: ts.Node = call;
  for (let node = call.parent; node && node !== body; child = node, node = node.parent) {
    const branch =
      (ts.isIfStatement(node) && child !== node.expression) ||
      (ts.isConditionalExpression(node) && child !== node.condition) ||
      (ts.isBinaryExpression(node) &&
        child === node.right &&
        (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
          node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken));
    if (branch && !contains(child, at)) return false;
    // A case or a catch block runs only sometimes: `at` must be in the same one.
    if ((ts.isCaseClause(node) || ts.isDefaultClause(node) || ts.isCatchClause(node)) && !contains(node, at))
      return false;
  }
  return true;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}
