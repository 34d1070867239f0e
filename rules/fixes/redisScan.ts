// Fix data that turns a whole-collection Redis read (SMEMBERS, HGETALL, ZRANGE 0 -1, node-redis KEYS) into a SCAN walk
// that resolves to the same value: Redis answers in small batches instead of one command that blocks it.
import { ts } from 'ts-morph';
import type { CallLike } from '../analysis/calls';
import { skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { lineStartAndIndent } from './hoist';
import { indentLines } from './rewrite';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import { fixFormsOf, type ScanForm } from '../knowledge/fixForms';
import { own } from '../knowledge/own';

const COMMAND_OF: Record<ScanForm['shape'], string> = {
  members: 'SSCAN',
  hash: 'HSCAN',
  sortedMembers: 'ZSCAN',
  keys: 'SCAN',
};

/**
 * Replaces `client.smembers(key)` (and the other whole reads a form lists) with an async walk resolving to the same
 * value. SCAN may return an element twice and sees elements added during the walk; duplicates are dropped, and a
 * sorted set is sorted again by score and member bytes, as ZRANGE orders it.
 */
export function wholeReadToScanFix(file: FileModel, call: CallLike, form: ScanForm): FixProposal | undefined {
  if (!ts.isCallExpression(call) || call.arguments.length !== form.args) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const typed = !/\.[cm]?jsx?$/.test(file.path);
  const client = callee.expression.getText(file.sourceFile);
  const first = call.arguments[0]!.getText(file.sourceFile);
  const options = form.options.replace('$MATCH', first);
  const walk =
    form.shape === 'keys' ? `${client}.${form.method}(${options})` : `${client}.${form.method}(${first}, ${options})`;
  const body = walkBody(form, walk, typed);
  return {
    title: `Walk it with ${COMMAND_OF[form.shape]} (\`${form.method}\`) instead of one blocking command`,
    kind: 'suggestion',
    edits: [
      {
        file: file.path,
        start: call.getStart(file.sourceFile),
        end: call.end,
        newText: indentLines(body, lineIndent(file, call)),
      },
    ],
  };
}

/** The IIFE's text for one shape and one way of yielding; `t` drops the type annotations in JavaScript files. */
function walkBody(form: ScanForm, walk: string, typed: boolean): string {
  const t = (text: string) => (typed ? text : '');
  const strings = (name: string) => (typed ? `${name} as string[]` : name);
  // node-redis v4 yields one element per step, v5 and later an array: concat flattens either.
  const each = (type: string) => (typed ? `([] as ${type}[]).concat(chunk)` : '[].concat(chunk)');
  const define = (field: string, value: string) =>
    `Object.defineProperty(hash, ${field}, { ${value === 'value' ? 'value' : `value: ${value}`}, enumerable: true, writable: true, configurable: true })`;
  const lines: string[] = [];
  switch (form.shape) {
    case 'members':
    case 'keys': {
      const noun = form.shape === 'keys' ? 'key' : 'member';
      lines.push(`(async ()${t(': Promise<string[]>')} => {`, `  const found = new Set${t('<string>')}();`);
      lines.push(
        form.yields === 'flatStrings'
          ? `  for await (const batch of ${walk}) for (const ${noun} of ${strings('batch')}) found.add(${noun});`
          : `  for await (const chunk of ${walk}) for (const ${noun} of ${each('string')}) found.add(${noun});`,
      );
      lines.push('  return [...found];', '})()');
      break;
    }
    case 'hash': {
      lines.push(
        `(async ()${t(': Promise<Record<string, string>>')} => {`,
        `  const hash${t(': Record<string, string>')} = {};`,
      );
      lines.push('  // defineProperty keeps a field named `__proto__` as a field, as HGETALL does.');
      if (form.yields === 'flatStrings') {
        lines.push(
          `  for await (const batch of ${walk}) {`,
          `    const pairs = ${strings('batch')};`,
          `    for (let i = 0; i < pairs.length; i += 2) ${define(`pairs[i]${t('!')}`, 'pairs[i + 1]')};`,
          '  }',
        );
      } else {
        lines.push(
          `  for await (const chunk of ${walk})`,
          `    for (const { field, value } of ${each('{ field: string; value: string }')}) ${define('field', 'value')};`,
        );
      }
      lines.push('  return hash;', '})()');
      break;
    }
    case 'sortedMembers': {
      const [a, b] = form.reverse ? ['y', 'x'] : ['x', 'y'];
      const [m, n] = form.reverse ? ['b', 'a'] : ['a', 'b'];
      lines.push(`(async ()${t(': Promise<string[]>')} => {`, `  const scores = new Map${t('<string, number>')}();`);
      if (form.yields === 'flatStrings') {
        lines.push(
          "  // ZSCAN sends scores as text; Redis writes infinite ones as 'inf' and '-inf'.",
          `  const score = (text${t(': string')}) => (text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text));`,
          `  for await (const batch of ${walk}) {`,
          `    const pairs = ${strings('batch')};`,
          `    for (let i = 0; i < pairs.length; i += 2) scores.set(pairs[i]${t('!')}, score(pairs[i + 1]${t('!')}));`,
          '  }',
        );
      } else {
        lines.push(
          `  for await (const chunk of ${walk})`,
          `    for (const { value, score } of ${each('{ value: string; score: number }')}) scores.set(value, score);`,
        );
      }
      lines.push(
        `  // ZSCAN walks in no order: sort as ${form.reverse ? 'ZREVRANGE' : 'ZRANGE'} does, by score, then by the members' bytes.`,
        '  return [...scores]',
        `    .sort(([a, x], [b, y]) => ${a} - ${b} || Buffer.compare(Buffer.from(${m}), Buffer.from(${n})))`,
        '    .map(([member]) => member);',
        '})()',
      );
      break;
    }
  }
  return lines.join('\n');
}

/** The indentation of the line `node` starts on. */
function lineIndent(file: FileModel, node: ts.Node): string {
  return lineStartAndIndent(file.text, node.getStart(file.sourceFile)).indent;
}

/** The SCAN rewrite of a whole read, when its library's forms list one the client has; else none. */
export function scanFixes(file: FileModel, trip: RoundTrip, analysis: ProjectAnalysis): FixProposal[] {
  const form = own(fixFormsOf(trip.library.id).scan, trip.method);
  if (!form || !analysis.knowledge.methodOf(trip.typeName, form.method)) return [];
  const fix = wholeReadToScanFix(file, trip.call, form);
  return fix ? [fix] : [];
}
