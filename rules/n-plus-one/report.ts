// n-plus-one findings: the message text (operation, evidence, advice), related locations and facts.
import { ts } from 'ts-morph';
import { calleeOf } from '../analysis/calls';
import type { CollectionSize } from '../analysis/collectionSize';
import type { ExecutionContext } from '../analysis/executionContext';
import { loopScopedNames, type LoopContext } from '../analysis/loops';
import type { RoundTrip } from '../analysis/roundTrips';
import { isFunctionBoundary } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { codeName, codeText, functionName, type FunctionRef, type Reach } from '../analysis/summaries';
import type { Report } from '../createRule';
import { hoistStatementFix } from '../fixes/hoist';

export type MessageId = 'sequential' | 'concurrent' | 'via' | 'invariant';

/** Why a loop is reported: where it runs, and what its collection is. */
export interface Evidence {
  where: ExecutionContext;
  size: CollectionSize | undefined;
  /**
   * Reported only under an opt-in `'possible'` option, and why it may be harmless: nothing shows where the collection
   * comes from (`untracedParameters`), or it is one parent's children on a path that only writes (`childrenOnWritePaths`).
   */
  possible?: string;
}

/** " (every matching row of `x.findMany` (no limit); in GET /orders)", or empty when nothing is known. */
function whyText(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.possible) parts.push(`possible: ${evidence.possible}`);
  if (evidence.size && (evidence.size.kind !== 'unknown' || evidence.size.source === 'rows'))
    parts.push(evidence.size.reason);
  const entry = evidence.where.hotEntry;
  if (entry) parts.push(entry.path.length ? `reached from ${entry.label}` : `in ${entry.label}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The example N: a page's bound when it is smaller than the example size. */
function exampleSize(evidence: Evidence, n: number): number {
  const max = evidence.size?.kind === 'page' ? evidence.size.max : undefined;
  return max !== undefined && max < n ? max : n;
}

function operationText(trip: RoundTrip): string {
  if (trip.method === '()' && ts.isTaggedTemplateExpression(trip.call) && trip.sql !== undefined) {
    // sql`select … where id = ?`: the tag and its SQL, holes as `?`.
    const sql = trip.sql.replace(/\s+/g, ' ').trim();
    return `${trip.receiverText}\`${sql.length > 40 ? sql.slice(0, 39) + '…' : sql}\``;
  }
  if (trip.method === '()') {
    const text = trip.call.getText().replace(/\s+/g, ' ');
    return text.length > 40 ? text.slice(0, 37) + '…' : text;
  }
  const callee = calleeOf(trip.call);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return trip.method;
  return `${trip.receiverText}.${trip.method}`;
}

/**
 * A query a helper builds and returns, awaited here (`await findPosts(user.id)`): the operation is named in the
 * helper, so the message names both.
 */
export function returnedByHelper(trip: RoundTrip): boolean {
  const node = trip.node;
  return (
    ts.isCallExpression(node) &&
    (trip.call.getSourceFile() !== node.getSourceFile() || trip.call.pos < node.pos || trip.call.end > node.end)
  );
}

/** The helper as called, without `this.`; a long receiver chain shortened to the method's name. */
function helperText(node: ts.Expression): string {
  const callee = (ts.isCallExpression(node) ? node.expression : node).getText().replace(/\s+/g, '');
  const shown = callee.replace(/^this\./, '');
  return shown.length > 40 ? shown.slice(shown.lastIndexOf('.') + 1) : shown;
}

function adviceFor(trip: RoundTrip): string {
  const form = trip.spec.batchForm;
  // An id-list batch form (`WHERE id = ANY($1)`) says nothing about inserting rows: one multi-row INSERT does.
  if (
    trip.effect === 'write' &&
    trip.sql !== undefined &&
    /^\s*insert\b/i.test(trip.sql) &&
    !/insert/i.test(form ?? '')
  )
    return 'Insert them in one round trip: one multi-row `INSERT … VALUES (…), (…)`, or a batch insert of the driver.';
  if (trip.effect === 'write')
    return form ? `Write them in one round trip: ${form}.` : 'Write them in one batch or transaction.';
  return form ? `Batch it: ${form}.` : 'Fetch them in one round trip before the loop and look them up in a Map.';
}

function nounOf(trip: RoundTrip): string {
  return trip.library.roundTripNoun;
}

