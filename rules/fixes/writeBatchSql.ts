// The write batch of a single-row `INSERT … VALUES ($1, $2)`: one multi-row VALUES per chunk, placeholders generated.
// `ON CONFLICT … DO NOTHING` stays; `DO UPDATE SET c = EXCLUDED.c` stays with the rows made unique by the conflict key,
// the last row of a key winning as it did in the loop (PostgreSQL refuses a key twice in one upsert).
import { ts } from 'ts-morph';
import type { WriteBatchForm } from '../knowledge/fixForms';
import type { CodeStyle } from './rewrite';
import { camel, freeName, mentions } from './batchSyntax';
import type { WritePlan } from './writeBatch';

/** Splits at top-level commas (not inside parentheses or quotes). */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

/** The parenthesised group starting at `open` (an index of `(`): its end index. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const unquote = (name: string) => name.trim().replace(/^"|"$/g, '').toLowerCase();

export function sqlValuesBatch(
  sourceFile: ts.SourceFile,
  plan: WritePlan,
  form: WriteBatchForm,
  style: CodeStyle,
): string[] | string {
  const semi = style.semicolons ? ';' : '';
  const call = plan.write;
  if (!ts.isPropertyAccessExpression(call.expression)) return 'call';
  const [sqlNode, paramsNode] = call.arguments;
  if (call.arguments.length !== 2 || !sqlNode || !paramsNode) return 'arguments';
  if (!ts.isStringLiteral(sqlNode) && !ts.isNoSubstitutionTemplateLiteral(sqlNode)) return 'SQL text';
  if (!ts.isArrayLiteralExpression(paramsNode) || paramsNode.elements.some(ts.isSpreadElement)) return 'parameters';
  const sql = sqlNode.text.trim().replace(/;$/, '');
  const head = /^insert\s+into\s+([\w."]+)\s*\(([^)]*)\)\s*values\s*/i.exec(sql);
  if (!head) return 'not a single-row INSERT … VALUES';
  const open = head[0].length;
  if (sql[open] !== '(') return 'VALUES';
  const close = closing(sql, open);
  if (close < 0) return 'VALUES';
  const tuple = sql.slice(open + 1, close);
  const tail = sql.slice(close + 1).trim();
  const columns = head[2]!.split(',').map(unquote);
  const values = splitTopLevel(tuple);
  if (values.length !== columns.length) return 'columns and values differ';
  const params = paramsNode.elements;
  const count = params.length;
  // Every parameter appears once, in the VALUES tuple; the rest of the statement is the same for every row.
  for (let k = 1; k <= count; k++)
    if ((tuple.match(new RegExp(`\\$${k}(?!\\d)`, 'g')) ?? []).length !== 1) return 'a parameter used twice';
  if (/\$\d/.test(tail) || /\$(\d+)/.exec(tuple.replace(/\$(\d+)/g, (m, n: string) => (+n <= count ? '' : m))))
    return 'placeholders';
  if (!params.some((p) => mentions(p, new Set([plan.element])))) return 'the row does not depend on the element';
  const conflict = conflictKey(tail, columns, values);
  if (typeof conflict === 'string') return conflict;

  const table = head[1]!.split('.').pop()!.replace(/"/g, '');
  const base = camel(table.replace(/s$/, ''));
  const text = sourceFile.text;
  const valuesName = freeName(text, `${base}Values`);
  const receiverText = call.expression.expression.getText(sourceFile);
  // The chunk loop's own names are block-scoped: they only have to differ from what its body reads.
  const localName = (name: string) =>
    new RegExp(`\\b${name}\\b`).test(`${receiverText} ${valuesName}`) ? `${name}2` : name;
  const chunk = localName('chunk');
  const isTs = /\.[cm]?tsx?$/.test(sourceFile.fileName);
  const tupleOf = `[${params.map((p) => p.getText(sourceFile)).join(', ')}]`;
  const lines: string[] = [];
  if (conflict.length === 0) lines.push(`const ${valuesName} = ${plan.mapped(tupleOf)}${semi}`);
  else {
    // One row per conflict key, the last one winning; a Map keeps the position of the key's first row.
    const key = `JSON.stringify([${conflict.map((i) => params[i]!.getText(sourceFile)).join(', ')}])`;
    const byKey = freeName(text, `${base}ByKey`);
    lines.push(
      `const ${byKey} = new Map(${plan.mapped(`[${key}, ${tupleOf}]${isTs ? ' as const' : ''}`)})${semi}`,
      `const ${valuesName} = [...${byKey}.values()]${semi}`,
    );
  }
  const perChunk = Math.max(1, Math.min(form.chunkRows, Math.floor(form.maxParams / Math.max(count, 1))));
  const escape = (t: string) => t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  // `($1, $2)` → `($${r * 2 + 1}, $${r * 2 + 2})` for row r of the chunk.
  const placeholders = escape(tuple).replace(/\$(\d+)/g, (_m, n: string) =>
    count === 1 ? '$${r + 1}' : `$\${r * ${count} + ${n}}`,
  );
  const statement =
    '`' +
    escape(sql.slice(0, open)) +
    `\${${chunk}.map((_, r) => \`(${placeholders})\`).join(', ')}` +
    escape(tail ? ` ${tail}` : '') +
    '`';
  const receiver = call.expression.expression.getText(sourceFile);
  const method = call.expression.name.text;
  const i = localName('i');
  lines.push(
    `for (let ${i} = 0; ${i} < ${valuesName}.length; ${i} += ${perChunk}) {`,
    `${style.indent}const ${chunk} = ${valuesName}.slice(${i}, ${i} + ${perChunk})${semi}`,
    `${style.indent}await ${receiver}.${method}(${statement}, ${chunk}.flat())${semi}`,
    `}`,
  );
  return lines;
}

/**
 * The parameter indexes of the conflict key when the rows must be unique by it (`DO UPDATE`), [] when they need not
 * (no conflict clause, `DO NOTHING`), or why the clause cannot be kept for many rows.
 */
function conflictKey(tail: string, columns: string[], values: string[]): number[] | string {
  if (tail === '') return [];
  if (/\breturning\b/i.test(tail)) return 'RETURNING';
  if (/^on\s+conflict\s*(\([^)]*\)\s*)?do\s+nothing$/i.test(tail)) return [];
  const update = /^on\s+conflict\s*\(([^)]*)\)\s*do\s+update\s+set\s+([\s\S]*)$/i.exec(tail);
  if (!update) return 'an ON CONFLICT clause the batch cannot keep';
  if (/\bwhere\b/i.test(update[2]!)) return 'a conditional upsert';
  // `c = EXCLUDED.c` takes the incoming row: with one row per key, the last row of the loop wins, as before.
  for (const assignment of splitTopLevel(update[2]!))
    if (!/^"?\w+"?\s*=\s*excluded\."?\w+"?$/i.test(assignment)) return 'an upsert that reads the stored row';
  const out: number[] = [];
  for (const column of update[1]!.split(',').map(unquote)) {
    const at = columns.indexOf(column);
    const placeholder = at < 0 ? undefined : /^\$(\d+)(::\w+)?$/.exec(values[at]!);
    if (!placeholder) return 'the conflict key is not a plain parameter';
    out.push(Number(placeholder[1]) - 1);
  }
  return out;
}
