// The one entry point that builds a lazy fix's edits on request (`codeAction/resolve`), on a throwaway in-memory project.
import type { LazyFix, TextEdit } from '../analysis/types';
import { Rewrite, type FixContext } from './rewrite';
import { FAMILIES } from './families';

export type { FixContext } from './rewrite';

/** Builds the edits of a lazy fix; throws a clear error for an unknown family or facts it cannot use. */
export function resolveLazyFix(context: FixContext, lazy: LazyFix): TextEdit[] {
  const family = FAMILIES.get(lazy.family);
  if (!family) throw new Error(`unknown fix family "${lazy.family}"`);
  const rewrite = new Rewrite(context);
  family(rewrite, lazy.facts, context);
  return rewrite.edits();
}
