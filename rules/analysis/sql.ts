// Plain-text checks on SQL statements: is it a SELECT, does it have a LIMIT, is it aggregate-only, is it filtered by a unique key.
// Works on the statement text the round-trip finder extracts (`?` marks a hole the code fills at runtime).

/** What the bound analysis needs to know about one SELECT. */
export interface SelectShape {
  /** LIMIT n / FETCH FIRST / TOP n at the outer level; `LIMIT ALL` is no limit. */
  limit: { kind: 'none' } | { kind: 'all' } | { kind: 'literal'; value: number } | { kind: 'parameter' };
  /** Every item of the outer select list is a scalar aggregate and there is no GROUP BY: one row. */
  aggregateOnly: boolean;
  /** No FROM at the outer level (`SELECT now()`): one row. */
  hasFrom: boolean;
  /** The outer WHERE has a conjunct `[t.]key = value` over one of the unique keys. */
  uniqueFilter: boolean;
  /** The outer WHERE has a conjunct `id = ANY($1)` / `id IN ($1, …)` over parameters (the request's own ids). */
  inListFilter: boolean;
  /** `SELECT DISTINCT …`: one row per distinct value, a domain (categories, platforms), not the table. */
  distinct: boolean;
  /**
   * Every OR-branch of the outer WHERE has `owner_id = value` (a foreign key): the rows of one parent (a user's teams).
   */
  ownerFilter: boolean;
  /** A runtime hole (`${clause}`) sits where a whole clause could go, so the text is not the whole statement. */
  openClause: boolean;
}

const SCALAR_AGGREGATE =
  /\b(count|sum|avg|min|max|bool_and|bool_or|every|stddev\w*|variance|var_pop|var_samp|group_concat)\s*\(/i;
const COLLECTING_AGGREGATE =
  /\b(json_agg|jsonb_agg|array_agg|string_agg|json_object_agg|jsonb_object_agg|xmlagg)\s*\(/i;
/** Words after which a `?` hole is a value, not a clause. */
const VALUE_POSITION_WORDS = new Set([
  'like',
  'ilike',
  'in',
  'is',
  'not',
  'between',
  'and',
  'or',
  'limit',
  'offset',
  'then',
  'else',
  'when',
  'set',
  'values',
  'from',
  'join',
  'into',
  'update',
  'select',
  'by',
  'on',
  'as',
  'where',
  'having',
  'any',
  'all',
  'distinct',
  'first',
  'next',
  'top',
  'case',
  'returning',
]);

/** Blanks out string literals, quoted identifiers keep their text; comments are removed. */
export function stripSqlLiterals(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"([^"]*)"/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/;\s*$/, '');
}

/** The text with every parenthesised group collapsed to `()`, so only the outer query is left. */
export function outerLevel(sql: string): string {
  let out = '';
  let depth = 0;
  for (const char of sql) {
    if (char === '(') {
      if (depth === 0) out += '(';
      depth++;
    } else if (char === ')') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) out += ')';
    } else if (depth === 0) out += char;
  }
  return out;
}

/** A SELECT (or WITH … SELECT) statement. */
export function isSelect(sql: string): boolean {
  const text = stripSqlLiterals(sql)
    .trim()
    .replace(/^\(+\s*/, '');
  if (/^select\b/i.test(text)) return true;
  if (!/^with\b/i.test(text)) return false;
  return /\bselect\b/i.test(outerLevel(text).replace(/^with\b[\s\S]*?\bas\s*\(\)/i, ''));
}

/** Splits a top-level clause on a separator word or character, outside parentheses. */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const match = separator.exec(text.slice(i));
      if (match && match.index === 0 && (i === 0 || /[\s,]/.test(text[i - 1]!) || !/\w/.test(match[0][0]!))) {
        parts.push(text.slice(start, i));
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Index of a keyword at the outer level of `text` (parenthesised groups skipped), or -1. */
function outerIndexOf(text: string, keyword: RegExp): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (i === 0 || !/\w/.test(text[i - 1]!))) {
      const match = keyword.exec(text.slice(i));
      if (match && match.index === 0) return i;
    }
  }
  return -1;
}

