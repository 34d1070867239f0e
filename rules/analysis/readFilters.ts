// Whether an ORM or builder read is narrowed to one row (unique key) or to the request's own id list, from its filter syntax.
import { ts } from 'ts-morph';
import { propertyNameText, skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import { isOwnerKey, whereFilter, type Narrowing } from './sql';
import { calledMethod, resolveLocal } from './localValues';
import { NEAR_UNIQUE_COLUMN } from '../knowledge/readGrowth';

const AND_KEYS = new Set(['AND', '$and']);
const OR_KEYS = new Set(['OR', '$or']);
const IN_KEYS = new Set(['in', '$in']);
/** Prisma relation filters: `{ members: { some: { userId } } }`. */
const RELATION_KEYS = new Set(['some', 'every', 'is']);
const EQUALS_KEYS = new Set(['equals', '$eq']);
/** TypeORM find operators that keep a filter to the listed values. */
const EQUAL_OPERATORS = new Set(['Equal']);
const IN_OPERATORS = new Set(['In', 'Any']);
/** Drizzle and similar condition helpers. */
const EQ_HELPERS = new Set(['eq']);
const IN_HELPERS = new Set(['inArray']);
const AND_HELPERS = new Set(['and']);

export class FilterReader {
  private readonly keys: Set<string>;

  constructor(
    private readonly file: FileModel,
    uniqueKeys: readonly string[],
  ) {
    this.keys = new Set(uniqueKeys.map((k) => k.toLowerCase()));
  }

  private isUniqueKey(name: string): boolean {
    const last = name.split('.').pop()!.replace(/["'`]/g, '').trim().toLowerCase();
    // A token, a hash, a model's own `idColumn`: one row per value in practice.
    return this.keys.has(last) || NEAR_UNIQUE_COLUMN.test(last);
  }

  /** A list value that comes from the program (`ids`, `[id, hashOf(id)]`), not a literal list of statuses. */
  private isProgramList(expr: ts.Expression | undefined): boolean {
    if (!expr) return false;
    const list = resolveLocal(this.file, expr);
    if (!ts.isArrayLiteralExpression(list)) return true;
    return list.elements.some(
      (e) => !ts.isStringLiteralLike(e) && !ts.isNumericLiteral(e) && !ts.isPrefixUnaryExpression(e),
    );
  }

  /** `{ id }`, `{ id: { in: ids } }`, `{ sku: { $in: skus } }`, `{ AND: [...] }`: bounded by the filter object. */
  objectBounds(object: ts.ObjectLiteralExpression): boolean {
    return bounds(this.objectNarrowing(object));
  }

  /** How a filter object narrows the rows; its entries are ANDed, so the strongest one counts. */
  objectNarrowing(object: ts.ObjectLiteralExpression): Narrowing {
    let found: Narrowing = 'none';
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property) || !property.name) continue;
      const key = propertyNameText(property.name);
      if (key === undefined) continue;
      const value = ts.isPropertyAssignment(property)
        ? property.initializer
        : ts.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!value) continue;
      const resolved = resolveLocal(this.file, value);
      if (AND_KEYS.has(key)) {
        if (ts.isArrayLiteralExpression(resolved))
          for (const e of resolved.elements) found = stronger(found, this.expressionNarrowing(e));
        if (ts.isObjectLiteralExpression(resolved)) found = stronger(found, this.objectNarrowing(resolved));
        continue;
      }
      if (OR_KEYS.has(key)) {
        if (ts.isArrayLiteralExpression(resolved) && resolved.elements.length > 0)
          found = stronger(found, weakest(resolved.elements.map((e) => this.expressionNarrowing(e))));
        continue;
      }
      found = stronger(found, this.valueNarrowing(key, resolved));
    }
    return found;
  }

  /** A nested relation filter, through Prisma's `some` / `every` / `is`. */
  private relationNarrowing(value: ts.ObjectLiteralExpression): Narrowing {
    const direct = this.objectNarrowing(value);
    if (direct !== 'none') return direct;
    for (const property of value.properties) {
      if (!ts.isPropertyAssignment(property) || !RELATION_KEYS.has(propertyNameText(property.name) ?? '')) continue;
      const inner = resolveLocal(this.file, property.initializer);
      if (ts.isObjectLiteralExpression(inner) && this.objectNarrowing(inner) !== 'none') return 'owner';
    }
    return 'none';
  }

  /** One filter entry `key: value`. */
  private valueNarrowing(key: string, value: ts.Expression): Narrowing {
    const unique = this.isUniqueKey(key);
    const owner = !unique && isOwnerKey(key);
    if (ts.isObjectLiteralExpression(value)) {
      let found: Narrowing = 'none';
      for (const property of value.properties) {
        if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
        const op = propertyNameText(property.name);
        const operand = ts.isPropertyAssignment(property) ? property.initializer : property.name;
        if (op && IN_KEYS.has(op) && (unique || this.isProgramList(operand))) return unique ? 'unique' : 'inList';
        if (op && EQUALS_KEYS.has(op)) found = stronger(found, unique ? 'unique' : owner ? 'owner' : 'none');
      }
      // `{ project: { id: projectId } }`, `{ members: { some: { userId } } }`: a relation filtered down to one parent.
      if (found === 'none' && this.relationNarrowing(value) !== 'none') return 'owner';
      return found;
    }
    if (ts.isCallExpression(value) && ts.isIdentifier(value.expression)) {
      const name = value.expression.text;
      if (IN_OPERATORS.has(name)) return unique ? 'unique' : this.isProgramList(value.arguments[0]) ? 'inList' : 'none';
      if (EQUAL_OPERATORS.has(name)) return unique ? 'unique' : owner ? 'owner' : 'none';
      // Other operators (MoreThan, Like, Not, Between) match many rows; plain calls (`Number(id)`) are values.
      if (/^[A-Z]/.test(name)) return 'none';
    }
    if (!unique && !owner) return 'none';
    // `{ id: undefined }` is no filter at all in Prisma and TypeORM.
    if (ts.isIdentifier(value) && value.text === 'undefined') return 'none';
    if (value.kind === ts.SyntaxKind.NullKeyword) return 'none';
    return unique ? 'unique' : 'owner';
  }

  /**
   * A filter given as an expression: an object literal (or a local constant holding one), or a condition helper call.
   */
  expressionBounds(expr: ts.Expression): boolean {
    return bounds(this.expressionNarrowing(expr));
  }

  expressionNarrowing(expr: ts.Expression): Narrowing {
    const resolved = resolveLocal(this.file, expr);
    // `where: cloud ? and(…) : and(…)`: as narrow as the wider branch.
    if (ts.isConditionalExpression(resolved))
      return weakest([this.expressionNarrowing(resolved.whenTrue), this.expressionNarrowing(resolved.whenFalse)]);
    if (ts.isObjectLiteralExpression(resolved)) return this.objectNarrowing(resolved);
    if (ts.isCallExpression(resolved)) return this.conditionCallNarrowing(resolved);
    return 'none';
  }

  /** Drizzle-style `eq(users.id, id)`, `inArray(users.id, ids)`, `and(...)`. */
  private conditionCallNarrowing(call: ts.CallExpression): Narrowing {
    const callee = skipOuterExpressions(call.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const column = call.arguments[0] ? columnOf(call.arguments[0]) : undefined;
    if (EQ_HELPERS.has(name))
      return column === undefined
        ? 'none'
        : this.isUniqueKey(column)
          ? 'unique'
          : isOwnerKey(column)
            ? 'owner'
            : 'none';
    if (IN_HELPERS.has(name))
      return (column !== undefined && this.isUniqueKey(column)) || this.isProgramList(call.arguments[1])
        ? 'inList'
        : 'none';
    if (AND_HELPERS.has(name))
      return call.arguments.reduce<Narrowing>((found, a) => stronger(found, this.expressionNarrowing(a)), 'none');
    return 'none';
  }

  /**
   * Builder calls `where('id', id)`, `where('u.id = :id')`, `whereIn('id', ids)`, `whereInIds(ids)`, `where(eq(...))`.
   */
  chainBounds(calls: ts.CallExpression[]): boolean {
    return bounds(this.chainNarrowing(calls));
  }

  chainNarrowing(calls: ts.CallExpression[]): Narrowing {
    // `.where(a).orWhere(b)` is `a OR b`: each `or…` call starts a branch, and the weakest branch says how narrow it is
    // (`where({ role: 1, farm_id }).orWhere({ role: 2, farm_id })` stays one farm's rows).
    const branches: Narrowing[] = ['none'];
    for (const call of [...calls].sort((a, b) => methodPosition(a) - methodPosition(b))) {
      if (/^or[A-Z]/.test(calledMethod(call) ?? '')) branches.push('none');
      branches[branches.length - 1] = stronger(branches[branches.length - 1]!, this.whereCallNarrowing(call));
    }
    return weakest(branches);
  }

  private whereCallNarrowing(call: ts.CallExpression): Narrowing {
    const method = calledMethod(call) ?? '';
    const args = call.arguments;
    if (/^(and|or)?whereInIds$|^findByIds?$/i.test(method)) return 'inList';
    if (/^(and|or)?whereIn$/i.test(method)) {
      const column = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
      return (column !== undefined && this.isUniqueKey(column)) || this.isProgramList(args[1]) ? 'inList' : 'none';
    }
    if (!/^(and|or)?where(Equal\w*)?$|^filter$/i.test(method) || !args[0]) return 'none';
    const first = skipOuterExpressions(args[0]);
    // `where(\`${Table}.${Field.noteId}\`, id)`: a qualified column whose last part is a constant's member.
    const templateColumn = ts.isTemplateExpression(first) ? lastMemberName(first) : undefined;
    if (templateColumn && args.length >= 2) return this.columnNarrowing(templateColumn, args);
    // A column named by a constant (`where(FieldName.userId, id)`, `where(Columns.ID, id)`): its member name says
    // which.
    if (
      ts.isPropertyAccessExpression(first) &&
      args.length >= 2 &&
      !ts.isObjectLiteralExpression(skipOuterExpressions(args[1]!))
    )
      return this.columnNarrowing(first.name.text, args);
    if (ts.isStringLiteralLike(first)) {
      if (args.length === 1 || (args.length === 2 && ts.isObjectLiteralExpression(skipOuterExpressions(args[1]!)))) {
        // A SQL fragment (`'u.id = :id'`) or a column with a value (`where('id', id)`).
        // Quoted identifiers (`w."userId" IN (:...ids)`) are columns all the same.
        if (/[=<>]|\bin\b|\bany\b/i.test(first.text))
          return whereFilter(first.text.replace(/["`]/g, ''), [...this.keys]);
      }
      if (args.length === 2 && ts.isObjectLiteralExpression(skipOuterExpressions(args[1]!))) return 'none';
      return this.columnNarrowing(first.text, args);
    }
    return this.expressionNarrowing(first);
  }

  /** `where(column, value)` or `where(column, op, value)`. */
  private columnNarrowing(column: string, args: readonly ts.Expression[]): Narrowing {
    const columnNarrowing: Narrowing = this.isUniqueKey(column) ? 'unique' : isOwnerKey(column) ? 'owner' : 'none';
    if (args.length === 2) return columnNarrowing;
    if (args.length === 3 && args[1] && ts.isStringLiteralLike(args[1])) {
      const op = args[1].text.trim().toLowerCase();
      if (op === '=') return columnNarrowing;
      if (op === 'in') return this.isUniqueKey(column) || this.isProgramList(args[2]) ? 'inList' : 'none';
    }
    return 'none';
  }
}

/** Where a call's method name stands: calls of one chain all start where the chain does, their names do not. */
function methodPosition(call: ts.CallExpression): number {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.pos : call.pos;
}

const ORDER: Narrowing[] = ['none', 'owner', 'inList', 'unique'];

function stronger(a: Narrowing, b: Narrowing): Narrowing {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

function weakest(list: Narrowing[]): Narrowing {
  return list.reduce((a, b) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b));
}

/** One row, or the request's own ids: the read cannot grow with the table. */
export function bounds(narrowing: Narrowing): boolean {
  return narrowing === 'unique' || narrowing === 'inList';
}

/** `\`${T}.${F.noteId}\`` → 'noteId': the member named by the template's last hole, when nothing follows it. */
function lastMemberName(template: ts.TemplateExpression): string | undefined {
  const last = template.templateSpans[template.templateSpans.length - 1];
  if (!last || last.literal.text !== '') return undefined;
  const expr = skipOuterExpressions(last.expression);
  return ts.isPropertyAccessExpression(expr) ? expr.name.text : undefined;
}

/** `users.id` → 'id'; `'id'` → 'id'. */
function columnOf(expr: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isStringLiteralLike(node)) return node.text;
  return undefined;
}
