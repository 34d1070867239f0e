// The unstable-cache-key suggestion: `JSON.stringify(x)` or an interpolated object in a Redis key becomes
// `stableKey(x)`, a serializer with sorted keys that the suggestion adds to the project once.
import { ts } from 'ts-morph';
import { z } from 'zod';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { skipOuterExpressions } from '../analysis/scope';
import { helperPathFor, helperSourceFor, helperSpecifierFrom, languageOf } from './helperModule';
import { lazyFix } from './lazy';
import { ensureImport, type Rewrite } from './rewrite';
import { KEY_FUNCTION, KEY_HELPER_BASENAME, keyHelperTypeScript } from './templates/keyHelper';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
const StableKeyFacts = z.object({
  /** What is replaced (the `JSON.stringify(…)` call or the interpolated object) and its text when the fix was offered. */
  span: Span,
  original: z.string(),
  /** The value to serialise: the call's argument or the object itself. */
  value: Span,
  helperPath: z.string(),
  language: z.enum(['ts', 'esm', 'cjs']),
});

/**
 * The suggestion for a key part at fault, when it sits in this file (the key, its variable or a key helper): `JSON.stringify(x)`
 * with one argument (a replacer or indent would change what the key holds), or an object interpolated into a template.
 * A suggestion, not a fix: keys change text, so entries written under the old keys are missed once.
 */
export function stableKeyFix(file: FileModel, part: ts.Node, problem: 'jsonKey' | 'objectKey'): FixProposal[] {
  // The part may sit in a local key variable or a key helper of this file: rewriting it there keys every use alike.
  if (part.getSourceFile() !== file.sourceFile) return [];
  let value: ts.Node;
  if (problem === 'jsonKey') {
    if (!ts.isCallExpression(part) || part.arguments.length !== 1) return [];
    value = part.arguments[0]!;
  } else {
    if (!ts.isTemplateSpan(part.parent) && !ts.isTemplateSpan(skipOuterExpressions(part as ts.Expression).parent))
      return [];
    value = part;
  }
  const span = { start: part.getStart(file.sourceFile), end: part.end };
  return [
    lazyFix(
      `Build the key with \`${KEY_FUNCTION}(…)\`: sorted fields, the same key for the same data (adds ${KEY_HELPER_BASENAME} once)`,
      'suggestion',
      'stableKey',
      {
        span,
        original: file.sourceFile.text.slice(span.start, span.end),
        value: { start: value.getStart(file.sourceFile), end: value.end },
        helperPath: helperPathFor(file, KEY_HELPER_BASENAME),
        language: languageOf(file),
      },
    ),
  ];
}

export function resolveStableKeyFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = StableKeyFacts.parse(raw);
  const file = rewrite.open(rewrite.path);
  const text = file.getFullText();
  if (text.slice(facts.span.start, facts.span.end) !== facts.original) throw new Error('the key moved');
  file.replaceText(
    [facts.span.start, facts.span.end],
    `${KEY_FUNCTION}(${text.slice(facts.value.start, facts.value.end)})`,
  );
  ensureImport(
    file,
    helperSpecifierFrom(rewrite.path, facts.helperPath, facts.language),
    { named: [KEY_FUNCTION] },
    rewrite.style(rewrite.path),
  );
  if (!rewrite.hasFile(facts.helperPath))
    rewrite.createFile(facts.helperPath, helperSourceFor(facts.language, keyHelperTypeScript()));
}
