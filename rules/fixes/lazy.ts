// Makes a lazy fix proposal: a title, a kind and the facts its family needs; the edits come on request.
import type { FixProposal } from '../analysis/types';

export function lazyFix(
  title: string,
  kind: FixProposal['kind'],
  family: string,
  facts: Record<string, unknown>,
): FixProposal {
  return { title, kind, edits: [], lazy: { family, facts } };
}

/** Offsets of a node in its file, as facts carry them. */
export interface SpanFacts {
  start: number;
  end: number;
}
