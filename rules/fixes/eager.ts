// ORM eager loading for n-plus-one: the loop walks a relation of rows read just before (`findUnique(…).posts()`,
// `comment.populate('author')`, `post.getAuthor()`, `relation(Post, 'author').of(post).loadOne()`); the read of those
// rows loads the relation (`include`, `.populate()`, `relations`, `leftJoinAndSelect`) and the loop reads what was
// loaded. The forms are data (rules/knowledge/eagerForms.ts); a relation the models do not declare gets no edit.
import { ts } from 'ts-morph';
import { z } from 'zod';
import { fixFormsOf, type EagerForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import type { Rewrite } from './rewrite';
import { freeName, nodeAt, skipParens } from './batchSyntax';
import { ownerOfRead, walkedRelation } from './eagerRelations';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
const EagerFacts = z.object({ library: z.string(), method: z.string(), loop: Span, read: Span, call: Span });
type EagerFacts = z.infer<typeof EagerFacts>;

/** The relation is walked, but no declaration the engine can see names it: explain, do not guess a name. */
interface Undeclared {
  undeclared: string;
  owner: string | undefined;
}

interface EagerPlan {
  relation: string;
  collection: string;
  /** Edits, later offsets first: the parent read loads the relation, the per-element read becomes the loaded value. */
  edits: { start: number; end: number; text: string }[];
}

export function eagerFix(sourceFile: ts.SourceFile, raw: EagerFacts): FixProposal[] {
  const facts = EagerFacts.parse(raw);
  const form = eagerFormOf(facts);
  const plan = form && planEager(sourceFile, facts, form);
  if (!plan || typeof plan === 'string') return [];
  if ('undeclared' in plan)
    return [
      {
        title: `Not loaded eagerly: no relation \`${plan.undeclared}\`${plan.owner ? ` of \`${plan.owner}\`` : ''} is declared in this file (see the docs)`,
        kind: 'suggestion',
        edits: [],
        explanation: '#eager-loading-by-hand',
      },
    ];
  return [
    lazyFix(
      `Load \`${plan.relation}\` with \`${plan.collection}\` (eager loading): no query per element`,
      'suggestion',
      'eager',
      facts,
    ),
  ];
}

/** The `eager` fix family. */
export function resolveEagerFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = EagerFacts.parse(raw);
  const form = eagerFormOf(facts);
  if (!form) throw new Error(`no eager form for ${facts.library} ${facts.method}`);
  const file = rewrite.open(rewrite.path);
  const plan = planEager(file.compilerNode, facts, form);
  if (typeof plan === 'string') throw new Error(`cannot load this relation eagerly: ${plan}`);
  if ('undeclared' in plan) throw new Error(`the relation \`${plan.undeclared}\` is not declared`);
  for (const edit of plan.edits.sort((a, b) => b.start - a.start)) file.replaceText([edit.start, edit.end], edit.text);
}

function eagerFormOf(facts: EagerFacts): EagerForm | undefined {
  const forms = fixFormsOf(facts.library).eager;
  if (Object.hasOwn(forms, facts.method)) return forms[facts.method];
  return Object.values(forms).find((f) => f.methodPattern && new RegExp(f.methodPattern).test(facts.method));
}

/** `const users = await <read>;` in a block that holds the loop, before it. */
function parentRead(loop: ts.Node, name: string): ts.Expression | undefined {
  let statement: ts.Node = loop;
  while (statement.parent && !ts.isBlock(statement.parent)) {
    if (ts.isFunctionLike(statement.parent)) return undefined;
    statement = statement.parent;
  }
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  for (const s of block.statements) {
    if (s === statement) break;
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of s.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && ts.isAwaitExpression(d.initializer))
        return d.initializer.expression;
  }
  return undefined;
}

/** The call of a chain (`Comment.find(q).sort(s)`) whose method is one of `names`, and its receiver's text. */
function callNamed(expr: ts.Expression, names: string[]): ts.CallExpression | undefined {
  let node: ts.Expression = expr;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    if (names.includes(node.expression.name.text)) return node;
    node = node.expression.expression;
  }
  return undefined;
}

