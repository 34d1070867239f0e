// The unpooled-connection fix: a client created per call becomes one module-level pool or client with the skill's
// settings in the library's own option names (a pg `Client` per request becomes a `Pool`, not a shared `Client`).
import type { CallExpression, NewExpression, Node as MorphNode, SourceFile } from 'ts-morph';
import { Node, SyntaxKind } from './morph';
import { z } from 'zod';
import type { RuleOptions } from '../analysis/config';
import { fillTemplate, fixFormsOf, type PoolForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import { ensureImport, type CodeStyle, type Rewrite } from './rewrite';

const PoolFacts = z.object({
  library: z.string(),
  typeName: z.string(),
  creation: z.object({ start: z.number().int(), end: z.number().int() }),
  settings: z.record(z.string(), z.number()),
});
type PoolFacts = z.infer<typeof PoolFacts>;

/** The pooling suggestion for a per-call creation, when the library has a pooled form for that client type. */
export function poolFix(
  libraryId: string,
  qualifiedType: string,
  creation: { start: number; end: number },
  options: RuleOptions<'unpooled-connection'>,
): FixProposal[] {
  // `pg.Client`: the type's own library decides the form (a mysql2 type may be declared by the mysql table).
  const dot = qualifiedType.indexOf('.');
  const library = dot > 0 ? qualifiedType.slice(0, dot) : libraryId;
  const typeName = dot > 0 ? qualifiedType.slice(dot + 1) : qualifiedType;
  const form = poolFormFor(library, typeName);
  if (!form) return [];
  const settings = { ...options, recycleAfterSeconds: Math.round(options.recycleAfterMs / 1000) };
  const what = `one shared \`${form.construct === 'new' ? form.ctor : `${form.ctor}()`}\``;
  return [
    lazyFix(
      `Create ${what} at module scope (pool ${options.poolSize}, acquire timeout ${options.acquireTimeoutMs / 1000} s) and reuse it`,
      'suggestion',
      'pool',
      { library, typeName, creation, settings },
    ),
  ];
}

function poolFormFor(library: string, typeName: string): PoolForm | undefined {
  return fixFormsOf(library).pool.find((form) => form.replaces.includes(typeName));
}

type Creation = NewExpression | CallExpression;

/** The `pool` fix family. */
export function resolvePoolFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = PoolFacts.parse(raw);
  const form = poolFormFor(facts.library, facts.typeName);
  if (!form) throw new Error(`no pooled form of ${facts.library} ${facts.typeName}`);
  const file = rewrite.open(rewrite.path);
  const style = rewrite.style(rewrite.path);
  const creation = rewrite.nodeAt(
    file,
    facts.creation.start,
    facts.creation.end,
    (n: MorphNode): n is Creation => Node.isNewExpression(n) || Node.isCallExpression(n),
  );
  const fn = creation.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n));
  if (!fn) throw new Error('the client is not created in a function');
  const locals = localNames(fn);
  const usedLocals = referencedNames(creation).filter((name) => locals.has(name));
  const declaration = declarationOf(creation);
  const pooledText = pooledCreation(creation, form, facts, style);
  const semi = style.semicolons ? ';' : '';
  // Read everything from the tree before the first edit: edits forget the nodes they replace.
  const needs = referencedNames(creation);
  const imports = importOf(creation, form);
  const changesKind = calleeName(creation) !== form.ctor;
  const original = creation.getExpression().getText();
  const factory = functionNameOf(fn) ?? 'shared';

  if (declaration && usedLocals.length === 0 && !returnsValue(declaration.name, fn)) {
    // A client made, used and closed in one function: the function uses the shared instance instead.
    const localName = declaration.name;
    const name = freeName(file, changesKind ? form.instanceName : localName);
    const uses = usesOf(fn, localName, declaration.statement);
    // Only member uses (`client.query(…)`, `prisma.user.count()`): a client handed on as a value may be closed
    // elsewhere.
    for (const use of uses) {
      const access = use.getParentIfKind(SyntaxKind.PropertyAccessExpression);
      // A callable handle (`db('users')`, sql`…`) is used by calling it.
      const parent = use.getParent();
      const called =
        (Node.isCallExpression(parent) && parent.getExpression() === use) ||
        (Node.isTaggedTemplateExpression(parent) && parent.getTag() === use);
      if (called) continue;
      if (!access || access.getExpression() !== use)
        throw new Error(`\`${localName}\` is used as a value: sharing it would need a look at every use`);
    }
    const edits: [number, number, string][] = [];
    for (const use of uses) {
      const access = use.getParentIfKind(SyntaxKind.PropertyAccessExpression);
      if (!access) {
        if (name !== localName) edits.push([use.getStart(), use.getEnd(), name]);
        continue;
      }
      const method = access.getName();
      const call = access.getParentIfKind(SyntaxKind.CallExpression);
      const awaited = call?.getParentIfKind(SyntaxKind.AwaitExpression);
      const statement = (awaited ?? call)?.getParent();
      const isStatement =
        call?.getExpression() === access && statement !== undefined && Node.isExpressionStatement(statement);
      if (form.connectOnce === method && call && isStatement) {
        edits.push([call.getStart(), call.getEnd(), `${name}Ready`]);
        continue;
      }
      if (form.dropCalls.includes(method) && call?.getExpression() === access) {
        if (!isStatement) throw new Error(`\`${localName}.${method}()\` is used as a value`);
        edits.push(lineRange(file, statement!));
        continue;
      }
      if (name !== localName) edits.push([use.getStart(), use.getEnd(), name]);
    }
    edits.push(lineRange(file, declaration.statement));
    for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) file.replaceText([start, end], text);
    insertShared(file, name, pooledText, form, style, semi, needs);
    cleanEmptyFinally(file);
  } else if (usedLocals.length === 0) {
    // A factory returning a new client per call: it returns one created once.
    const name = freeName(file, `${factory}Instance`);
    file.replaceText([creation.getStart(), creation.getEnd()], name);
    insertShared(file, name, pooledText, form, style, semi, needs);
  } else {
    // Options that depend on the call (a tenant's URL): one instance per distinct value of what they use.
    const name = freeName(file, `${factory}Instances`);
    const key = `JSON.stringify([${usedLocals.join(', ')}])`;
    const ts = /\.[cm]?tsx?$/.test(rewrite.path);
    file.replaceText(
      [creation.getStart(), creation.getEnd()],
      `(${name}.get(${key}) ?? ${name}.set(${key}, ${pooledText}).get(${key})${ts ? '!' : ''})`,
    );
    const typeArgs = ts ? `<string, ${instanceType(form)}>` : '';
    insertStatement(file, `const ${name} = new Map${typeArgs}()${semi}`, []);
  }
  ensureImport(file, form.module, imports, style);
  if (changesKind && original && !original.includes('.')) dropUnusedImport(file, original);
}

