// unpooled-connection: clients, connections or pools created per request/per call, and pool checkouts never released.
import { perTargetConnection } from './unpooled-connection/perTarget';
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { createRule } from './createRule';
import { STARTUP_FUNCTION } from './knowledge/frameworks';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import { enclosingFunction, propertyNameText, skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import { staticText } from './analysis/roundTrips';
import {
  callTarget,
  codeName,
  codeText,
  functionName,
  isPlainFunctionName,
  type FunctionRef,
} from './analysis/summaries';
import type { HandleValue } from './analysis/values';
import { isAssignment } from './analysis/values';
import { poolFix } from './fixes/pool';
import { poolAdvice } from './fixes/poolAdvice';
import {
  connectionWord,
  creationOf,
  isFreshInstanceReceiver,
  loopAround,
  storedCreation,
} from './unpooled-connection/instances';
import {
  declaredWithin,
  escapes,
  inFinally,
  releasedRightAfter,
  isCallOn,
  insideLazyInit,
  liftThroughRunNowCallbacks,
  memoisedByEarlyReturn,
  returnsCreated,
  usesOf,
  variableOf,
} from './unpooled-connection/syntax';
import { releaseFix } from './fixes/release';
import { isTestOnlyEntry } from './unpooled-connection/testOnly';

const MAX_CALLER_DEPTH = 4;

export const unpooledConnection = createRule({
  id: 'unpooled-connection',
  meta: {
    description:
      'A database or Redis client, connection or pool created on every request or call instead of once, or a pooled connection that is not released on every path.',
    defaultSeverity: 'warning',
    messages: {
      perCall:
        '`{{creation}}` opens a new {{what}} {{where}}: a connect + auth handshake each time, and connections pile up under load until the server refuses them. Create {{advice}} at module scope and reuse it.',
      perCallVia:
        '`{{creation}}` in {{factory}} opens a new {{what}} on every call, and {{factory}} runs {{where}}: a connect + auth handshake per call, and connections pile up under load. Create it once at module scope and share it.',
      perCallInProcess:
        '`{{creation}}` opens the database file again {{where}}: a file open and schema load each time, with a cold page cache, and every handle left open holds a file descriptor and its locks. Open it once at module scope and reuse it (an embedded database has no pool to size).',
      perCallViaInProcess:
        '`{{creation}}` in {{factory}} opens the database file on every call, and {{factory}} runs {{where}}: a file open and schema load per call, with a cold page cache. Open it once at module scope (one handle per file, in a `Map`, when the file varies) and share it.',
      perInstance:
        '`{{method}}` creates `{{creation}}` (a new {{what}}) for a fresh instance built here {{where}}: one connect + auth handshake per call, and connections pile up under load. Share one instance (module scope or DI) instead of building one per call.',
      perTargetNeverClosed:
        '`{{creation}}` opens a new {{what}} to the target this call names {{where}} and never closes it: every call leaves one open until the server refuses new ones. Close it in `finally` (or keep one client per target in a `Map` when the same targets repeat).',
      releaseNotInFinally:
        '`{{client}}` is taken from the pool but released outside `finally`: when a query in between throws, the connection never returns and, after {{poolSize}} such errors, every request waits for the pool timeout. Release it in `finally`.',
      neverReleased:
        '`{{client}}` is taken from the pool and never released: each call keeps one connection, and after {{poolSize}} calls every request waits for the pool timeout. Call `{{release}}()` in `finally`.',
    },
    options: RULE_OPTIONS['unpooled-connection'],
  },
  create(context) {
    const { file, analysis, options } = context;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        const created = creationOf(analysis, node);
        if (created) checkCreation(node, created);
        if (ts.isCallExpression(node)) checkCheckout(node);
        if (ts.isCallExpression(node)) checkPerInstance(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);

    function spanOf(node: ts.Node): { start: number; end: number } {
      return { start: node.getStart(file.sourceFile), end: node.end };
    }

    function checkCreation(node: ts.NewExpression | ts.CallExpression, created: HandleValue): void {
      const own = enclosingFunction(node);
      // A retry helper's or promise chain's callback runs within the function around it: that function creates.
      const lifted = own && !analysis.loopOf(file, node) ? liftThroughRunNowCallbacks(file, node, own) : undefined;
      const fn = lifted?.fn ?? own;
      if (!fn || isOnceOnly(file, fn) || isDedicated(analysis, node, fn)) return;
      if (isStoredForReuse(node, fn)) return;
      // Only start-up or one-off code (scripts, migrations, tests) reaches it: one connection per run is fine,
      // unless the run creates one per pass of a loop.
      if (analysis.contextOf(file, node).heat === 'cold') {
        const loop = loopAround(analysis, file, node, fn);
        if (!loop) return;
        context.report({
          node,
          messageId: 'perCall',
          data: {
            creation: shortText(file, node),
            what: connectionWord(created),
            where: loop,
            advice: poolAdvice(created.library.id, created.typeName, options),
          },
          facts: { library: created.library.id, type: created.typeName },
        });
        return;
      }
      const what = connectionWord(created);
      const creation = shortText(file, node);
      const ref: FunctionRef = { file, node: fn };
      if (lifted ? lifted.returned : returnsCreated(node, fn)) {
        // A factory: whether it creates per call depends on where it is called from.
        const sites = perCallSites(analysis, ref, 0);
        if (sites.length === 0) return;
        const factory = functionName(ref);
        const factoryCall = isPlainFunctionName(factory) ? `\`${factory}()\`` : factory;
        context.report({
          node,
          messageId: created.library.inProcess ? 'perCallViaInProcess' : 'perCallVia',
          data: { creation, what, factory: codeText(factory), where: sites[0]!.where, callers: sites.length },
          related: sites.map((site) => ({
            node: site.call,
            file: site.file,
            message: `${factoryCall} is called here, ${site.where}`,
          })),
          facts: { library: created.library.id, type: created.typeName },
          // The pooling rewrite replaces a creation in its own function; inside a retry or promise callback it is not built.
          fixes: lifted ? [] : poolFix(created.library.id, created.typeName, spanOf(node), options),
        });
        return;
      }
      if (!runsPerCall(analysis, ref)) return;
      // Probing a target the call names (a monitor's database), then closing it: no shared pool can serve that.
      const perTarget = perTargetConnection(
        file,
        node,
        fn,
        (method) => analysis.evaluator.methodSpec(created, method)?.spec.lifecycle === 'close',
      );
      if (perTarget === 'closed') return;
      if (perTarget === 'open') {
        context.report({
          node,
          messageId: 'perTargetNeverClosed',
          data: { creation, what, where: whereText(ref, analysis.entryReaching(ref)) },
          facts: { library: created.library.id, type: created.typeName },
        });
        return;
      }
      context.report({
        node,
        messageId: created.library.inProcess ? 'perCallInProcess' : 'perCall',
        data: {
          creation,
          what,
          where: whereText(ref, analysis.entryReaching(ref)),
          advice: poolAdvice(created.library.id, created.typeName, options),
        },
        facts: { library: created.library.id, type: created.typeName },
        fixes: lifted ? [] : poolFix(created.library.id, created.typeName, spanOf(node), options),
      });
    }

    /**
     * `this.pool = new Pool()` in a method keeps one pool per instance of its class: fine for a shared instance, per
     * call when a handler builds a fresh instance and calls the method (`const db = new DbManager(); await db.connect()`).
     */
    function checkPerInstance(call: ts.CallExpression): void {
      const caller = enclosingFunction(call);
      if (!caller || !isFreshInstanceReceiver(call, caller)) return;
      const method = callTarget(analysis.evaluator, call);
      if (!method || !ts.isMethodDeclaration(method.node) || !method.node.body) return;
      const stored = storedCreation(analysis, method.node.body);
      if (!stored) return;
      const ref: FunctionRef = { file, node: caller };
      if (analysis.contextOf(file, call).heat !== 'hot') return;
      context.report({
        node: call,
        messageId: 'perInstance',
        data: {
          method: functionName(method),
          creation: shortText(method.file, stored.node),
          what: connectionWord(stored.created),
          where: whereText(ref, analysis.entryReaching(ref)),
        },
        facts: { library: stored.created.library.id, type: stored.created.typeName },
      });
    }

    /** `const client = await pool.connect()` must reach `client.release()` on every path. */
    function checkCheckout(call: ts.CallExpression): void {
      const callee = skipOuterExpressions(call.expression);
      if (
        !ts.isPropertyAccessExpression(callee) ||
        call.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))
      )
        return;
      const method = analysis.evaluator.methodSpec(analysis.evaluator.valueOf(callee.expression), callee.name.text);
      if (method?.spec.lifecycle !== 'connect') return;
      const checkedOut = analysis.evaluator.valueOf(call);
      if (checkedOut?.kind !== 'handle') return;
      const release = Object.entries(checkedOut.type.methods).find(([, spec]) => spec.lifecycle === 'release')?.[0];
      if (!release) return;
      const declaration = variableOf(call);
      const fn = enclosingFunction(call);
      if (!declaration || !fn) return;
      const name = declaration.name.getText(file.sourceFile);
      const uses = usesOf(fn, name, declaration);
      if (uses.some((use) => escapes(use))) return; // returned, stored or handed over: its owner releases it
      const releases = uses.filter((use) => isCallOn(use, release));
      const data = { client: name, poolSize: options.poolSize, release: `${name}.${release}` };
      if (releases.length === 0)
        context.report({
          node: call,
          messageId: 'neverReleased',
          data,
          fixes: releaseFix(call, undefined, data.release),
        });
      else if (!releases.some(inFinally) && !releases.some((r) => releasedRightAfter(call, r)))
        context.report({
          node: call,
          messageId: 'releaseNotInFinally',
          data,
          related: releases.map((r) => ({
            node: r.parent,
            message: 'released here, skipped when an earlier line throws',
          })),
          fixes: releases.length === 1 ? releaseFix(call, releases[0]!, data.release) : [],
        });
    }
  },
});

