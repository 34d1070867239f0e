// Connections to a target chosen per call (a monitor's DSN, a tenant's database file), opened and closed in one go.
import { ts } from 'ts-morph';
import { isConstantInput } from '../analysis/constantInput';
import type { FileModel } from '../analysis/sourceFile';
import { escapes, isCallOn, usesOf, variableOf } from './syntax';

/**
 * For a connection to a target its arguments choose per call (not literals, configuration or module constants),
 * held in a local: `closed` when the same function closes it again (`client.end()`, `close()`, `quit()`,
 * `disconnect()`: methods `closes` says have the `close` lifecycle, inherited ones included), `open` when it never does; undefined for any other
 * creation. A probe or per-tenant handle that is closed is deliberate: one module-level pool cannot serve targets
 * that differ per call (a `Map` of clients per target can, and pays only when the same targets repeat). One that is
 * never closed leaks a connection per call, and a pool would not be the fix.
 */
export function perTargetConnection(
  file: FileModel,
  node: ts.NewExpression | ts.CallExpression,
  fn: ts.Node,
  closes: (method: string) => boolean,
): 'closed' | 'open' | undefined {
  const args = node.arguments ?? [];
  if (args.length === 0 || args.every((arg) => isConstantInput(file, arg))) return undefined;
  const declaration = variableOf(node);
  if (!declaration) return undefined;
  const name = declaration.name.getText(file.sourceFile);
  const uses = usesOf(fn, name, declaration);
  // Handed on (returned, stored, passed): its new owner decides when it closes.
  if (uses.some((use) => escapes(use))) return undefined;
  const closed = uses.some((use) => {
    const access = use.parent;
    return ts.isPropertyAccessExpression(access) && isCallOn(use, access.name.text) && closes(access.name.text);
  });
  return closed ? 'closed' : 'open';
}
