// Syntax helpers of the batch rewrites: finding nodes by offsets, the names a body binds and uses, fresh names.
import { ts } from 'ts-morph';

export function nodeAt(sourceFile: ts.SourceFile, span: { start: number; end: number }): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= span.start && node.end >= span.end) {
      if (node.getStart(sourceFile) === span.start && node.end === span.end) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  return found;
}

export function skipParens(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))
    parent = parent.parent;
  return parent;
}

/** Names bound in a subtree: declarations, parameters, binding elements. */
export function declaredNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name))
      names.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

export function mentions(node: ts.Node, names: Set<string>): boolean {
  if (ts.isTypeNode(node)) return false;
  if (ts.isIdentifier(node) && names.has(node.text)) {
    const parent = node.parent;
    const isMemberName = ts.isPropertyAccessExpression(parent) && parent.name === node;
    const isKey = ts.isPropertyAssignment(parent) && parent.name === node;
    if (!isMemberName && !isKey) return true;
  }
  return ts.forEachChild(node, (child) => mentions(child, names)) ?? false;
}

/**
 * A short name for the batch's variables: the model (`prisma.customer` → customer), the SQL table, or the key field.
 */
export function baseName(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  keyField: string | undefined,
): string {
  const sql = /\bfrom\s+["`]?(\w+)/i.exec(call.getText(sourceFile))?.[1];
  let name = sql;
  if (!name && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const receiver = call.expression.expression;
    const last = ts.isPropertyAccessExpression(receiver)
      ? receiver.name.text
      : ts.isIdentifier(receiver)
        ? receiver.text
        : undefined;
    if (last && !/^(prisma|db|pool|client|redis|conn|connection|sql|knex|repo|repository|manager|em)$/i.test(last))
      name = last;
    // An entity manager names the entity first: `em.findOne(User, …)`.
    const entity = call.arguments[0];
    if (!name && entity && (ts.isIdentifier(entity) || ts.isStringLiteral(entity)) && /^[A-Z]/.test(entity.text))
      name = entity.text;
  }
  name ??= keyField?.replace(/^_/, '') ?? 'batch';
  name = name.replace(/Repository$|Repo$/, '').replace(/s$/, '');
  name = camel(name.replace(/[^\w]/g, ''));
  return name[0]!.toLowerCase() + name.slice(1);
}

/** `order_id` → `orderId`. */
export function camel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `user:${id}:name` → `userName`: the key's fixed words. */
export function redisBaseName(keyNode: ts.Node): string {
  const parts = ts.isTemplateExpression(keyNode)
    ? [keyNode.head.text, ...keyNode.templateSpans.map((s) => s.literal.text)]
    : ts.isStringLiteralLike(keyNode)
      ? [keyNode.text]
      : [];
  const words = parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word && !/^\d+$/.test(word));
  if (words.length === 0) return 'value';
  return camel(words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1))).join(''));
}

export function freeName(text: string, preferred: string): string {
  let name = preferred;
  for (let n = 2; new RegExp(`\\b${name}\\b`).test(text); n++) name = `${preferred}${n}`;
  return name;
}
