// The layers the folders draw: every import between the project's folders goes one way (docs/architecture.md).
// Type-only imports count too: a layer that names another's types depends on it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';

const root = resolve(__dirname, '../..');
const LAYERED = ['rules', 'server', 'client', 'measure'];

interface Edge {
  from: string;
  /** A repository-relative path for project modules, the package name for packages. */
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveLocal(from: string, specifier: string): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`, `${base}.mts`]) {
    try {
      if (statSync(join(root, candidate)).isFile()) return candidate;
    } catch {
      // try the next spelling
    }
  }
  return base;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : specifier.startsWith('node:') ? 'node' : parts[0]!;
}

/** Imports, re-exports, `import()` and `require()` of one file. */
function edgesOf(file: string): Edge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) =>
    edges.push({
      from: file,
      to: specifier.startsWith('.') ? resolveLocal(file, specifier) : packageOf(specifier),
      typeOnly,
    });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const files = LAYERED.flatMap(sourceFiles);
const edges = files.flatMap(edgesOf);
const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** The imports from files in `from` (minus `except`) that `allowed` rejects, as readable lines. */
function violations(from: string, allowed: (edge: Edge) => boolean, except: string[] = []): string[] {
  return edges
    .filter((e) => inside(e.from, from) && !except.some((x) => inside(e.from, x)) && !allowed(e))
    .map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);
}

const local = (edge: Edge) => edge.to.includes('/') && !edge.to.startsWith('@');

describe('layers', () => {
  it('finds the project’s files and their imports', () => {
    assert.ok(files.length > 100, `${files.length} files`);
    assert.ok(edges.filter(local).length > 300, `${edges.filter(local).length} local imports`);
  });

  it('rules/knowledge is data: it imports nothing of the project but itself', () => {
    assert.deepEqual(
      violations('rules/knowledge', (e) => !local(e) || inside(e.to, 'rules/knowledge')),
      [],
    );
  });

  it('rules/analysis imports only the knowledge tables and itself', () => {
    assert.deepEqual(
      violations(
        'rules/analysis',
        (e) => !local(e) || inside(e.to, 'rules/knowledge') || inside(e.to, 'rules/analysis'),
      ),
      [],
    );
  });

  it('rules/fixes builds on analysis and knowledge only', () => {
    const ok = ['rules/knowledge', 'rules/analysis', 'rules/fixes'];
    assert.deepEqual(
      violations('rules/fixes', (e) => !local(e) || ok.some((f) => inside(e.to, f))),
      [],
    );
  });

  it('nothing under rules/ imports server/, client/ or measure/, LSP or VS Code', () => {
    const banned = ['server', 'client', 'measure'];
    const packages = ['vscode', 'vscode-languageserver', 'vscode-languageclient', 'vscode-languageserver-protocol'];
    assert.deepEqual(
      violations('rules', (e) => !banned.some((f) => inside(e.to, f)) && !packages.includes(e.to)),
      [],
    );
  });

  it('the engine (runner) knows no LSP, worker or CLI', () => {
    assert.deepEqual(
      violations(
        'server/engine',
        (e) => !['server/lsp', 'server/worker', 'server/cli', 'server/protocol.ts'].some((f) => inside(e.to, f)),
      ),
      [],
    );
  });

  it('only server/lsp imports vscode-languageserver; only it and the protocol module speak LSP', () => {
    assert.deepEqual(
      violations('server', (e) => e.to !== 'vscode-languageserver', ['server/lsp']),
      [],
    );
    assert.deepEqual(
      violations('server', (e) => e.to !== 'vscode-languageserver-protocol', ['server/lsp', 'server/protocol.ts']),
      [],
    );
  });

  it('the worker, the CLI and the LSP thread do not import each other (the LSP thread may name worker messages)', () => {
    assert.deepEqual(
      violations('server/worker', (e) => !inside(e.to, 'server/lsp') && !inside(e.to, 'server/cli')),
      [],
    );
    assert.deepEqual(
      violations('server/cli', (e) => !inside(e.to, 'server/lsp') && !inside(e.to, 'server/worker')),
      [],
    );
    assert.deepEqual(
      violations(
        'server/lsp',
        (e) => !inside(e.to, 'server/cli') && (!inside(e.to, 'server/worker') || e.to === 'server/worker/protocol.ts'),
      ),
      [],
    );
  });

  it('the LSP thread never loads TypeScript at run time (type-only imports aside)', () => {
    const runtime = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) runtime.set(e.from, [...(runtime.get(e.from) ?? []), e.to]);
    const reached = new Set<string>();
    const queue = ['server/lsp/main.ts'];
    while (queue.length) {
      const next = queue.shift()!;
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(
        ...(runtime.get(next) ?? []).filter(
          (to) => local({ from: next, to, typeOnly: false }) || to === 'ts-morph' || to === 'typescript',
        ),
      );
    }
    // Small TypeScript-free modules (the settings schema, the directive syntax) are shared; TypeScript is not.
    const loaded = [...reached].filter((p) => p === 'ts-morph' || p === 'typescript');
    assert.ok(reached.has('server/lsp/server.ts'), 'the walk reaches the LSP server');
    assert.deepEqual(loaded, []);
  });

  it('the client imports only the protocol module of the server, and nothing of rules/', () => {
    assert.deepEqual(
      violations('client', (e) => (!inside(e.to, 'server') || e.to === 'server/protocol.ts') && !inside(e.to, 'rules')),
      [],
    );
  });

  it('measure/ imports no vscode, and nothing of client/ or server/', () => {
    assert.deepEqual(
      violations('measure', (e) => e.to !== 'vscode' && !inside(e.to, 'client') && !inside(e.to, 'server')),
      [],
    );
  });

  it('vscode is imported under client/ only', () => {
    for (const folder of ['rules', 'server', 'measure'])
      assert.deepEqual(
        violations(folder, (e) => e.to !== 'vscode'),
        [],
      );
  });

  it('reports a wrong-way import (the check can fail)', () => {
    const fake: Edge = { from: 'rules/analysis/x.ts', to: 'server/engine/session.ts', typeOnly: true };
    edges.push(fake);
    try {
      assert.deepEqual(
        violations('rules', (e) => !inside(e.to, 'server')),
        ['rules/analysis/x.ts → server/engine/session.ts (type)'],
      );
    } finally {
      edges.pop();
    }
  });
});