/** The last outer SELECT's list, FROM…, and WHERE condition (CTEs skipped). */
function outerParts(text: string): { selectList: string; rest: string; where: string | undefined } {
  // The main query of `WITH a AS (…) SELECT …` is the outer SELECT after the CTE list.
  let selectAt = -1;
  for (let from = 0; ;) {
    const next = outerIndexOf(text.slice(from), /^select\b/i);
    if (next === -1) break;
    selectAt = from + next;
    from = selectAt + 6;
    if (!/^with\b/i.test(text.trim())) break;
  }
  const body = selectAt === -1 ? text : text.slice(selectAt + 6);
  const fromAt = outerIndexOf(body, /^from\b/i);
  const selectList = fromAt === -1 ? body : body.slice(0, fromAt);
  const rest = fromAt === -1 ? '' : body.slice(fromAt);
  const whereAt = outerIndexOf(rest, /^where\b/i);
  let where: string | undefined;
  if (whereAt !== -1) {
    const afterWhere = rest.slice(whereAt + 5);
    const end = outerIndexOf(
      afterWhere,
      /^(group\s+by|order\s+by|limit|offset|fetch|for\s+update|for\s+share|having|window|union|intersect|except|returning)\b/i,
    );
    where = end === -1 ? afterWhere : afterWhere.slice(0, end);
  }
  return { selectList, rest, where };
}

const PARAMETER = /^(\$\d+|\?|:(\.\.\.)?\w+|@\w+|\$\w+)$/;

/** `[t.]col` → `col`, lower-cased. */
function columnName(text: string): string {
  const parts = text.trim().split('.');
  return parts[parts.length - 1]!.trim().toLowerCase();
}

/**
 * How a filter narrows the rows: to one (a unique key), to the request's ids, to one parent's rows (a foreign key), or
 * not at all.
 */
export type Narrowing = 'unique' | 'inList' | 'owner' | 'none';

const NARROWING_ORDER: Narrowing[] = ['none', 'owner', 'inList', 'unique'];

function stronger(a: Narrowing, b: Narrowing): Narrowing {
  return NARROWING_ORDER.indexOf(a) >= NARROWING_ORDER.indexOf(b) ? a : b;
}

/**
 * A foreign-key name: `user_id`, `userId`, `projectID`, `id_project` (the key first), `revisionUuid`, or a path through
 * a relation (`term.project.id`).
 */
export function isOwnerKey(name: string): boolean {
  return ownerOfKey(name) !== undefined;
}