function severityFor(trip: RoundTrip, loop: LoopContext, evidence: Evidence): Report<MessageId>['severity'] {
  if (trip.library.inProcess || evidence.possible) return 'info';
  return loop.concurrent ? 'info' : undefined;
}

function loopRelated(loop: LoopContext): { node: ts.Node; message: string } {
  return { node: loop.header, message: `loop over \`${loop.collectionText}\`` };
}

export function tripReport(
  file: FileModel,
  trip: RoundTrip,
  loop: LoopContext,
  example: number,
  evidence: Evidence,
): Report<MessageId> {
  const n = exampleSize(evidence, example);
  const facts = {
    library: trip.library.id,
    method: trip.method,
    effect: trip.effect,
    collection: loop.collectionText,
    concurrent: loop.concurrent,
  };
  const base = {
    operation: returnedByHelper(trip) ? `${helperText(trip.node)} → ${operationText(trip)}` : operationText(trip),
    collection: loop.collectionText,
    noun: nounOf(trip),
    n,
    total: n + 1,
    advice: adviceFor(trip),
    why: whyText(evidence),
  };
  if (isLoopInvariant(file, trip, loop)) {
    const fix = hoistStatementFix(file, trip.node, loop);
    return {
      node: trip.node,
      messageId: 'invariant',
      data: base,
      related: [loopRelated(loop)],
      facts: { ...facts, invariant: true },
      fixes: fix ? [fix] : [],
    };
  }
  // In-process drivers (better-sqlite3) are synchronous: each call blocks until done, never concurrent.
  const concurrent = loop.concurrent && !trip.library.inProcess;
  return {
    node: trip.node,
    messageId: concurrent ? 'concurrent' : 'sequential',
    data: base,
    severity: severityFor(trip, loop, evidence),
    related: [loopRelated(loop)],
    facts,
  };
}

export function viaReport(
  target: FunctionRef,
  call: ts.CallExpression,
  reach: Reach,
  loop: LoopContext,
  example: number,
  evidence: Evidence,
): Report<MessageId> {
  const n = exampleSize(evidence, example);
  const calleeName = functionName(target);
  const names = [calleeName, ...reach.steps.map((s) => functionName(s.target)).filter((name) => name !== calleeName)];
  const chain = [...names.map(codeText), `\`${operationText(reach.trip)}\``].join(' → ');
  const related = [
    loopRelated(loop),
    ...reach.steps.map((s) => ({
      node: s.target.node.name ?? s.target.node,
      file: s.target.file,
      message: `${codeName(s.target)} is called here`,
    })),
    {
      node: reach.trip.node,
      file: reach.steps.length ? reach.steps[reach.steps.length - 1]!.target.file : target.file,
      message: `\`${operationText(reach.trip)}\` makes the round trip`,
    },
  ];
  return {
    node: call,
    messageId: 'via',
    data: {
      callee: calleeName,
      chain,
      collection: loop.collectionText,
      noun: nounOf(reach.trip),
      n,
      total: n + 1,
      advice: adviceFor(reach.trip),
      why: whyText(evidence),
    },
    severity: severityFor(reach.trip, loop, evidence),
    related,
    facts: {
      library: reach.trip.library.id,
      method: reach.trip.method,
      collection: loop.collectionText,
      concurrent: loop.concurrent,
      chain: names,
    },
  };
}

/** No argument, receiver or builder call of the round trip mentions a name bound inside the loop. */
function isLoopInvariant(file: FileModel, trip: RoundTrip, loop: LoopContext): boolean {
  if (trip.effect === 'write') return false;
  const scoped = loopScopedNames(loop);
  let mentions = false;
  const check = (node: ts.Node): void => {
    if (mentions) return;
    if (ts.isIdentifier(node) && scoped.has(node.text)) mentions = true;
    else if (node.kind === ts.SyntaxKind.ThisKeyword && isFunctionBoundary(loop.body)) mentions = false;
    else ts.forEachChild(node, check);
  };
  check(trip.call);
  for (const link of trip.chain) check(link);
  // A query a helper builds and returns (`await findPosts(user.id)`): its arguments reach the query through the
  // helper's parameters, so the awaited call itself must not mention the loop's names either.
  check(trip.node);
  void file;
  return !mentions;
}
