// unbounded-read for eager relations: a read that loads every row of a growing relation with it (populate, relations, include).
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import { calledMethod, resolveLocal } from '../analysis/localValues';
import { builderCallsOf } from '../analysis/reads/bound';
import { growsPerParent, parentWord } from '../analysis/reads/subject';
import type { RoundTrip } from '../analysis/roundTrips';
import { propertyNameText, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { type Report } from '../createRule';
import { RELATION_CALLS, RELATION_OPTIONS } from '../knowledge/readShapes';
import { facts, MessageId, operationText } from './report';

/** Keys inside one relation's options that bound how many related rows come back. */
const RELATION_BOUNDS = new Set(['take', 'limit', 'perDocumentLimit', 'first', 'last']);

/** The first growing relation the read loads whole, as a finding; undefined when it loads none. */
export function relationReport(
  file: FileModel,
  trip: RoundTrip,
  subject: string | undefined,
  manyParents: boolean,
): Report<MessageId> | undefined {
  // The rows loaded with belong to the row read (`Guild.findOne(…).populate('members')`: one guild's members).
  const parent = subject === undefined ? undefined : parentWord(subject);
  for (const { name, node } of loadedRelations(file, trip)) {
    const last = name.split('.').pop()!;
    // A plural relation of content or events (`followers`, `comments`); a singular one is one row (`author`).
    if (!/[^s]s$/.test(last) || !growsPerParent(last, parent ? [parent] : [], manyParents)) continue;
    return {
      node: trip.call,
      messageId: 'growingRelation',
      data: { operation: operationText(trip), relation: last },
      related: [{ node, message: 'loaded whole here' }],
      facts: facts(trip, { relation: last }),
    };
  }
  return undefined;
}

interface Relation {
  name: string;
  node: ts.Node;
}

/**
 * Relations named in the read's options (`relations: ['x']`, `populate: ['x']`, `include: { x: true }`) or its chain.
 */
function loadedRelations(file: FileModel, trip: RoundTrip): Relation[] {
  const found: Relation[] = [];
  for (const arg of argumentsOf(trip.call)) {
    const options = resolveLocal(file, arg);
    if (!ts.isObjectLiteralExpression(options)) continue;
    for (const property of options.properties) {
      if (!ts.isPropertyAssignment(property) || !RELATION_OPTIONS.has(propertyNameText(property.name) ?? '')) continue;
      found.push(...relationsIn(file, property.initializer));
    }
  }
  for (const call of builderCallsOf(file, trip)) {
    const method = calledMethod(call) ?? '';
    if (!RELATION_CALLS.has(method) || !call.arguments[0]) continue;
    if (method === 'populate') found.push(...relationsIn(file, call.arguments[0]));
    else {
      // `leftJoinAndSelect('c.messages', 'm')`: the relation path's last part.
      const path = skipOuterExpressions(call.arguments[0]);
      if (ts.isStringLiteralLike(path)) found.push({ name: path.text, node: path });
    }
  }
  return found;
}

/**
 * `'x'`, `['x', 'y']`, `{ x: true }`, `{ path: 'x' }`, `{ model: X, as: 'x' }`; a relation with its own limit is left
 * out.
 */
function relationsIn(file: FileModel, expr: ts.Expression): Relation[] {
  const value = resolveLocal(file, expr);
  if (ts.isStringLiteralLike(value)) return value.text.split(/\s+/).map((name) => ({ name, node: value }));
  if (ts.isArrayLiteralExpression(value)) return value.elements.flatMap((e) => relationsIn(file, e));
  if (!ts.isObjectLiteralExpression(value)) return [];
  const keyed = (key: string) =>
    value.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === key,
    );
  if (value.properties.some((p) => p.name && RELATION_BOUNDS.has(propertyNameText(p.name) ?? ''))) return [];
  const named = keyed('path') ?? keyed('as') ?? keyed('association');
  if (named) {
    const text = skipOuterExpressions(named.initializer);
    return ts.isStringLiteralLike(text) ? [{ name: text.text, node: text }] : [];
  }
  if (keyed('model')) return [];
  // Prisma / TypeORM object form: every key set to `true` or to options without a limit.
  return value.properties.flatMap((p): Relation[] => {
    if (!ts.isPropertyAssignment(p)) return [];
    const name = propertyNameText(p.name);
    const init = skipOuterExpressions(p.initializer);
    if (!name || init.kind === ts.SyntaxKind.FalseKeyword) return [];
    if (
      ts.isObjectLiteralExpression(init) &&
      init.properties.some((q) => q.name && RELATION_BOUNDS.has(propertyNameText(q.name) ?? ''))
    )
      return [];
    return [{ name, node: p }];
  });
}
