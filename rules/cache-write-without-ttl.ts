// cache-write-without-ttl: a Redis cache entry written with no expiry (SET without EX/PX and no EXPIRE after it).
import { RULE_OPTIONS } from './analysis/config';
import { own } from './knowledge/own';
import { ts } from 'ts-morph';
import { createRule, type Report } from './createRule';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import type { Library, MethodSpec } from './knowledge/schema';
import { isInside } from './analysis/roundTrips';
import { skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import { callTarget } from './analysis/summaries';
import type { FixProposal } from './analysis/types';
import { calledMethod, enclosingScope, resolveLocal, shortText } from './analysis/localValues';

type MessageId = 'noTtl' | 'commandCannotExpire';

/** A Redis command call, sent now (a round trip) or queued on a pipeline/multi. */
interface CommandCall {
  call: ts.CallExpression;
  method: string;
  spec: MethodSpec;
  library: Library;
  typeName: string;
}

export const cacheWriteWithoutTtl = createRule({
  id: 'cache-write-without-ttl',
  meta: {
    description:
      'A Redis cache entry written with no expiry: it stays in memory until deleted or evicted, and goes stale.',
    defaultSeverity: 'warning',
    messages: {
      noTtl:
        '`{{call}}` caches `{{key}}` with no expiry: the entry stays in Redis until it is deleted or evicted, so memory fills up and stale data is served forever. Set a TTL ({{how}}) or EXPIRE the key right after.',
      commandCannotExpire:
        '`{{call}}` cannot set an expiry and nothing EXPIREs `{{key}}` after it: the cached entry never leaves memory and goes stale. Use `SET key value EX seconds` (add `NX` for set-if-absent), or EXPIRE the key right after.',
    },
    options: RULE_OPTIONS['cache-write-without-ttl'],
  },
  create(context) {
    const { file, analysis, options } = context;
    const readsOf = readTrips(file, analysis);
    for (const command of commandCalls(file, analysis)) {
      const write = command.spec.cacheWrite;
      if (!write || write.alwaysExpires) continue;
      const keyArg = command.call.arguments[command.spec.keyArg ?? 0];
      if (!keyArg || ts.isSpreadElement(keyArg)) continue;
      const canExpire = write.ttlTokens.length > 0 || write.ttlOptionKeys.length > 0;
      if (canExpire && setsTtlInline(file, command)) continue;
      if (expiredLater(file, command, keyArg)) continue;
      if (!isCacheEntry(file, analysis, command, keyArg, readsOf)) continue;
      const key = shortText(file, keyArg, 50);
      const call = shortText(file, command.call);
      const objectStyle = usesOptionObjects(command);
      const facts = { library: command.library.id, method: command.method, key };
      if (!canExpire) {
        context.report({ node: command.call, messageId: 'commandCannotExpire', data: { call, key }, facts });
        continue;
      }
      // The library's own spelling of the expiry option (`EX` in node-redis, `ex` in @upstash/redis).
      const optionKey = write.ttlOptionKeys[0] ?? 'EX';
      const fix = ttlFix(file, command, objectStyle, options.defaultTtlSeconds, optionKey);
      const report: Report<MessageId> = {
        node: command.call,
        messageId: 'noTtl',
        data: { call, key, how: objectStyle ? `\`{ ${optionKey}: seconds }\`` : "`'EX', seconds`" },
        fixes: fix ? [fix] : [],
        facts,
      };
      context.report(report);
    }
  },
});

/**
 * Round trips with a key, and commands queued on a pipeline/multi (not round trips themselves, but writes all the
 * same).
 */
function commandCalls(file: FileModel, analysis: ProjectAnalysis): CommandCall[] {
  const out: CommandCall[] = [];
  const seen = new Set<ts.Node>();
  for (const trip of analysis.roundTrips.inFile(file)) {
    if (trip.call.getSourceFile() !== file.sourceFile || seen.has(trip.call)) continue;
    seen.add(trip.call);
    if ((trip.spec.cacheWrite || trip.spec.setsExpiry) && ts.isCallExpression(trip.call))
      out.push({
        call: trip.call,
        method: trip.method,
        spec: trip.spec,
        library: trip.library,
        typeName: trip.typeName,
      });
  }
  const names = cacheWriteNames(analysis);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && !seen.has(node) && names.has(calledMethod(node) ?? '')) {
      const queued = queuedCommand(analysis, node);
      if (queued?.spec.cacheWrite) out.push(queued);
    }
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  return out;
}

