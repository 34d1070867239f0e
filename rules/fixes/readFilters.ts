// Whether an ORM or builder read is narrowed to one row (unique key) or to the request's own id list, from its filter syntax.
import { ts } from 'ts-morph';
import { propertyNameText, skipOuterExpressions } from '../../server/engine/scope';
import type { FileModel } from '../../server/engine/sourceFile';
import { whereFilter } from '../../server/engine/sql';
import { calledMethod, resolveLocal } from './localValues';

const AND_KEYS = new Set(['AND', '$and']);
const OR_KEYS = new Set(['OR', '$or']);
const IN_KEYS = new Set(['in', '$in']);
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
    const last = name.split('.').pop()!.replace(/["'`]/g, '').trim();
    return this.keys.has(last.toLowerCase());
  }

  /** A list value that comes from the program (`ids`, `req.body.ids`), not a literal list of statuses. */
  private isProgramList(expr: ts.Expression | undefined): boolean {
    if (!expr) return false;
    return !ts.isArrayLiteralExpression(resolveLocal(this.file, expr));
  }

  /** `{ id }`, `{ id: { in: ids } }`, `{ sku: { $in: skus } }`, `{ AND: [...] }`: bounded by the filter object. */
  objectBounds(object: ts.ObjectLiteralExpression): boolean {
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property) || !property.name) continue;
      const key = propertyNameText(property.name);
      if (key === undefined) continue;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!value) continue;
      const resolved = resolveLocal(this.file, value);
      if (AND_KEYS.has(key)) {
        if (ts.isArrayLiteralExpression(resolved) && resolved.elements.some((e) => this.expressionBounds(e))) return true;
        if (ts.isObjectLiteralExpression(resolved) && this.objectBounds(resolved)) return true;
        continue;
      }
      if (OR_KEYS.has(key)) {
        if (ts.isArrayLiteralExpression(resolved) && resolved.elements.length > 0 && resolved.elements.every((e) => this.expressionBounds(e))) return true;
        continue;
      }
      if (this.valueBounds(key, resolved)) return true;
    }
    return false;
  }

  /** One filter entry `key: value`. */
  private valueBounds(key: string, value: ts.Expression): boolean {
    const unique = this.isUniqueKey(key);
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
        const op = propertyNameText(property.name);
        const operand = ts.isPropertyAssignment(property) ? property.initializer : property.name;
        if (op && IN_KEYS.has(op) && (unique || this.isProgramList(operand))) return true;
        if (op && EQUALS_KEYS.has(op) && unique) return true;
      }
      return false;
    }
    if (ts.isCallExpression(value) && ts.isIdentifier(value.expression)) {
      const name = value.expression.text;
      if (IN_OPERATORS.has(name)) return unique || this.isProgramList(value.arguments[0]);
      if (EQUAL_OPERATORS.has(name)) return unique;
      // Other operators (MoreThan, Like, Not, Between) match many rows; plain calls (`Number(id)`) are values.
      if (/^[A-Z]/.test(name)) return false;
    }
    if (!unique) return false;
    // `{ id: undefined }` is no filter at all in Prisma and TypeORM.
    if (ts.isIdentifier(value) && value.text === 'undefined') return false;
    return value.kind !== ts.SyntaxKind.NullKeyword;
  }

  /** A filter given as an expression: an object literal (or a local constant holding one), or a condition helper call. */
  expressionBounds(expr: ts.Expression): boolean {
    const resolved = resolveLocal(this.file, expr);
    if (ts.isObjectLiteralExpression(resolved)) return this.objectBounds(resolved);
    if (ts.isCallExpression(resolved)) return this.conditionCallBounds(resolved);
    return false;
  }

  /** Drizzle-style `eq(users.id, id)`, `inArray(users.id, ids)`, `and(...)`. */
  private conditionCallBounds(call: ts.CallExpression): boolean {
    const callee = skipOuterExpressions(call.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const column = call.arguments[0] ? columnOf(call.arguments[0]) : undefined;
    if (EQ_HELPERS.has(name)) return column !== undefined && this.isUniqueKey(column);
    if (IN_HELPERS.has(name)) return (column !== undefined && this.isUniqueKey(column)) || this.isProgramList(call.arguments[1]);
    if (AND_HELPERS.has(name)) return call.arguments.some((a) => this.expressionBounds(a));
    return false;
  }

  /** Builder calls `where('id', id)`, `where('u.id = :id')`, `whereIn('id', ids)`, `whereInIds(ids)`, `where(eq(...))`. */
  chainBounds(calls: ts.CallExpression[]): boolean {
    if (calls.some((c) => /^or/i.test(calledMethod(c) ?? ''))) return false;
    return calls.some((call) => this.whereCallBounds(call));
  }

  private whereCallBounds(call: ts.CallExpression): boolean {
    const method = calledMethod(call) ?? '';
    const args = call.arguments;
    if (/^(and)?whereInIds$|^findByIds?$/i.test(method)) return true;
    if (/^(and)?whereIn$/i.test(method)) {
      const column = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
      return (column !== undefined && this.isUniqueKey(column)) || this.isProgramList(args[1]);
    }
    if (!/^(and)?where$|^filter$/i.test(method) || !args[0]) return false;
    const first = skipOuterExpressions(args[0]);
    if (ts.isStringLiteralLike(first)) {
      if (args.length === 1 || (args.length === 2 && ts.isObjectLiteralExpression(skipOuterExpressions(args[1]!)))) {
        // A SQL fragment (`'u.id = :id'`) or a column with a value (`where('id', id)`).
        if (/[=<>]|\bin\b|\bany\b/i.test(first.text)) return whereFilter(first.text, [...this.keys]) !== 'none';
      }
      if (args.length === 2) return this.isUniqueKey(first.text) && !ts.isObjectLiteralExpression(skipOuterExpressions(args[1]!));
      if (args.length === 3 && args[1] && ts.isStringLiteralLike(args[1])) {
        const op = args[1].text.trim().toLowerCase();
        if (op === '=') return this.isUniqueKey(first.text);
        if (op === 'in') return this.isUniqueKey(first.text) || this.isProgramList(args[2]);
      }
      return false;
    }
    return this.expressionBounds(first);
  }
}

/** `users.id` → 'id'; `'id'` → 'id'. */
function columnOf(expr: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isStringLiteralLike(node)) return node.text;
  return undefined;
}