/** Constructors, start-up functions and static initialisers run once. */
function isOnceOnly(file: FileModel, fn: ts.FunctionLikeDeclaration): boolean {
  if (ts.isConstructorDeclaration(fn)) return true;
  const name = functionName({ file, node: fn }).split('.').pop()!;
  if (STARTUP_FUNCTION.test(name) || memoisedByEarlyReturn(fn)) return true;
  // A factory passed in an options object (`create: () => new Redis()`, `useFactory`) is called by a pool or container.
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn))) return false;
  const property = ts.isPropertyAssignment(fn.parent) ? fn.parent : ts.isMethodDeclaration(fn) ? fn : undefined;
  const object = property?.parent;
  if (!property || !object || !ts.isObjectLiteralExpression(object)) return false;
  const key = property.name ? propertyNameText(property.name) : undefined;
  return (
    (key !== undefined && FACTORY_KEYS.test(key)) ||
    ts.isCallExpression(object.parent) ||
    ts.isNewExpression(object.parent)
  );
}

/** Option keys under which pools and DI containers take a client factory. */
const FACTORY_KEYS = /^(create|factory|useFactory|createClient|connectionFactory|clientFactory)$/;

/** Assigned to something that outlives the call: a module variable, `this.x`, a static field, a map of clients. */
function isStoredForReuse(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  if (insideLazyInit(node, fn)) return true;
  let current: ts.Node = node;
  // Look through wrappers and promise chains: `this.ready = MongoClient.connect(url).then(…)` stores it too.
  for (;;) {
    const up = current.parent;
    if (up && (ts.isParenthesizedExpression(up) || ts.isAwaitExpression(up) || ts.isAsExpression(up))) current = up;
    else if (
      up &&
      ts.isPropertyAccessExpression(up) &&
      up.expression === current &&
      ts.isCallExpression(up.parent) &&
      up.parent.expression === up
    )
      current = up.parent;
    else break;
  }
  const parent = current.parent;
  // `clients.set(key, new PrismaClient(…))`: kept in a map of clients, one per key.
  if (
    ts.isCallExpression(parent) &&
    parent.arguments[1] === current &&
    ts.isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === 'set'
  )
    return true;
  // `existing ?? new PrismaClient()`: created only when no shared one exists yet (a singleton guard).
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === current &&
    (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return true;
  if (ts.isBinaryExpression(parent) && isAssignment(parent.operatorToken.kind) && parent.right === current) {
    const target = parent.left;
    if (ts.isIdentifier(target)) return !declaredWithin(fn, target.text);
    return true;
  }
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const name = parent.name.text;
    // `const client = new Redis(); cache.set(key, client)` / `this.client = client` / `globalThis.prisma = client`
    return usesOf(fn, name, parent).some((use) => {
      const up = use.parent;
      return (
        (ts.isBinaryExpression(up) &&
          up.right === use &&
          isAssignment(up.operatorToken.kind) &&
          !ts.isIdentifier(up.left)) ||
        (ts.isCallExpression(up) &&
          up.arguments.includes(use) &&
          ts.isPropertyAccessExpression(up.expression) &&
          up.expression.name.text === 'set')
      );
    });
  }
  return false;
}

