// Columns the project itself declares unique: entity properties marked `unique: true`, primary keys, generated-UUID defaults, and `.unique()` in schemas and migrations.
import { ts } from 'ts-morph';
import { COLUMN_DECORATORS, PRIMARY_KEY_DECORATORS, UNIQUE_VALUE_GENERATORS } from '../../knowledge/readShapes';
import { propertyNameText } from '../scope';
import type { FileModel } from '../sourceFile';

/** `t.string('code').unique()`, `varchar('slug', { length: 64 }).unique()`: a column named by its builder, then unique. */
const UNIQUE_CHAIN = /\.\w+\(\s*['"`](\w+)['"`][^()]*\)(?:\s*\.\w+\([^()]*\))*?\s*\.unique\(\s*\)/g;

const perFile = new WeakMap<FileModel, { text: string; columns: string[] }>();

/** The names of the columns every file of the project declares unique (lower case). */
export function declaredUniqueColumns(files: Iterable<FileModel>): Set<string> {
  const found = new Set<string>();
  for (const file of files) for (const column of uniqueIn(file)) found.add(column);
  return found;
}

function uniqueIn(file: FileModel): string[] {
  const known = perFile.get(file);
  if (known && known.text === file.text) return known.columns;
  const columns = new Set<string>();
  if (
    /unique|Primary|ObjectIdColumn/i.test(file.text) ||
    [...UNIQUE_VALUE_GENERATORS].some((g) => file.text.includes(g))
  ) {
    for (const match of file.text.matchAll(UNIQUE_CHAIN)) columns.add(match[1]!.toLowerCase());
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyDeclaration(node) && declaresUnique(node)) {
        const name = propertyNameText(node.name);
        if (name) columns.add(name.toLowerCase());
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
  }
  const result = [...columns];
  perFile.set(file, { text: file.text, columns: result });
  return result;
}

/** `@PrimaryKey() id`, `@Column({ unique: true }) email`, `@Property() idx = randomUUID()`. */
function declaresUnique(node: ts.PropertyDeclaration): boolean {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  if (decorators.length === 0) return false;
  for (const decorator of decorators) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    const name = call.expression.text;
    if (PRIMARY_KEY_DECORATORS.has(name)) return true;
    if (name === 'Unique' && call.arguments.length === 0) return true;
    if (COLUMN_DECORATORS.has(name) && call.arguments.some(setsUnique)) return true;
  }
  const init = node.initializer;
  return (
    !!init &&
    ts.isCallExpression(init) &&
    ts.isIdentifier(init.expression) &&
    UNIQUE_VALUE_GENERATORS.has(init.expression.text)
  );
}

/** An options object with `unique: true`. */
function setsUnique(arg: ts.Expression): boolean {
  return (
    ts.isObjectLiteralExpression(arg) &&
    arg.properties.some(
      (p) =>
        ts.isPropertyAssignment(p) &&
        propertyNameText(p.name) === 'unique' &&
        p.initializer.kind === ts.SyntaxKind.TrueKeyword,
    )
  );
}