const namesByKnowledge = new WeakMap<object, Set<string>>();

/** Method names that are cache writes in some library: only calls with these names are worth evaluating. */
function cacheWriteNames(analysis: ProjectAnalysis): Set<string> {
  const known = namesByKnowledge.get(analysis.knowledge);
  if (known) return known;
  const names = new Set<string>();
  for (const library of analysis.knowledge.libraries) {
    for (const type of Object.values(library.types))
      for (const [name, spec] of Object.entries(type.methods)) if (spec.cacheWrite) names.add(name);
  }
  namesByKnowledge.set(analysis.knowledge, names);
  return names;
}

/**
 * `multi.set(k, v)`: the receiver queues commands (its type knows the name only by pattern); the library says what the
 * command is.
 */
function queuedCommand(analysis: ProjectAnalysis, call: ts.CallExpression): CommandCall | undefined {
  const method = calledMethod(call);
  const callee = skipOuterExpressions(call.expression);
  if (!method || !ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = analysis.evaluator.valueOf(callee.expression);
  if (receiver?.kind !== 'handle' || own(receiver.type.methods, method)) return undefined;
  const spec = commandSpec(receiver.library, method);
  return spec ? { call, method, spec, library: receiver.library, typeName: receiver.typeName } : undefined;
}

/** The spec of a command by name from any handle type of the library (the client's own command table). */
function commandSpec(library: Library, method: string): MethodSpec | undefined {
  for (const type of Object.values(library.types)) {
    const spec = own(type.methods, method);
    if (spec && (spec.cacheWrite || spec.setsExpiry)) return spec;
  }
  return undefined;
}

/**
 * `'EX', 60` among the literal arguments after the value, or `{ EX: 60 }` in an options object; unknown arguments count
 * as a TTL.
 */
function setsTtlInline(file: FileModel, command: CommandCall): boolean {
  const write = command.spec.cacheWrite!;
  const after = command.call.arguments.slice((command.spec.keyArg ?? 0) + 2);
  for (const arg of after) {
    if (ts.isSpreadElement(arg)) return true;
    const value = resolveLocal(file, arg);
    if (ts.isStringLiteralLike(value)) {
      if (write.ttlTokens.includes(value.text)) return true;
      continue;
    }
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (ts.isSpreadAssignment(property)) return true;
        const name =
          property.name && (ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))
            ? property.name.text
            : undefined;
        if (name && write.ttlOptionKeys.includes(name)) return true;
      }
      continue;
    }
    // A number after a literal token is that token's operand; anything else computed may be a TTL.
    if (ts.isNumericLiteral(value)) continue;
    return true;
  }
  return false;
}