/** A client used for SUBSCRIBE, blocking pops or advisory locks needs its own connection. */
function isDedicated(analysis: ProjectAnalysis, node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const declaration = variableOf(node);
  const uses = declaration ? usesOf(fn, declaration.name.getText(), declaration) : [];
  for (const use of uses) {
    const up = use.parent;
    if (ts.isPropertyAccessExpression(up) && up.expression === use) {
      const method = analysis.evaluator.methodSpec(analysis.evaluator.valueOf(use), up.name.text);
      if (method?.spec.dedicated) return true;
      const sqlArg = method?.spec.sqlArg;
      if (method && sqlArg !== undefined && ts.isCallExpression(up.parent)) {
        const sql = staticText(up.parent.arguments[sqlArg]);
        const statements = method.handle.library.dedicatedStatements;
        if (sql !== undefined && statements.some((pattern) => new RegExp(pattern, 'i').test(sql))) return true;
      }
    }
  }
  return false;
}

/** Whether a function runs on every request or call rather than once at start-up. */
function runsPerCall(analysis: ProjectAnalysis, fn: FunctionRef, depth = 0): boolean {
  // A route only tests call (`/_e2e/reset`, registered under `if (isDev)`) is not production traffic.
  if (analysis.entryKind(fn)) return !isTestOnlyEntry(fn);
  const callers = analysis.callersOf(fn);
  if (callers.length === 0) return true;
  if (depth >= MAX_CALLER_DEPTH) return true;
  return callers.some(
    (site) =>
      site.caller !== undefined &&
      !isOnceOnly(site.file, site.caller.node) &&
      // A call from start-up, script or test code (a `main()` of an operator script) is not a request path either.
      analysis.contextOf(site.file, site.call).heat !== 'cold' &&
      runsPerCall(analysis, site.caller, depth + 1),
  );
}

