// Fix data for a read whose rows are only counted (`(await findMany(q)).length`, `rows.length`): the library's count
// (Prisma/TypeORM/Sequelize `count`, MongoDB `countDocuments`, SQL `COUNT(*)`) gives the same number without the rows.
import { ts } from 'ts-morph';
import type { RoundTrip } from '../analysis/roundTrips';
import { enclosingFunction, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal, TextEdit } from '../analysis/types';
import { fixFormsOf, type CountForm } from '../knowledge/fixForms';
import { own } from '../knowledge/own';

/** How the rows are used: `.length` of the awaited value itself, or only `.length` of the variable holding it. */
type LengthUse =
  | { kind: 'inline'; length: ts.PropertyAccessExpression }
  | {
      kind: 'variable';
      name: ts.Identifier | ts.BindingPattern;
      awaited: ts.AwaitExpression;
      lengths: ts.PropertyAccessExpression[];
    };

/**
 * The count rewrite when the rows are only counted and the library has a count for this read; an explanation-only
 * action when they are only counted but no count can be written safely (a bound would change the number); else none.
 */
export function countFix(file: FileModel, trip: RoundTrip): FixProposal | undefined {
  if (!ts.isCallExpression(trip.call)) return undefined;
  const form = own(fixFormsOf(trip.library.id).count, trip.method);
  const read = readExpression(trip.call, form?.dropChain ?? []);
  const use = lengthOnlyUse(file, read, form?.sql !== undefined || trip.spec.sqlArg !== undefined);
  if (!use) return undefined;
  const typed = !/\.[cm]?jsx?$/.test(file.path);
  const counted =
    form && trip.call.arguments.length <= form.maxArgs
      ? form.sql !== undefined
        ? sqlCount(file, trip.call, form.sql, typed)
        : ormCount(file, trip.call, form)
      : undefined;
  if (!form || !counted) {
    return {
      title:
        'Why no count rewrite: these rows are only counted, but this read has no count that gives the same number (docs)',
      kind: 'suggestion',
      edits: [],
      explanation: '#counting-by-hand',
    };
  }
  const edits: TextEdit[] = [];
  const replace = (node: ts.Node, newText: string) =>
    edits.push({ file: file.path, start: node.getStart(file.sourceFile), end: node.end, newText });
  // SQL results hold the count in their first row.
  const value = (awaited: string) =>
    form.sql !== undefined ? `(${awaited}).rows[0]${typed ? '!' : ''}.count` : awaited;
  if (use.kind === 'inline') {
    // `(await X).length` (or `(await X).rows.length`) → the awaited count.
    replace(use.length, form.sql !== undefined ? value(`await ${counted}`) : `(await ${counted})`);
  } else {
    const base = ts.isIdentifier(use.name) ? use.name.text : 'rows';
    const countName = `${base}Count`;
    if (namesIn(file.sourceFile).has(countName)) return undefined;
    replace(use.name, countName);
    if (form.sql !== undefined) replace(use.awaited, value(`await ${counted}`));
    else replace(read, counted);
    for (const length of use.lengths) replace(length, countName);
  }
  const what = form.sql !== undefined ? '`COUNT(*)`' : `\`${form.method}()\``;
  return {
    title: `Count on the server with ${what} instead of reading every row for its length`,
    kind: 'suggestion',
    edits,
  };
}

/**
 * The read with the builder calls after it that do not change its rows (`.lean()`, `.toArray()`); undefined for others.
 */
function readExpression(call: ts.CallExpression, dropChain: readonly string[]): ts.Expression {
  let node: ts.Expression = call;
  for (;;) {
    const access = node.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== node) break;
    const next = access.parent;
    if (!ts.isCallExpression(next) || next.expression !== access || !dropChain.includes(access.name.text)) break;
    node = next;
  }
  return node;
}

