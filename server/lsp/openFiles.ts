// The files open in the editor, by path: their URIs, and which of them the worker holds at which version.
import { fileURLToPath } from 'node:url';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isSourceFileName } from '../workspace';
import type { AnalysisHost } from './analysisHost';
import { defaultUriOf } from './diagnostics';
import { mergeChange } from '../worker/protocol';
import type { TextChange } from '../engine';

export class OpenFiles {
  /**
   * Per document, the span changed since `base` (a version), from the editor's change events; unknown after a full-text
   * change.
   */
  private readonly changedSince = new Map<string, { base: number; change?: TextChange; known: boolean }>();
  readonly documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (document, changes, version) => {
      const tracked = this.changedSince.get(document.uri) ?? { base: document.version, known: true };
      this.changedSince.set(document.uri, tracked);
      // One event at a time: each event's range is in the text the previous ones left.
      for (const event of changes) {
        if ('range' in event && tracked.known) {
          const start = document.offsetAt(event.range.start);
          const end = document.offsetAt(event.range.end);
          tracked.change = mergeChange(tracked.change, start, end, event.text.length);
        } else tracked.known = false;
        document = TextDocument.update(document, [event], version);
      }
      return document;
    },
  });
  /** Version of each open file the worker holds; an excluded open file is never sent. */
  private readonly sentVersion = new Map<string, number>();

  constructor(
    private readonly host: AnalysisHost,
    private readonly isExcluded: (path: string) => boolean,
  ) {}

  /** Only file: URIs of TS/JS sources are analysed. */
  pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    return isSourceFileName(path) ? path : undefined;
  }

  /** Open documents keep the exact URI their editor sent; other files get a file: URI. */
  readonly uriOf = (path: string): string => {
    for (const document of this.documents.all()) if (this.pathOf(document.uri) === path) return document.uri;
    return defaultUriOf(path);
  };

  paths(): string[] {
    return this.documents.all().flatMap((d) => this.pathOf(d.uri) ?? []);
  }

  /** The worker holds the editor's text of this file (open and not excluded). */
  isSent(path: string): boolean {
    return this.sentVersion.has(path);
  }

  /** Forgets that the worker holds the file; false when it never did. */
  unsend(path: string): boolean {
    return this.sentVersion.delete(path);
  }

  /** Sends the document's text to the worker once per version. */
  flush(document: TextDocument, path: string): void {
    const sent = this.sentVersion.get(path);
    if (sent === document.version) return;
    this.sentVersion.set(path, document.version);
    // The span is worth sending only when the worker holds the text it was measured from.
    const tracked = this.changedSince.get(document.uri);
    this.changedSince.delete(document.uri);
    const change = tracked?.known && tracked.base === sent ? tracked.change : undefined;
    this.host.upsert(path, document.getText(), true, change);
  }

  /** Sends every open, not excluded document that changed since it was last sent. */
  flushAll(): void {
    for (const document of this.documents.all()) {
      const path = this.pathOf(document.uri);
      if (path && !this.isExcluded(path)) this.flush(document, path);
    }
  }
}