function planEager(sourceFile: ts.SourceFile, facts: EagerFacts, form: EagerForm): EagerPlan | Undeclared | string {
  const loop = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  const call = nodeAt(sourceFile, facts.call);
  if (!loop || !read || !call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression))
    return 'the code moved';
  let element: string;
  let collection: ts.Expression;
  if (ts.isForOfStatement(loop) && ts.isVariableDeclarationList(loop.initializer)) {
    const name = loop.initializer.declarations[0]?.name;
    if (!name || !ts.isIdentifier(name)) return 'loop binding';
    element = name.text;
    collection = loop.expression;
  } else if (ts.isCallExpression(loop) && ts.isPropertyAccessExpression(loop.expression)) {
    const callback = loop.arguments[0];
    const param = callback && ts.isFunctionLike(callback) ? callback.parameters[0] : undefined;
    if (!param || !ts.isIdentifier(param.name)) return 'callback';
    element = param.name.text;
    collection = loop.expression.expression;
  } else return 'loop kind';
  if (!ts.isIdentifier(collection)) return 'the collection is not a local';
  const parent = parentRead(loop, collection.text);
  const parentCall = parent && callNamed(parent, form.parents);
  if (!parentCall || !ts.isPropertyAccessExpression(parentCall.expression)) return 'no read of the rows just before';

  // The relation, and the per-element expression that reads it.
  let relation: string;
  let walked: ts.Node;
  let model: string | undefined;
  // A query builder read (`createQueryBuilder('post')….getMany()`) joins the relation after the builder's start.
  const builder = form.builderLoad?.parents.includes(parentCall.expression.name.text) ? form.builderLoad : undefined;
  const start = builder && callNamed(parent, [builder.start]);
  if (builder && !start) return 'no query builder start';
  if (form.relation === 'accessor' || form.relation === 'relationBuilder') {
    const receiver = (start ?? parentCall).expression;
    if (!ts.isPropertyAccessExpression(receiver)) return 'parent receiver';
    const owner = ownerOfRead(sourceFile, receiver.expression, form);
    const found = walkedRelation(sourceFile, call, element, owner, form);
    if (typeof found === 'string') return found;
    if (!found.declared || (form.load.kind === 'option' && form.load.arrayEntry?.includes('$MODEL') && !found.model))
      return { undeclared: found.relation, owner: found.owner };
    relation = found.relation;
    model = found.model;
    walked = read;
  } else if (form.relation === 'fluentCall') {
    // `prisma.user.findUnique({ where: { id: user.id } }).posts()`: the same model, by the element's own key.
    const fluent = call.parent;
    if (!ts.isPropertyAccessExpression(fluent) || !ts.isCallExpression(fluent.parent)) return 'no relation walked';
    if (fluent.parent.arguments.length > 0 || fluent.parent !== read) return 'relation options';
    relation = fluent.name.text;
    if (call.expression.expression.getText(sourceFile) !== parentCall.expression.expression.getText(sourceFile))
      return 'another model';
    const where = whereOf(call, sourceFile);
    if (!where || where.properties.length !== 1) return 'not a read by key';
    const property = where.properties[0]!;
    if (!ts.isPropertyAssignment(property) || !ts.isPropertyAccessExpression(property.initializer)) return 'key';
    const value = property.initializer;
    if (!ts.isIdentifier(value.expression) || value.expression.text !== element) return 'not the element’s key';
    if (value.name.text !== property.name.getText(sourceFile)) return 'not the element’s own key';
    walked = read;
  } else {
    const receiver = call.expression.expression;
    const arg = call.arguments[0];
    if (!ts.isIdentifier(receiver) || receiver.text !== element) return 'not a method of the element';
    if (call.arguments.length !== 1 || !arg || !ts.isStringLiteralLike(arg)) return 'relation argument';
    relation = arg.text;
    walked = read;
  }
  const awaited = skipParens(walked);
  if (!ts.isAwaitExpression(awaited)) return 'the relation is not awaited where it is read';

  const edits: EagerPlan['edits'] = [];
  const fill = (template: string) =>
    template
      .replace(/\$QREL/g, quoted(sourceFile, relation))
      .replace(/\$REL/g, form.load.kind === 'chain' ? quoted(sourceFile, relation) : relation)
      .replace(/\$MODEL/g, model ?? '')
      .replace(/\$EL/g, element);
  if (builder && start) {
    const alias = start.arguments[0];
    if (!alias || !ts.isStringLiteralLike(alias)) return 'query builder without an alias';
    const chain = parent.getText(sourceFile);
    for (
      let node: ts.Expression = parentCall;
      node !== start && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression);
      node = node.expression.expression
    )
      if (builder.refuse.includes(node.expression.name.text)) return `\`${node.expression.name.text}\` in the read`;
    const join = fill(builder.call)
      .replace(/\$QALIAS_REL/g, quoted(sourceFile, `${alias.text}.${relation}`))
      .replace(/\$QJOIN/g, quoted(sourceFile, freeName(chain, relation)));
    edits.push({ start: start.end, end: start.end, text: `.${join}` });
  } else if (form.load.kind === 'option') {
    const options = parentCall.arguments[form.load.arg];
    const load = form.load;
    const property = load.property;
    const entry = load.entry && fill(load.entry);
    const arrayEntry = load.arrayEntry && fill(load.arrayEntry);
    const added =
      load.shape === 'array' && arrayEntry ? `${property}: [${arrayEntry}]` : entry ? `${property}: { ${entry} }` : '';
    if (!added) return 'no entry for a new option';
    if (!options) {
      if (parentCall.arguments.length !== form.load.arg) return 'options sit after missing arguments';
      const close = parentCall.end - 1;
      edits.push({ start: close, end: close, text: `{ ${added} }` });
    } else if (ts.isObjectLiteralExpression(options)) {
      const names = options.properties.map((p) => p.name?.getText(sourceFile));
      if (names.some((n) => n && form.refuseOptions.includes(n))) return 'options that leave the relation out';
      const existing = options.properties.find((p) => p.name?.getText(sourceFile) === property);
      if (existing) {
        if (!ts.isPropertyAssignment(existing)) return 'an include the fix cannot extend';
        const value = existing.initializer;
        const elements = ts.isObjectLiteralExpression(value)
          ? value.properties
          : ts.isArrayLiteralExpression(value)
            ? value.elements
            : undefined;
        const text = ts.isObjectLiteralExpression(value) ? entry : ts.isArrayLiteralExpression(value) ? arrayEntry : '';
        if (!elements || !text) return 'an include the fix cannot extend';
        const mentionsRelation = (e: ts.Node) =>
          new RegExp(`(^|[^\\w])${relation}([^\\w]|$)`).test(e.getText(sourceFile));
        if (elements.some(mentionsRelation)) return 'already included';
        const at = elements.length > 0 ? elements[elements.length - 1]!.end : value.getStart(sourceFile) + 1;
        const pad = ts.isObjectLiteralExpression(value) ? ' ' : '';
        edits.push({ start: at, end: at, text: elements.length > 0 ? `, ${text}` : `${pad}${text}${pad}` });
      } else {
        const last = options.properties[options.properties.length - 1];
        const at = last ? last.end : options.getStart(sourceFile) + 1;
        edits.push({ start: at, end: at, text: last ? `, ${added}` : ` ${added} ` });
      }
    } else return 'options are not an object literal';
  } else {
    edits.push({ start: parentCall.end, end: parentCall.end, text: `.${fill(form.load.call)}` });
  }
  // The per-element read becomes the loaded value; a statement that only awaited it goes.
  const statement = awaited.parent;
  if (ts.isExpressionStatement(statement)) {
    const text = sourceFile.text;
    const lineStart = text.lastIndexOf('\n', statement.getStart(sourceFile) - 1) + 1;
    const onItsLine = text.slice(lineStart, statement.getStart(sourceFile)).trim() === '';
    const lineEnd = text.indexOf('\n', statement.end);
    if (!onItsLine || !ts.isBlock(statement.parent)) return 'the awaited relation is the loop body';
    edits.push({ start: lineStart, end: lineEnd < 0 ? statement.end : lineEnd + 1, text: '' });
  } else {
    // `(x ?? undefined)` needs no parentheses where it stands alone (an initializer, an argument, a return).
    const up = awaited.parent;
    const alone =
      ts.isVariableDeclaration(up) ||
      ts.isReturnStatement(up) ||
      ts.isParenthesizedExpression(up) ||
      (ts.isCallExpression(up) && up.arguments.includes(awaited as ts.Expression));
    const text = fill(form.replacement);
    edits.push({
      start: awaited.getStart(sourceFile),
      end: awaited.end,
      text: alone ? text.replace(/^\((.*)\)$/s, '$1') : text,
    });
  }
  return { relation, collection: collection.text, edits };
}

function whereOf(call: ts.CallExpression, sourceFile: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options) || options.properties.length !== 1) return undefined;
  const where = options.properties[0]!;
  return ts.isPropertyAssignment(where) &&
    where.name.getText(sourceFile) === 'where' &&
    ts.isObjectLiteralExpression(where.initializer)
    ? where.initializer
    : undefined;
}

function quoted(sourceFile: ts.SourceFile, text: string): string {
  const quote = /\b(?:from|require\()\s*(["'])/.exec(sourceFile.text)?.[1] ?? "'";
  return `${quote}${text}${quote}`;
}
