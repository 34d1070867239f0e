// Which relation a per-element read walks, and whether the models declare it: Sequelize association accessors
// (`post.getAuthor()` ↔ `Post.belongsTo(User, { as: 'author' })`) and TypeORM relation query builders
// (`relation(Post, 'author').of(post)` ↔ `@ManyToOne(() => User) author`). Syntax only, in the finding's file.
import { ts } from 'ts-morph';
import type { EagerForm, RelationDeclaration } from '../knowledge/fixForms';

/** The relation a per-element read walks, the entity or model it belongs to, and the related model when declared. */
export interface WalkedRelation {
  relation: string;
  /** The model or entity whose rows the loop walks (`Post`). */
  owner: string | undefined;
  /** The related model (`User`), from the declaration; undefined when the declaration was not found. */
  model: string | undefined;
  declared: boolean;
}

function lowerFirst(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1);
}

/** Every call in the file, once. */
function callsOf(sourceFile: ts.SourceFile): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** `Post.belongsTo(User, { as: 'author' })` whose accessor (`getAuthor`) is `method`, with `Post` as the source. */
function associationFor(
  sourceFile: ts.SourceFile,
  declaration: Extract<RelationDeclaration, { kind: 'associationCall' }>,
  owner: string,
  method: string,
): { relation: string; model: string } | undefined {
  for (const call of callsOf(sourceFile)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !declaration.methods.includes(callee.name.text)) continue;
    if (callee.expression.getText(sourceFile) !== owner) continue;
    const [target, options] = call.arguments;
    if (!target || !ts.isIdentifier(target) || !options || !ts.isObjectLiteralExpression(options)) continue;
    for (const p of options.properties) {
      if (!ts.isPropertyAssignment(p) || p.name.getText(sourceFile) !== declaration.aliasOption) continue;
      if (!ts.isStringLiteralLike(p.initializer)) continue;
      const alias = p.initializer.text;
      const accessor = `${declaration.accessorPrefix}${alias[0]!.toUpperCase()}${alias.slice(1)}`;
      if (accessor === method) return { relation: alias, model: target.text };
    }
  }
  return undefined;
}

/** The class `owner` declares `relation` as a property with a relation decorator (`@ManyToOne(() => User)`). */
function decoratedRelation(
  sourceFile: ts.SourceFile,
  declaration: Extract<RelationDeclaration, { kind: 'decorator' }>,
  owner: string,
  relation: string,
): boolean {
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== owner) continue;
    for (const member of statement.members) {
      if (!ts.isPropertyDeclaration(member) || member.name.getText(sourceFile) !== relation) continue;
      return (ts.getDecorators(member) ?? []).some((d) => {
        const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
        return ts.isIdentifier(callee) && declaration.decorators.includes(callee.text);
      });
    }
  }
  return false;
}

/** The relation walked by `call` on `element`, or a reason it is not one this form knows. */
export function walkedRelation(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression,
  element: string,
  owner: string | undefined,
  form: EagerForm,
): WalkedRelation | string {
  if (!ts.isPropertyAccessExpression(call.expression)) return 'not a method call';
  if (form.relation === 'accessor') {
    const receiver = call.expression.expression;
    if (!ts.isIdentifier(receiver) || receiver.text !== element) return 'not an accessor of the element';
    if (call.arguments.length > 0) return 'accessor options';
    const method = call.expression.name.text;
    const declaration = form.declared;
    const found =
      owner && declaration?.kind === 'associationCall'
        ? associationFor(sourceFile, declaration, owner, method)
        : undefined;
    const relation = found?.relation ?? lowerFirst(method.replace(/^[a-z]+/, ''));
    return { relation, owner, model: found?.model, declared: found !== undefined };
  }
  // `X.relation(Post, 'author').of(post).loadOne()`.
  const of = call.expression.expression;
  if (!ts.isCallExpression(of) || !ts.isPropertyAccessExpression(of.expression) || of.expression.name.text !== 'of')
    return 'no `of(element)`';
  const target = of.arguments[0];
  if (of.arguments.length !== 1 || !target || !ts.isIdentifier(target) || target.text !== element)
    return 'not the element’s relation';
  const rel = of.expression.expression;
  if (!ts.isCallExpression(rel) || !ts.isPropertyAccessExpression(rel.expression)) return 'no `relation(…)`';
  const [entity, name] = rel.arguments;
  if (rel.expression.name.text !== 'relation' || !entity || !ts.isIdentifier(entity)) return 'relation entity';
  if (!name || !ts.isStringLiteralLike(name) || rel.arguments.length !== 2) return 'relation name';
  if (owner !== undefined && owner !== entity.text) return 'another entity';
  const declaration = form.declared;
  const declared =
    declaration?.kind === 'decorator' && decoratedRelation(sourceFile, declaration, entity.text, name.text);
  return { relation: name.text, owner: entity.text, model: undefined, declared };
}

/**
 * The entity or model a parent read reads: `Post.findAll()`, `Post.find()` (static), `repo.find()` with
 * `const repo = x.getRepository(Post)`, `x.getRepository(Post).find()`, or the receiver of a query builder's start.
 */
export function ownerOfRead(sourceFile: ts.SourceFile, receiver: ts.Expression, form: EagerForm): string | undefined {
  const fromRepository = (expr: ts.Expression): string | undefined => {
    if (
      ts.isCallExpression(expr) &&
      ts.isPropertyAccessExpression(expr.expression) &&
      form.repositoryOf.includes(expr.expression.name.text)
    ) {
      const entity = expr.arguments[0];
      return entity && ts.isIdentifier(entity) ? entity.text : undefined;
    }
    return undefined;
  };
  const direct = fromRepository(receiver);
  if (direct) return direct;
  if (!ts.isIdentifier(receiver)) return undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === receiver.text) return receiver.text;
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === receiver.text && d.initializer)
        return fromRepository(d.initializer);
  }
  // An imported model class (`import { Post } from './models'`) names itself.
  return /^[A-Z]/.test(receiver.text) ? receiver.text : undefined;
}
