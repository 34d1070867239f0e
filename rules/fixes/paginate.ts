// unbounded-read's pagination fix: the bound plus an offset taken from a page parameter of the enclosing function (added
// as `page = 0` when it has none), for options (`take`/`skip`), builder calls (`.limit().offset()`) and SQL text.
import { ts } from 'ts-morph';
import { argumentsOf, calleeOf } from '../analysis/calls';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import { enclosingFunction, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { fixFormsOf, PAGE_PARAMETERS, type SqlPageForm } from '../knowledge/fixForms';
import { own } from '../knowledge/own';
import { lazyFix } from './lazy';
import type { Rewrite } from './rewrite';

/** Where the page goes: one text insertion, as offsets into the analysed text. */
interface Insertion {
  at: number;
  /** `$OFFSET` stands for the offset expression (`page * 100`). */
  text: string;
}

interface PageParameter {
  name: string;
  /** `page` counts pages (the offset is `page * size`); `offset` counts rows. */
  counts: 'page' | 'offset';
  /** Where to add `page = 0` (after the last parameter, or inside empty parentheses); undefined: it exists. */
  addAt?: number;
  /** Parentheses the parameter list needs (`x => …` becomes `(x, page = 0) => …`). */
  wrap?: { start: number };
  /** The parameter may be undefined (`page?: number`, a destructured field without a default). */
  optional: boolean;
}

export interface PaginateFacts {
  insertions: Insertion[];
  pageSize: number;
  param: PageParameter;
}

/** Why no pagination could be threaded, for the explanation-only action. */
export type NoPagination = { reason: 'moduleScope' | 'callback' | 'nameTaken' | 'noForm' | 'shape' };

/** The pagination suggestion for an unbounded read, or why there is none. */
export function paginationFix(
  file: FileModel,
  trip: RoundTrip,
  pageSize: number,
  analysis: ProjectAnalysis,
): FixProposal | NoPagination {
  const fn = enclosingFunction(trip.node);
  if (!fn) return { reason: 'moduleScope' };
  const placed =
    trip.sql !== undefined ? sqlInsertions(file, trip, pageSize) : boundInsertions(file, trip, pageSize, analysis);
  if (!placed) return { reason: placed === null ? 'noForm' : 'shape' };
  const param = pageParameter(file, fn, analysis);
  if (typeof param === 'string') return { reason: param };
  const facts: PaginateFacts = { insertions: placed.insertions, pageSize, param };
  const how = param.addAt !== undefined ? `a \`${param.name} = 0\` parameter` : `\`${param.name}\``;
  return lazyFix(`Paginate: ${placed.label} from ${how} (offset pagination)`, 'suggestion', 'paginate', {
    ...facts,
  });
}

/** Builds the edits: every insertion, last first, so the earlier offsets still hold. */
export function resolvePaginateFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = raw as unknown as PaginateFacts;
  const file = rewrite.open(rewrite.path);
  const { param, pageSize } = facts;
  const value = param.optional ? `(${param.name} ?? 0)` : param.name;
  const offset =
    param.counts === 'page' ? `${value} * ${pageSize}` : param.optional ? `${param.name} ?? 0` : param.name;
  const all: Insertion[] = facts.insertions.map((i) => ({ at: i.at, text: i.text.replaceAll('$OFFSET', offset) }));
  if (param.addAt !== undefined) {
    const text = file.getFullText();
    const empty = /\(\s*$/.test(text.slice(0, param.addAt));
    // `x => …` becomes `(x, page = 0) => …`: the closing parenthesis comes with the parameter.
    all.push({ at: param.addAt, text: `${empty ? '' : ', '}${param.name} = 0${param.wrap ? ')' : ''}` });
    if (param.wrap) all.push({ at: param.wrap.start, text: '(' });
  }
  all.sort((a, b) => b.at - a.at);
  for (const insertion of all) file.insertText(insertion.at, insertion.text);
}

/** `take: 100, skip: $OFFSET` in the options, or `.limit(100).offset($OFFSET)` in the chain, where the bound goes. */
function boundInsertions(
  file: FileModel,
  trip: RoundTrip,
  size: number,
  analysis: ProjectAnalysis,
): { insertions: Insertion[]; label: string } | null | undefined {
  const bound = trip.spec.bound;
  if (!bound || !ts.isCallExpression(trip.call)) return null;
  const forms = fixFormsOf(trip.library.id).page;
  const optionName = bound.options.find((name) => own(forms, name));
  if (optionName) {
    const offsetName = own(forms, optionName)!.offset;
    const pair = `${optionName}: ${size}, ${offsetName}: $OFFSET`;
    const at = optionsInsertion(file, trip.call, bound.optionsArg, pair, offsetName);
    if (at) return { insertions: [at], label: `\`${optionName}: ${size}, ${offsetName}\`` };
  }
  // No options object to extend (`Model.find(filter)` takes them third): a builder call, where the chain has one.
  const method = bound.chain.find((name) => own(forms, name));
  if (!method) return optionName ? undefined : null;
  if (ts.isIdentifier(skipOuterExpressions(trip.node))) return undefined;
  const offsetName = own(forms, method)!.offset;
  const text = `.${method}(${size}).${offsetName}($OFFSET)`;
  const label = `\`.${method}(${size}).${offsetName}()\``;
  if (trip.spec.returns) {
    const returned = analysis.knowledge.resolveType(trip.library, trip.spec.returns);
    const ok =
      returned &&
      analysis.knowledge.methodOf(returned.qualifiedName, method) &&
      analysis.knowledge.methodOf(returned.qualifiedName, offsetName);
    return ok ? { insertions: [{ at: trip.call.end, text }], label } : undefined;
  }
  const callee = skipOuterExpressions(calleeOf(trip.call));
  if (
    ts.isPropertyAccessExpression(callee) &&
    analysis.knowledge.methodOf(trip.typeName, method) &&
    analysis.knowledge.methodOf(trip.typeName, offsetName)
  )
    return { insertions: [{ at: callee.expression.end, text }], label };
  return undefined;
}

/** Where `pair` goes in the options argument; undefined when the options are not a literal or already skip. */
function optionsInsertion(
  file: FileModel,
  call: ts.CallExpression,
  argIndex: number,
  pair: string,
  offsetName: string,
): Insertion | undefined {
  const args = call.arguments;
  const arg = args[argIndex];
  if (arg) {
    const literal = skipOuterExpressions(arg);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    // A spread may hold a skip of its own; a written one would be a duplicate key.
    const clash = literal.properties.some(
      (p) => ts.isSpreadAssignment(p) || (p.name !== undefined && p.name.getText(file.sourceFile) === offsetName),
    );
    if (clash) return undefined;
    if (literal.properties.length === 0) return { at: literal.getStart(file.sourceFile) + 1, text: ` ${pair} ` };
    const last = literal.properties[literal.properties.length - 1]!;
    return { at: last.end, text: `, ${pair}` };
  }
  if (args.length !== argIndex) return undefined;
  const at = args.length === 0 ? args.end : args[args.length - 1]!.end;
  return { at, text: `${args.length === 0 ? '' : ', '}{ ${pair} }` };
}

/** ` LIMIT 100 OFFSET $n` (a parameter numbered after the query's own, or `?`, or `${…}`) and the bound value. */
function sqlInsertions(
  file: FileModel,
  trip: RoundTrip,
  size: number,
): { insertions: Insertion[]; label: string } | null | undefined {
  const form: SqlPageForm | undefined = own(fixFormsOf(trip.library.id).sqlPage, trip.method);
  if (!form) return null;
  const label = `\`LIMIT ${size} OFFSET\``;
  if (form.placeholders === 'tagged') {
    if (!ts.isTaggedTemplateExpression(trip.call)) return undefined;
    const at = sqlEnd(file, trip.call.template);
    return at === undefined ? undefined : { insertions: [{ at, text: ` LIMIT ${size} OFFSET \${$OFFSET}` }], label };
  }
  const args = argumentsOf(trip.call);
  const sqlIndex = trip.spec.sqlArg ?? 0;
  const sqlArg = args[sqlIndex];
  const sqlLiteral = sqlArg && skipOuterExpressions(sqlArg);
  if (!sqlLiteral || !ts.isCallExpression(trip.call)) return undefined;
  if (!ts.isStringLiteral(sqlLiteral) && !ts.isNoSubstitutionTemplateLiteral(sqlLiteral)) return undefined;
  const at = sqlEnd(file, sqlLiteral);
  if (at === undefined) return undefined;
  const numbers = [...sqlLiteral.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  const placeholder = form.placeholders === 'numbered' ? `$${Math.max(0, ...numbers) + 1}` : '?';
  const limit: Insertion = { at, text: ` LIMIT ${size} OFFSET ${placeholder}` };
  const params = args[sqlIndex + 1];
  if (!params) {
    if (args.length !== sqlIndex + 1) return undefined;
    return { insertions: [limit, { at: sqlArg.end, text: ', [$OFFSET]' }], label };
  }
  const array = skipOuterExpressions(params);
  if (!ts.isArrayLiteralExpression(array) || array.elements.some(ts.isSpreadElement)) return undefined;
  // Numbered parameters must line up with the array: as many elements as the highest `$n`.
  if (form.placeholders === 'numbered' && array.elements.length !== Math.max(0, ...numbers)) return undefined;
  const valueAt =
    array.elements.length === 0
      ? { at: array.elements.end, text: '$OFFSET' }
      : { at: array.elements[array.elements.length - 1]!.end, text: ', $OFFSET' };
  return { insertions: [limit, valueAt], label };
}

/**
 * The offset just past the SQL text's last clause (before a trailing `;` and blanks); undefined when it ends in a
 * comment.
 */
function sqlEnd(file: FileModel, literal: ts.Node): number | undefined {
  const start = literal.getStart(file.sourceFile) + 1;
  const body = file.text.slice(start, literal.end - 1);
  const trimmed = body.replace(/\s+$/, '');
  // A trailing comment would swallow the clause; an OFFSET, FOR UPDATE or UNION tail needs a person to place it.
  if (/--[^\n]*$/.test(trimmed) || /\b(offset|for\s+update|for\s+share|union|intersect|except)\b/i.test(trimmed))
    return undefined;
  return start + (trimmed.endsWith(';') ? trimmed.length - 1 : trimmed.length);
}

/**
 * The page parameter: one the function already has (`page`, `offset`, a destructured `{ page }`), or `page = 0` added
 * at the end — only to a function the code itself calls: a callback, a framework's handler or a function passed as a
 * value gets its arguments from its caller, and an added parameter would receive one of those.
 */
function pageParameter(
  file: FileModel,
  fn: ts.FunctionLikeDeclaration,
  analysis: ProjectAnalysis,
): PageParameter | 'callback' | 'nameTaken' {
  for (const parameter of fn.parameters) {
    const found = namedPageBinding(parameter);
    if (found) return found;
  }
  if (!ownCallsOnly(file, fn, analysis)) return 'callback';
  const last = fn.parameters[fn.parameters.length - 1];
  if (last?.dotDotDotToken) return 'callback';
  if (usesName(fn, 'page')) return 'nameTaken';
  const wrap =
    ts.isArrowFunction(fn) && fn.parameters.length === 1 && !hasParentheses(file, fn)
      ? { start: fn.parameters[0]!.getStart(file.sourceFile) }
      : undefined;
  const addAt = last ? last.end : fn.parameters.end;
  return { name: 'page', counts: 'page', addAt, wrap, optional: false };
}

function namedPageBinding(parameter: ts.ParameterDeclaration): PageParameter | undefined {
  const counts = (name: string): 'page' | 'offset' | undefined =>
    PAGE_PARAMETERS.page.includes(name) ? 'page' : PAGE_PARAMETERS.offset.includes(name) ? 'offset' : undefined;
  const numeric = (type: ts.TypeNode | undefined) => !type || type.kind === ts.SyntaxKind.NumberKeyword;
  if (ts.isIdentifier(parameter.name)) {
    const kind = counts(parameter.name.text);
    if (kind && numeric(parameter.type))
      return { name: parameter.name.text, counts: kind, optional: !!parameter.questionToken && !parameter.initializer };
  }
  // `opts: { page?: number; q: string }`: the page is a field of an options parameter.
  if (ts.isIdentifier(parameter.name) && parameter.type && ts.isTypeLiteralNode(parameter.type)) {
    for (const member of parameter.type.members) {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name) || !numeric(member.type)) continue;
      const kind = counts(member.name.text);
      const name = `${parameter.name.text}.${member.name.text}`;
      if (kind) return { name, counts: kind, optional: !!member.questionToken || !!parameter.questionToken };
    }
  }
  if (!ts.isObjectBindingPattern(parameter.name)) return undefined;
  for (const element of parameter.name.elements) {
    if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
    const kind = counts(element.name.text);
    if (kind) return { name: element.name.text, counts: kind, optional: !element.initializer };
  }
  return undefined;
}

