// The update batch of an `UPDATE t SET c = $1 WHERE id = $2` per element. The same values for every row: one
// `WHERE id = ANY($2)`. Values per row: one `UPDATE … FROM json_populate_recordset(NULL::t, $1)`, whose record set takes
// the table's own column types (a VALUES list would type every parameter as text) and keeps the last row of a key
// twice, as the loop's last update won.
import { ts } from 'ts-morph';
import type { CodeStyle } from './rewrite';
import { camel, freeName, mentions } from './batchSyntax';
import { splitTopLevel } from './writeBatchSql';
import type { UpdateBuild, UpdateLoop } from './updateBatch';

const NAME = String.raw`(?:"[^"]+"|\w+)`;
const UPDATE = new RegExp(
  String.raw`^update\s+(${NAME}(?:\.${NAME})?)\s+set\s+([\s\S]+?)\s+where\s+(${NAME})\s*=\s*\$(\d+)$`,
  'i',
);
/** A SET value with no parameter and no column: the same for every row and unambiguous next to the record set. */
const CONSTANT = /^(now\(\)|current_timestamp|current_date|true|false|null|default|-?\d+(\.\d+)?|'[^']*')$/i;

/** The field of the JSON row that json_populate_recordset matches with a column (unquoted names fold to lower case). */
function columnField(column: string): string {
  return column.startsWith('"') ? column.slice(1, -1) : column.toLowerCase();
}

function propertyName(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? field : JSON.stringify(field);
}

/** The SQL as a string literal in the user's quote, or a template literal when the text holds that quote. */
function sqlLiteral(sql: string, quote: string): string {
  if (!sql.includes(quote) && !sql.includes('\\')) return `${quote}${sql}${quote}`;
  return `\`${sql.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${')}\``;
}

export function sqlUpdateBatch(
  sourceFile: ts.SourceFile,
  loop: UpdateLoop,
  style: CodeStyle,
): UpdateBuild | string | undefined {
  const semi = style.semicolons ? ';' : '';
  const call = loop.write;
  const [sqlNode, paramsNode] = call.arguments;
  if (!sqlNode || !(ts.isStringLiteral(sqlNode) || ts.isNoSubstitutionTemplateLiteral(sqlNode))) return undefined;
  const sql = sqlNode.text.trim().replace(/;$/, '').trim();
  if (!/^update\b/i.test(sql)) return undefined;
  if (call.arguments.length !== 2 || !paramsNode || !ts.isArrayLiteralExpression(paramsNode)) return 'parameters';
  const params = paramsNode.elements;
  if (params.some(ts.isSpreadElement)) return 'parameters';
  const match = UPDATE.exec(sql);
  if (!match) return 'not `UPDATE t SET … WHERE key = $n`';
  const [, table, setText, keyColumn, keyNumber] = match as unknown as [string, string, string, string, string];
  const set: { column: string; param: number }[] = [];
  const kept: string[] = [];
  for (const assignment of splitTopLevel(setText)) {
    const parts = new RegExp(String.raw`^(${NAME})\s*=\s*([\s\S]+)$`).exec(assignment);
    if (!parts) return 'SET';
    const param = /^\$(\d+)$/.exec(parts[2]!.trim());
    if (param) set.push({ column: parts[1]!, param: Number(param[1]) });
    else if (CONSTANT.test(parts[2]!.trim())) kept.push(assignment);
    else return 'a SET expression the batch cannot keep';
  }
  const used = [...set.map((s) => s.param), Number(keyNumber)];
  if (new Set(used).size !== used.length || used.length !== params.length) return 'placeholders';
  if (used.some((n) => n < 1 || n > params.length || (sql.match(new RegExp(`\\$${n}(?!\\d)`, 'g')) ?? []).length !== 1))
    return 'placeholders';
  const keyParam = params[Number(keyNumber) - 1]!;
  if (!mentions(keyParam, loop.names)) return 'the key does not depend on the element';
  const quote = sqlNode.getText(sourceFile)[0] === '"' ? '"' : style.quote;
  const run = call.expression.getText(sourceFile);
  const last = columnField(table.split('.').pop()!).replace(/s$/, '');
  const base = camel(last.replace(/\W/g, '_')) || 'row';
  const perRow = set.some((s) => mentions(params[s.param - 1]!, loop.names));
  if (!perRow) {
    const keys = freeName(sourceFile.text, `${base}Keys`);
    const batchedSql = sql.replace(/\$(\d+)$/, 'ANY($$$1)');
    const args = params.map((p, i) => (i === Number(keyNumber) - 1 ? keys : p.getText(sourceFile)));
    return {
      kind: 'edit',
      how: `one \`UPDATE … WHERE ${keyColumn} = ANY(…)\` of all keys of \`${loop.collection}\` (the values are the same for every row)`,
      lines: [
        `const ${keys} = ${loop.mapped(keyParam.getText(sourceFile))}${semi}`,
        `if (${keys}.length > 0) await ${run}(${sqlLiteral(batchedSql, quote)}, [${args.join(', ')}])${semi}`,
      ],
      imports: [],
    };
  }
  const rows = freeName(sourceFile.text, `${base}Rows`);
  const fields = [
    `${propertyName(columnField(keyColumn))}: ${keyParam.getText(sourceFile)}`,
    ...set.map((s) => `${propertyName(columnField(s.column))}: ${params[s.param - 1]!.getText(sourceFile)}`),
  ];
  const assignments = [...set.map((s) => `${s.column} = v.${s.column}`), ...kept].join(', ');
  const batchedSql =
    `UPDATE ${table} SET ${assignments} FROM (SELECT DISTINCT ON (${keyColumn}) * FROM json_populate_recordset(NULL::${table}, $1) ` +
    `WITH ORDINALITY ORDER BY ${keyColumn}, ordinality DESC) AS v WHERE ${table}.${keyColumn} = v.${keyColumn}`;
  return {
    kind: 'edit',
    how: `one \`UPDATE … FROM\` a record set of all rows of \`${loop.collection}\` (each row keeps its own values)`,
    lines: [
      `const ${rows} = ${loop.mapped(`({ ${fields.join(', ')} })`)}${semi}`,
      `if (${rows}.length > 0) await ${run}(${sqlLiteral(batchedSql, quote)}, [JSON.stringify(${rows})])${semi}`,
    ],
    imports: [],
  };
}