/** Import the pooled constructor unless the creation goes through a namespace (`pg.Pool`, `mysql.createPool`). */
function importOf(creation: Creation, form: PoolForm): { named?: string[] } {
  const callee = creation.getExpression();
  return Node.isPropertyAccessExpression(callee) || callee.getText() === form.ctor ? {} : { named: [form.ctor] };
}

/** The constructor the fix replaced (`Client`), dropped from its import when nothing else uses it. */
function dropUnusedImport(file: SourceFile, name: string): void {
  const uses = file.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name);
  const specifier = file
    .getImportDeclarations()
    .flatMap((d) => d.getNamedImports())
    .find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name);
  if (!specifier || uses.length > 1) return;
  const declaration = specifier.getImportDeclaration();
  if (declaration.getNamedImports().length === 1 && !declaration.getDefaultImport()) declaration.remove();
  else specifier.remove();
}

function instanceType(form: PoolForm): string {
  return form.construct === 'new' ? form.ctor : `ReturnType<typeof ${form.ctor}>`;
}

/** The pooled creation's text: the pooled constructor with the user's arguments and the skill's settings merged in. */
function pooledCreation(creation: Creation, form: PoolForm, facts: PoolFacts, style: CodeStyle): string {
  const callee = creation.getExpression().getText();
  const ctor = callee.includes('.') ? callee.replace(/[\w$]+$/, form.ctor) : form.ctor;
  const args = creation.getArguments().map((a) => a.getText());
  const settings = Object.entries(form.options).map(([key, template]) => [key, fillTemplate(template, facts.settings)]);
  const last = creation.getArguments()[creation.getArguments().length - 1];
  const objectIndex = last && Node.isObjectLiteralExpression(last) ? args.length - 1 : -1;
  if (settings.length > 0) {
    if (objectIndex >= 0)
      args[objectIndex] = mergeInto(creation.getArguments()[objectIndex]!, form.optionsPath, settings);
    else if (form.stringArg && args.length === 1 && !Node.isObjectLiteralExpression(creation.getArguments()[0]!))
      args[0] = objectText([[form.stringArg, args[0]!], ...nest(form.optionsPath, settings)]);
    else args.push(objectText(nest(form.optionsPath, settings)));
  }
  void style;
  const prefix = form.construct === 'new' ? 'new ' : '';
  return `${prefix}${ctor}(${args.join(', ')})`;
}

