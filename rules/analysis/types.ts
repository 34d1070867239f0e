// What rules produce: findings with spans, related places and fixes as text edits (no VS Code, no LSP types).

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Zero-based line and character, like LSP, so the server converts nothing. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A span in a file, as offsets (for edits) and as a line/character range (for display). */
export interface Span {
  file: string;
  start: number;
  end: number;
  range: Range;
}

/** One text replacement; fixes are data, never tree mutations. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
  /** Create `file` with `newText` as its whole content, unless it already exists (then the edit is dropped). */
  createFile?: boolean;
}

/**
 * A fix whose edits are built only when asked for (`codeAction/resolve`): the diagnostics path records the facts the
 * fix family needs (offsets into the analysed text, names, the library's batch or pool form), never the rewrite.
 */
export interface LazyFix {
  /** The fix family in rules/fixes that builds the edits (`batch`, `pool`, `release`, `cache`, …). */
  family: string;
  /** JSON-serialisable facts for that family; offsets refer to the text that was analysed. */
  facts: Record<string, unknown>;
  /** Fingerprint of the analysed text, set by the engine: a fix asked for after the file changed is refused. */
  textHash?: string;
}

/** A fix (keeps behaviour exactly, may be applied automatically) or a suggestion (reviewed by a person). */
export interface FixProposal {
  title: string;
  /** 'fix' keeps behaviour exactly; 'suggestion' changes it (batching, caching) and is never applied on save. */
  kind: 'fix' | 'suggestion';
  /** The edits; empty for a lazy fix until it is resolved. */
  edits: TextEdit[];
  lazy?: LazyFix;
  /**
   * An explanation-only action (no edits): no rewrite is safe here, and this anchor of the rule's docs page (`#…`)
   * says why and how to do it by hand. Never applied, by fix-all or on save.
   */
  explanation?: string;
}

/** A related place: the loop header, a step of the "via" chain, where a client is created. */
export interface RelatedLocation {
  span: Span;
  message: string;
}

export interface Finding {
  ruleId: string;
  /** The id of the message template in the rule's meta, e.g. 'sequential' or 'concurrent'. */
  messageId: string;
  message: string;
  severity: Severity;
  span: Span;
  related: RelatedLocation[];
  fixes: FixProposal[];
  /** Machine-readable facts for code actions and reports (library, method, loop variable, chain). */
  data: Record<string, unknown>;
  docsUrl: string;
}