function lengthOnlyUse(file: FileModel, read: ts.Expression, viaRows: boolean): LengthUse | undefined {
  let node: ts.Node = read;
  const up = () => {
    while (
      ts.isParenthesizedExpression(node.parent) ||
      ts.isNonNullExpression(node.parent) ||
      ts.isAsExpression(node.parent)
    )
      node = node.parent;
  };
  up();
  if (!ts.isAwaitExpression(node.parent)) return undefined;
  const awaited = node.parent;
  node = awaited;
  up();
  const parent = node.parent;
  if (viaRows && ts.isPropertyAccessExpression(parent) && parent.name.text === 'rows') {
    node = parent;
    up();
    const outer = node.parent;
    return ts.isPropertyAccessExpression(outer) && outer.name.text === 'length'
      ? { kind: 'inline', length: outer }
      : undefined;
  }
  if (!viaRows && ts.isPropertyAccessExpression(parent) && parent.name.text === 'length')
    return { kind: 'inline', length: parent };
  // `const rows = await X` (or pg's `const { rows } = await X`), and every later use is `rows.length`.
  // A type annotation (`const users: User[]`) would no longer fit the count.
  if (!ts.isVariableDeclaration(parent) || parent.initializer !== node || parent.type) return undefined;
  const list = parent.parent;
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return undefined;
  let name: ts.Identifier | undefined;
  if (!viaRows && ts.isIdentifier(parent.name)) name = parent.name;
  // pg's `const { rows } = await X`: the uses are of `rows`; the whole binding becomes the count's name.
  if (viaRows && ts.isObjectBindingPattern(parent.name) && parent.name.elements.length === 1) {
    const element = parent.name.elements[0]!;
    const key = element.propertyName ?? element.name;
    if (ts.isIdentifier(key) && key.text === 'rows' && ts.isIdentifier(element.name) && !element.initializer)
      name = element.name;
  }
  if (!name) return undefined;
  const scope = enclosingFunction(parent) ?? file.sourceFile;
  const lengths: ts.PropertyAccessExpression[] = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== name && n.text === name.text) {
      const access = n.parent;
      if (ts.isPropertyAccessExpression(access) && access.expression === n && access.name.text === 'length')
        lengths.push(access);
      else if (!(ts.isPropertyAccessExpression(access) && access.name === n)) other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  if (other || lengths.length === 0) return undefined;
  return { kind: 'variable', name: viaRows ? parent.name : name, awaited, lengths };
}

/** `receiver.count(args)` with the read's own arguments, unless an option changes what would be counted. */
function ormCount(file: FileModel, call: ts.CallExpression, form: CountForm): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  for (const arg of call.arguments) {
    const literal = skipOuterExpressions(arg);
    if (ts.isObjectLiteralExpression(literal)) {
      const refused = literal.properties.some(
        (p) =>
          ts.isSpreadAssignment(p) ||
          (p.name !== undefined && form.refuseOptions.includes(p.name.getText(file.sourceFile))),
      );
      if (refused) return undefined;
    } else if (form.refuseOptions.length > 0) return undefined; // options in a variable may hold anything
  }
  const args = call.arguments.map((a) => a.getText(file.sourceFile)).join(', ');
  return `${callee.expression.getText(file.sourceFile)}.${form.method}(${args})`;
}

/** `pool.query('SELECT COUNT(*)::int AS count FROM (…) AS counted', params)`, the user's SQL text kept whole inside. */
function sqlCount(file: FileModel, call: ts.CallExpression, template: string, typed: boolean): string | undefined {
  const [sqlArg, params] = call.arguments;
  const literal = sqlArg && skipOuterExpressions(sqlArg);
  if (!literal || (!ts.isStringLiteral(literal) && !ts.isNoSubstitutionTemplateLiteral(literal))) return undefined;
  // The source text between the quotes, escapes and all, so it goes back in the same quotes unchanged.
  const start = literal.getStart(file.sourceFile);
  const quote = file.text[start]!;
  const inner = file.text
    .slice(start + 1, literal.end - 1)
    .trim()
    .replace(/;$/, '');
  // A trailing comment would swallow the closing parenthesis.
  if (inner.includes('--')) return undefined;
  const params_ = params ? `, ${params.getText(file.sourceFile)}` : '';
  const typeArgument = typed ? '<{ count: number }>' : '';
  const callee = call.expression.getText(file.sourceFile);
  return `${callee}${typeArgument}(${quote}${template.replace('$SQL', inner)}${quote}${params_})`;
}

function namesIn(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return names;
}