function nest(path: string[], settings: string[][]): string[][] {
  if (path.length === 0) return settings;
  return [[path[0]!, objectText(nest(path.slice(1), settings))]];
}

function objectText(entries: string[][]): string {
  return `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

/** The object literal's text with the settings added where it lacks them (the user's own values win). */
function mergeInto(object: MorphNode, path: string[], settings: string[][]): string {
  if (!Node.isObjectLiteralExpression(object)) return object.getText();
  const text = object.getText();
  const has = (key: string) =>
    object
      .getProperties()
      .some((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) && p.getName() === key);
  let additions: string[][];
  if (path.length === 0) additions = settings.filter(([key]) => !has(key!));
  else {
    const nested = object
      .getProperties()
      .find((p): p is import('ts-morph').PropertyAssignment => Node.isPropertyAssignment(p) && p.getName() === path[0]);
    const inner = nested?.getInitializer();
    if (nested && inner && Node.isObjectLiteralExpression(inner)) {
      const mergedInner = mergeInto(inner, path.slice(1), settings);
      const start = inner.getStart() - object.getStart();
      return text.slice(0, start) + mergedInner + text.slice(inner.getEnd() - object.getStart());
    }
    if (nested) return text; // set from elsewhere (`pool: config.pool`): theirs
    additions = nest(path, settings);
  }
  if (additions.length === 0) return text;
  const props = object.getProperties();
  if (props.length === 0) return objectText(additions);
  const lastProp = props[props.length - 1]!;
  const at = lastProp.getEnd() - object.getStart();
  if (!text.includes('\n'))
    return text.slice(0, at) + additions.map(([k, v]) => `, ${k}: ${v}`).join('') + text.slice(at);
  // One property per line, as the user wrote them, keeping a trailing comma if they use one.
  const lineStart = text.lastIndexOf('\n', lastProp.getStart() - object.getStart()) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const comma = /^\s*,/.exec(text.slice(at));
  const after = comma ? at + comma[0].length : at;
  const added = additions.map(([k, v]) => `\n${indent}${k}: ${v}`).join(',');
  return text.slice(0, at) + ',' + added + (comma ? ',' : '') + text.slice(after);
}

/** Inserts the shared instance after the imports and after the module declarations its options use. */
function insertShared(
  file: SourceFile,
  name: string,
  creationText: string,
  form: PoolForm,
  style: CodeStyle,
  semi: string,
  needs: string[],
): void {
  const lines: string[] = [];
  if (form.globalGuard) {
    const ts = /\.[cm]?tsx?$/.test(file.getFilePath());
    const holder = `globalFor${name[0]!.toUpperCase()}${name.slice(1)}`;
    lines.push(
      `const ${holder} = globalThis${ts ? ` as unknown as { ${name}?: ${instanceType(form)} }` : ''}${semi}`,
      `const ${name} = ${holder}.${name} ?? ${creationText}${semi}`,
      `if (process.env.NODE_ENV !== ${style.quote}production${style.quote}) ${holder}.${name} = ${name}${semi}`,
    );
  } else lines.push(`const ${name} = ${creationText}${semi}`);
  if (form.connectOnce) lines.push(`const ${name}Ready = ${name}.${form.connectOnce}()${semi}`);
  insertStatement(file, lines.join('\n'), needs);
}

function insertStatement(file: SourceFile, text: string, needs: string[]): void {
  let index = 0;
  file.getStatements().forEach((statement, i) => {
    const isImport =
      Node.isImportDeclaration(statement) ||
      Node.isImportEqualsDeclaration(statement) ||
      (Node.isVariableStatement(statement) && /\brequire\(/.test(statement.getText()));
    const declares =
      Node.isVariableStatement(statement) && statement.getDeclarations().some((d) => needs.includes(d.getName()));
    if (isImport || declares) index = i + 1;
  });
  file.insertStatements(index, text);
}

/** The whole lines of a statement that stands alone on them, so removing it leaves no blank line. */
function lineRange(file: SourceFile, statement: MorphNode): [number, number, string] {
  const text = file.getFullText();
  const start = statement.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.getEnd());
  const alone =
    text.slice(lineStart, start).trim() === '' &&
    text.slice(statement.getEnd(), lineEnd === -1 ? text.length : lineEnd).trim() === '';
  return alone ? [lineStart, lineEnd === -1 ? text.length : lineEnd + 1, ''] : [start, statement.getEnd(), ''];
}

/** `try { … } finally { }` left empty once the close call is gone: the try's statements stay, the shell goes. */
function cleanEmptyFinally(file: SourceFile): void {
  for (const statement of file.getDescendantsOfKind(SyntaxKind.TryStatement).reverse()) {
    const finallyBlock = statement.getFinallyBlock();
    if (!finallyBlock || finallyBlock.getStatements().length > 0 || finallyBlock.getText().includes('//')) continue;
    if (statement.getCatchClause()) {
      file.replaceText([statement.getCatchClause()!.getEnd(), statement.getEnd()], '');
      continue;
    }
    const block = statement.getTryBlock();
    const parent = statement.getParent();
    const clashes = block
      .getStatements()
      .flatMap((s) => (Node.isVariableStatement(s) ? s.getDeclarations().map((d) => d.getName()) : []))
      .some(
        (name) =>
          parent &&
          new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b`).test(
            parent.getText().replace(statement.getText(), ''),
          ),
      );
    if (clashes || (!Node.isBlock(parent) && !Node.isSourceFile(parent))) continue;
    const text = file.getFullText();
    const inner = text.slice(block.getStart() + 1, block.getEnd() - 1);
    const lines = inner
      .replace(/^\s*\n/, '')
      .replace(/\n\s*$/, '')
      .split('\n');
    const lineStart = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const bodyIndent = /^[ \t]*/.exec(lines.find((l) => l.trim()) ?? '')![0];
    const dedented = lines.map((line) => (line.startsWith(bodyIndent) ? indent + line.slice(bodyIndent.length) : line));
    file.replaceText([lineStart, statement.getEnd()], dedented.join('\n'));
  }
}