/** A later EXPIRE/PEXPIRE/EXPIREAT (sent or queued) on the same key text in the same function. */
function expiredLater(file: FileModel, command: CommandCall, keyArg: ts.Expression): boolean {
  const keyText = normalised(file, keyArg);
  const scope = enclosingScope(command.call);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node !== command.call) {
      const method = calledMethod(node);
      const callee = skipOuterExpressions(node.expression);
      const spec = method ? commandSpec(command.library, method) : undefined;
      if (
        spec?.setsExpiry &&
        ts.isPropertyAccessExpression(callee) &&
        callee.name.getStart(file.sourceFile) > command.call.end
      ) {
        const key = node.arguments[spec.keyArg ?? 0];
        if (key && normalised(file, key) === keyText) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function normalised(file: FileModel, expr: ts.Expression): string {
  return skipOuterExpressions(expr).getText(file.sourceFile).replace(/\s+/g, '');
}

/** Read round trips of the file, for "is the cached value derived from a query" checks. */
function readTrips(file: FileModel, analysis: ProjectAnalysis): ts.Node[] {
  return analysis.roundTrips
    .inFile(file)
    .filter((t) => t.effect === 'read' && t.library.roundTripNoun !== 'command')
    .map((t) => t.node);
}

/**
 * Redis is also a primary store (counters, settings, queues); only cache entries are reported: the
 * function also reads the same key (cache-aside), the value comes from a query or request, or the key says "cache".
 */
function isCacheEntry(
  file: FileModel,
  analysis: ProjectAnalysis,
  command: CommandCall,
  keyArg: ts.Expression,
  reads: ts.Node[],
): boolean {
  const keyText = normalised(file, keyArg);
  if (/cache/i.test(keyText)) return true;
  const scope = enclosingScope(command.call);
  let readsSameKey = false;
  const visit = (node: ts.Node): void => {
    if (readsSameKey) return;
    if (
      ts.isCallExpression(node) &&
      node !== command.call &&
      node.arguments[0] &&
      normalised(file, node.arguments[0]) === keyText
    ) {
      const callee = skipOuterExpressions(node.expression);
      const receiver = ts.isPropertyAccessExpression(callee)
        ? analysis.evaluator.valueOf(callee.expression)
        : undefined;
      const spec =
        receiver?.kind === 'handle'
          ? analysis.knowledge.methodOf(receiver.typeName, calledMethod(node) ?? '')
          : undefined;
      if (spec?.effect === 'read' && receiver?.kind === 'handle' && receiver.library.roundTripNoun === 'command')
        readsSameKey = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  if (readsSameKey) return true;
  const value = command.call.arguments[(command.spec.keyArg ?? 0) + 1];
  return value !== undefined && derivesFromRoundTrip(file, analysis, value, reads, 0);
}

/**
 * The expression mentions a query/request result: directly, through local variables, or through a project function that
 * makes one.
 */
function derivesFromRoundTrip(
  file: FileModel,
  analysis: ProjectAnalysis,
  expr: ts.Node,
  reads: ts.Node[],
  depth: number,
): boolean {
  if (depth > 3) return false;
  if (reads.some((read) => isInside(read, expr))) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const target = callTarget(analysis.evaluator, node);
      if (target && analysis.summaries.reach(target)) found = true;
    } else if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const init = localInitializer(node);
      if (init && derivesFromRoundTrip(file, analysis, init, reads, depth + 1)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** The initializer of the variable declaration (plain or destructuring) an identifier names, in the same function. */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  const scope = enclosingScope(id);
  let result: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (result) return;
    if (ts.isVariableDeclaration(node) && node.initializer && node.end <= id.pos && bindsName(node.name, id.text))
      result = node.initializer;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return result;
}

function bindsName(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, text));
}

/**
 * node-redis (v4+) takes SET options as an object (`{ EX: 60 }`); ioredis takes tokens (`'EX', 60`): the library's
 * table says which.
 */
function usesOptionObjects(command: CommandCall): boolean {
  return command.library.commandOptions === 'object';
}

/** Adds the default TTL: `'EX', 3600` after the value, or `EX: 3600` in (or as) the options object. */
function ttlFix(
  file: FileModel,
  command: CommandCall,
  objectStyle: boolean,
  ttl: number,
  optionKey: string,
): FixProposal | undefined {
  const args = command.call.arguments;
  const valueIndex = (command.spec.keyArg ?? 0) + 1;
  const value = args[valueIndex];
  if (!value) return undefined;
  const title = `Expire the entry after ${ttl} s`;
  const edit = (start: number, newText: string): FixProposal => ({
    title,
    kind: 'suggestion',
    edits: [{ file: file.path, start, end: start, newText }],
  });
  if (args.length === valueIndex + 1)
    return edit(value.end, objectStyle ? `, { ${optionKey}: ${ttl} }` : `, 'EX', ${ttl}`);
  const options = args[valueIndex + 1];
  if (objectStyle && args.length === valueIndex + 2 && options && ts.isObjectLiteralExpression(options)) {
    const last = options.properties[options.properties.length - 1];
    return last
      ? edit(last.end, `, ${optionKey}: ${ttl}`)
      : {
          title,
          kind: 'suggestion',
          edits: [
            {
              file: file.path,
              start: options.getStart(file.sourceFile),
              end: options.end,
              newText: `{ ${optionKey}: ${ttl} }`,
            },
          ],
        };
  }
  return undefined;
}