/** Whether every use of the function is a call the project makes (never a callback, a handler or a value passed on). */
function ownCallsOnly(file: FileModel, fn: ts.FunctionLikeDeclaration, analysis: ProjectAnalysis): boolean {
  const ref = { file, node: fn };
  if (analysis.registeredEntry(ref) || analysis.entryKind(ref)) return false;
  let named: ts.Identifier | undefined;
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn))
    named = fn.name && ts.isIdentifier(fn.name) ? fn.name : undefined;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent))
    named = ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  if (!named) return false;
  // Same-file uses other than calls (`router.get('/', list)`, `items.map(list)`) pass the function on.
  let passedOn = false;
  const visit = (node: ts.Node): void => {
    if (passedOn) return;
    if (ts.isIdentifier(node) && node !== named && node.text === named!.text) {
      const parent = node.parent;
      const called = (ts.isCallExpression(parent) && parent.expression === node) || ts.isExportSpecifier(parent);
      const member = ts.isPropertyAccessExpression(parent) && parent.name === node;
      if (!called && !member) passedOn = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  return !passedOn;
}

function usesName(fn: ts.Node, name: string): boolean {
  let used = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) used = true;
    if (!used) ts.forEachChild(node, visit);
  };
  visit(fn);
  return used;
}

function hasParentheses(file: FileModel, fn: ts.ArrowFunction): boolean {
  const first = fn.parameters[0]!;
  return file.text.slice(fn.getStart(file.sourceFile), first.getStart(file.sourceFile)).includes('(');
}

const WHY: Record<NoPagination['reason'], string> = {
  moduleScope: 'it runs once at module scope, where no caller can pass a page',
  callback: 'its function gets its arguments from a framework or a caller it is passed to',
  nameTaken: 'its function already uses the name `page` for something else',
  noForm: 'this read has no offset the fix knows',
  shape: 'the options, parameters or SQL text are built in a way the fix cannot extend safely',
};

/** The pagination suggestion, or an explanation-only action saying why none is safe and how to page by hand. */
export function paginationFixes(
  file: FileModel,
  trip: RoundTrip,
  pageSize: number,
  analysis: ProjectAnalysis,
): FixProposal[] {
  const result = paginationFix(file, trip, pageSize, analysis);
  if (!('reason' in result)) return [result];
  return [
    {
      title: `Why no pagination rewrite: ${WHY[result.reason]} (docs)`,
      kind: 'suggestion',
      edits: [],
      explanation: '#paginating-by-hand',
    },
  ];
}