function calleeName(creation: Creation): string {
  const callee = creation.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
}

function functionNameOf(fn: MorphNode): string | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName();
  const parent = fn.getParent();
  return parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
}

/** `const x = new X(…)` / `const x = await createConnection(…)`: the declared name and its statement. */
function declarationOf(creation: Creation): { name: string; statement: MorphNode } | undefined {
  let node: MorphNode = creation;
  while (Node.isAwaitExpression(node.getParentOrThrow()) || Node.isParenthesizedExpression(node.getParentOrThrow()))
    node = node.getParentOrThrow();
  const decl = node.getParent();
  if (!decl || !Node.isVariableDeclaration(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const statement = decl.getParent()?.getParent();
  if (!statement || !Node.isVariableStatement(statement) || statement.getDeclarations().length !== 1) return undefined;
  return { name: decl.getName(), statement };
}

function returnsValue(name: string, fn: MorphNode): boolean {
  return fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => r.getExpression()?.getText() === name);
}

function localNames(fn: MorphNode): Set<string> {
  const names = new Set<string>();
  for (const node of fn.getDescendants())
    if (
      (Node.isVariableDeclaration(node) || Node.isParameterDeclaration(node) || Node.isBindingElement(node)) &&
      Node.isIdentifier(node.getNameNode())
    )
      names.add(node.getName());
  return names;
}

/** Identifiers a creation reads (not property names). */
function referencedNames(node: MorphNode): string[] {
  const out = new Set<string>();
  for (const id of node.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent();
    if (parent && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (parent && Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
    out.add(id.getText());
  }
  return [...out];
}

function usesOf(fn: MorphNode, name: string, declaration: MorphNode): MorphNode[] {
  return fn
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id.getText() === name && id.getStart() >= declaration.getEnd());
}

/** `preferred`, or `preferred2`, … when a module-level declaration or import of the file already has that name. */
function freeName(file: SourceFile, preferred: string): string {
  const taken = (name: string) =>
    file.getVariableDeclaration(name) !== undefined ||
    file.getFunction(name) !== undefined ||
    file.getClass(name) !== undefined ||
    file
      .getImportDeclarations()
      .some(
        (d) =>
          d.getDefaultImport()?.getText() === name ||
          d.getNamespaceImport()?.getText() === name ||
          d.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name),
      );
  let name = preferred;
  for (let n = 2; taken(name); n++) name = `${preferred}${n}`;
  return name;
}