/** Call sites of a client factory that run per call, with the function they are in. */
function perCallSites(
  analysis: ProjectAnalysis,
  factory: FunctionRef,
  depth: number,
): { call: ts.CallExpression; file: FileModel; where: string }[] {
  const out: { call: ts.CallExpression; file: FileModel; where: string }[] = [];
  for (const site of analysis.callersOf(factory)) {
    const caller = site.caller;
    if (
      !caller ||
      isOnceOnly(site.file, caller.node) ||
      isStoredForReuse(site.call, caller.node) ||
      analysis.contextOf(site.file, site.call).heat === 'cold' ||
      !runsPerCall(analysis, caller, depth)
    )
      continue;
    if (returnsCreated(site.call, caller.node) && depth < MAX_CALLER_DEPTH) {
      out.push(...perCallSites(analysis, caller, depth + 1));
      continue;
    }
    out.push({ call: site.call, file: site.file, where: whereText(caller, analysis.entryReaching(caller)) });
  }
  return out;
}

/** "on every request to `GET /users handler`" or "on every call of `loadUser`, which runs per request (…)". */
function whereText(fn: FunctionRef, entry: ReturnType<ProjectAnalysis['entryReaching']>): string {
  if (entry && entry.entry.node === fn.node) return `on every request (${entry.kind} ${codeName(fn)})`;
  const base = `on every call of ${codeName(fn)}`;
  return entry ? `${base}, which runs per request (${entry.kind} ${codeName(entry.entry)})` : base;
}

function shortText(file: FileModel, node: ts.Node): string {
  const text = node.getText(file.sourceFile).replace(/\s+/g, ' ');
  return text.length > 50 ? text.slice(0, 47) + '…' : text;
}
