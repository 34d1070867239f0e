// unbounded-read for Redis: KEYS, whole reads of one shared growing key, whole-range reads (LRANGE 0 -1).
import { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import { KEY_REMOVAL_COMMANDS, SCAN_COMMAND_FOR } from '../knowledge/readShapes';
import { argumentsOf } from '../analysis/calls';
import { calledMethod } from '../analysis/localValues';
import { resolveLocal, shortText } from '../analysis/localValues';
import { type ProjectAnalysis } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import { staticText } from '../analysis/roundTrips';
import { readsWholeRange } from '../analysis/reads/redisRange';
import { enclosingFunction } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { type Report } from '../createRule';
import { keysToScanStreamFix } from '../fixes/addBound';
import { scanFixes } from '../fixes/redisScan';
import { MessageId, facts } from './report';

export function redisReport(
  file: FileModel,
  trip: RoundTrip,
  analysis: ProjectAnalysis,
): Report<MessageId> | undefined {
  const unbounded = trip.spec.unbounded!;
  const call = shortText(file, trip.call);
  const method = trip.method.toLowerCase();
  if (unbounded === 'always') {
    const fix = analysis.knowledge.methodOf(trip.typeName, 'scanStream')
      ? keysToScanStreamFix(file, trip.call)
      : undefined;
    const fixes = fix ? [fix] : scanFixes(file, trip, analysis);
    return { node: trip.call, messageId: 'wholeKeyspace', data: { call }, fixes, facts: facts(trip) };
  }
  // A buffer drained on flush (read whole, then the key deleted): each read takes what piled up since the last one,
  // and it has to take all of it.
  if (drainedAfter(file, trip)) return undefined;
  if (unbounded === 'sharedKey') {
    const keyArg = argumentsOf(trip.call)[trip.spec.keyArg ?? 0];
    const key = keyArg ? staticText(resolveLocal(file, keyArg)) : undefined;
    // A key with a per-entity part (`user:${id}`) is one small object per entity: fine.
    if (key === undefined || key.includes('?')) return undefined;
    return {
      node: trip.call,
      messageId: 'sharedKey',
      data: { call, key, scan: own(SCAN_COMMAND_FOR, method[0]!) ?? 'a SCAN-family command' },
      fixes: scanFixes(file, trip, analysis),
      facts: facts(trip, { key }),
    };
  }
  if (!readsWholeRange(file, trip)) return undefined;
  const what = method.startsWith('l')
    ? 'list'
    : method.startsWith('z')
      ? 'sorted set'
      : method.startsWith('x')
        ? 'stream'
        : 'collection';
  return {
    node: trip.call,
    messageId: 'wholeRange',
    data: { call, what },
    fixes: scanFixes(file, trip, analysis),
    facts: facts(trip),
  };
}

/** The function deletes the key it read after the read (`lrange(key, 0, -1)` then `del(key)`). */
function drainedAfter(file: FileModel, trip: RoundTrip): boolean {
  const keyArg = argumentsOf(trip.call)[trip.spec.keyArg ?? 0];
  const fn = enclosingFunction(trip.node);
  if (!keyArg || !fn) return false;
  const key = keyArg.getText(file.sourceFile);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      node.pos >= trip.call.end &&
      KEY_REMOVAL_COMMANDS.has(calledMethod(node)?.toLowerCase() ?? '') &&
      node.arguments[0]?.getText(file.sourceFile) === key
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}