/** The parent a foreign key names (`user_id`, `userId`, `id_user` → `user`; `term.project.id` → `project`). */
export function ownerOfKey(name: string): string | undefined {
  const parts = name.replace(/["'`]/g, '').trim().split('.');
  if (parts.length > 2 && /^(id|uuid)$/i.test(parts[parts.length - 1]!)) return parts[parts.length - 2];
  const column = parts[parts.length - 1]!;
  return (
    /^([A-Za-z][A-Za-z0-9]*)_(id|uuid|guid)$/i.exec(column)?.[1] ??
    /^([a-z][A-Za-z0-9]*[a-z0-9])(Id|ID|Uuid|UUID|Guid)$/.exec(column)?.[1] ??
    /^id_([a-z][a-z0-9_]*[a-z0-9])$/i.exec(column)?.[1]
  );
}

/** Looks like an id column: a unique key, `x_id`, `xId`. */
function isIdColumn(column: string, uniqueKeys: Set<string>): boolean {
  return uniqueKeys.has(column) || /(^|_)ids?$/.test(column) || /[a-z]Ids?$/.test(column);
}

/** Reads the shape of a SELECT; `uniqueKeys` are column names that identify one row (`id`, `email`). */
export function selectShape(sql: string, uniqueKeys: readonly string[]): SelectShape {
  const keys = new Set(uniqueKeys.map((k) => k.toLowerCase()));
  const text = stripSqlLiterals(sql);
  const { selectList, rest, where } = outerParts(text);
  // `pool_id` on `pools` is that table's own key.
  const table = /^from\s+([\w.]+)/i.exec(rest.trim())?.[1]?.split('.').pop()?.toLowerCase();
  const singular = table
    ?.replace(/(ies)$/, 'y')
    .replace(/(ses|xes)$/, (m) => m.slice(0, -2))
    .replace(/s$/, '');
  if (singular) for (const own of [`${singular}_id`, `${singular}id`]) keys.add(own);
  const outer = outerLevel(rest);

  let limit: SelectShape['limit'] = { kind: 'none' };
  const limitMatch = /\blimit\s+(all\b|\d+|\$\d+|\?|:\w+|@\w+|\w+)/i.exec(outer) ?? /\blimit\s*(\()/i.exec(outer);
  const fetchMatch = /\bfetch\s+(first|next)\s+(\d+|\$\d+|\?|:\w+)?/i.exec(outer);
  const topMatch = /^\s*(distinct\s+)?top\s*\(?\s*(\d+|\$\d+|\?|@\w+)/i.exec(selectList);
  const bound = limitMatch?.[1] ?? fetchMatch?.[2] ?? topMatch?.[2] ?? (fetchMatch ? '1' : undefined);
  if (bound !== undefined) {
    if (/^all$/i.test(bound)) limit = { kind: 'all' };
    else if (/^\d+$/.test(bound)) limit = { kind: 'literal', value: Number(bound) };
    else limit = { kind: 'parameter' };
  }

  const groupBy = /\bgroup\s+by\b/i.test(outer);
  const items = splitTopLevel(selectList, /^,/);
  const aggregateOnly =
    !groupBy &&
    items.length > 0 &&
    items.every((item) => SCALAR_AGGREGATE.test(item) && !COLLECTING_AGGREGATE.test(item));

  const disjuncts = where === undefined ? [] : splitTopLevel(where, /^or\b/i).map((d) => conjunctFilter(d, keys));
  const uniqueFilter = disjuncts.length > 0 && disjuncts.every((d) => d === 'unique');
  const inListFilter =
    !uniqueFilter && disjuncts.length > 0 && disjuncts.every((d) => d === 'unique' || d === 'inList');
  const ownerFilter = disjuncts.length > 0 && disjuncts.every((d) => d !== 'none');
  // A LIMIT inside a CTE or a derived table bounds what the outer query can return.
  if (limit.kind === 'none' && /\blimit\s+(\d+|\$\d+|\?|:\w+)/i.test(text) && /\bfrom\s*\(|^\s*with\b/i.test(text))
    limit = { kind: 'parameter' };

  const distinct = /^\s*distinct\b/i.test(selectList);
  return {
    limit,
    aggregateOnly,
    distinct,
    hasFrom: rest.length > 0,
    uniqueFilter,
    inListFilter,
    ownerFilter,
    openClause: hasOpenClause(text),
  };
}

/** How one OR-branch of a WHERE narrows the rows: by a unique key, by an id list, or not at all. */
function conjunctFilter(branch: string, keys: Set<string>): Narrowing {
  let found: Narrowing = 'none';
  for (const conjunct of splitTopLevel(branch.trim().replace(/^\((.*)\)$/s, '$1'), /^and\b/i)) {
    const equality = /^\(?\s*([\w.]+)\s*=\s*([^\s()]+|any\s*\(\s*[^)]*\))\s*\)?$/i.exec(conjunct);
    if (equality) {
      const column = columnName(equality[1]!);
      const value = equality[2]!.trim();
      const any = /^any\s*\(\s*([^)]*)\)$/i.exec(value);
      if (any) {
        if (PARAMETER.test(any[1]!.trim().replace(/::\w+(\[\])?$/, '')) && isIdColumn(column, keys))
          found = stronger(found, 'inList');
      } else if (PARAMETER.test(value.replace(/::\w+$/, '')) || /^[\d'-]/.test(value)) {
        // `t.relation.id = :id` (a path through a relation) names the parent's id, not this row's.
        if (keys.has(column) && equality[1]!.split('.').length <= 2) return 'unique';
        if (isOwnerKey(equality[1]!)) found = stronger(found, 'owner');
      }
      continue;
    }
    const inList =
      /^([\w.]+)\s+in\s*\(([^()]*)\)$/i.exec(conjunct) ?? /^([\w.]+)\s+in\s+(\?|\$\d+|:\w+)$/i.exec(conjunct);
    if (inList) {
      const column = columnName(inList[1]!);
      const values = inList[2]!.split(',').map((v) => v.trim());
      if (keys.has(column) || (isIdColumn(column, keys) && values.every((v) => PARAMETER.test(v))))
        found = stronger(found, 'inList');
    }
  }
  return found;
}

/** A `?` hole in a clause position (after a table name or a condition), where a runtime fragment may add LIMIT. */
function hasOpenClause(text: string): boolean {
  const tokens = text.match(/\$\d+|[\w.]+|[^\s\w]/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== '?') continue;
    const previous = tokens[i - 1];
    if (previous === undefined) return true;
    if (/^[=<>(,+\-*/|!:]$/.test(previous)) continue;
    if (VALUE_POSITION_WORDS.has(previous.toLowerCase())) continue;
    return true;
  }
  return false;
}

/** How a WHERE condition on its own (a QueryBuilder `where('u.id = :id')` fragment) narrows the rows. */
export function whereFilter(condition: string, uniqueKeys: readonly string[]): Narrowing {
  const keys = new Set(uniqueKeys.map((k) => k.toLowerCase()));
  const branches = splitTopLevel(stripSqlLiterals(condition), /^or\b/i).map((b) => conjunctFilter(b, keys));
  if (branches.length === 0) return 'none';
  if (branches.every((b) => b === 'unique')) return 'unique';
  if (branches.every((b) => b === 'unique' || b === 'inList')) return 'inList';
  return branches.every((b) => b !== 'none') ? 'owner' : 'none';
}
