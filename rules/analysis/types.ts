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

/** A fix (keeps behaviour exactly, may be applied automatically) or a suggestion (reviewed by a person). */
export interface FixProposal {
  title: string;
  /** 'fix' keeps behaviour exactly; 'suggestion' changes it (batching, caching) and is never applied on save. */
  kind: 'fix' | 'suggestion';
  edits: TextEdit[];
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
