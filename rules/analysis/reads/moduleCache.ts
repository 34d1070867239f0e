// A read behind a module-level cache variable: `if (cached && fresh(cached)) return cached.rows;` before it, in its function.
import { ts } from 'ts-morph';
import { findDeclaration, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/** Names of variables that hold a cached result (`cached`, `cache`, `memo`, `namesCache`). */
const CACHE_NAME = /cache|memo/i;

/**
 * Whether, before `node` in `fn`'s body, an `if` returns early on a test of a variable named like a cache that lives
 * outside `fn` (module scope or an enclosing closure): the read then runs on a miss only.
 */
export function behindModuleCache(file: FileModel, node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  for (const statement of body.statements) {
    if (statement.pos >= node.pos) break;
    if (!ts.isIfStatement(statement) || !returns(statement.thenStatement)) continue;
    if (mentionsOuterCache(file, statement.expression, fn)) return true;
  }
  return false;
}

function returns(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s));
}

function mentionsOuterCache(file: FileModel, condition: ts.Expression, fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const id = ts.isExpression(node) ? skipOuterExpressions(node) : node;
    if (ts.isIdentifier(id) && CACHE_NAME.test(id.text)) {
      const decl = findDeclaration(file, id);
      const at = decl?.kind === 'variable' ? decl.decl : undefined;
      if (at && (at.pos < fn.pos || at.end > fn.end)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}
