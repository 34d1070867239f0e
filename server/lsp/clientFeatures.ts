// What the editor announced at `initialize`, read once (which optional LSP features the server may use with it), and what the server announces back.
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
} from 'vscode-languageserver';
import { FIX_ALL_KIND, SHOW_DOCUMENTATION_COMMAND } from '../protocol';

export interface ClientFeatures {
  /** `textDocument/diagnostic`: the client pulls open files' diagnostics; otherwise the server pushes them. */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh`: the server may ask a pulling client to pull again. */
  refreshDiagnostics: boolean;
  /**
   * `workspace/configuration`: the server may ask for settings; otherwise it takes those `didChangeConfiguration`
   * carries.
   */
  pullSettings: boolean;
  /** Dynamic registration of `workspace/didChangeConfiguration`. */
  watchSettings: boolean;
  watchFolders: boolean;
  /** `codeAction/resolve` of an action's edit (VS Code): edits are built lazily. */
  resolveEdits: boolean;
  /**
   * `window/showDocument`: only then is "Show documentation" offered (others follow the diagnostic's `codeDescription`
   * link).
   */
  showDocuments: boolean;
  workDoneProgress: boolean;
}

export function clientFeaturesOf(capabilities: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    refreshDiagnostics: capabilities.workspace?.diagnostics?.refreshSupport === true,
    pullSettings: capabilities.workspace?.configuration === true,
    watchSettings: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchFolders: capabilities.workspace?.workspaceFolders === true,
    resolveEdits: capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    showDocuments: capabilities.window?.showDocument?.support === true,
    workDoneProgress: capabilities.window?.workDoneProgress === true,
  };
}

export function initializeResult(client: ClientFeatures): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      diagnosticProvider: { identifier: 'perf-advisor', interFileDependencies: true, workspaceDiagnostics: false },
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
        resolveProvider: true,
      },
      // The one command opens a URL through window/showDocument: pointless to a client that cannot show documents.
      executeCommandProvider: { commands: client.showDocuments ? [SHOW_DOCUMENTATION_COMMAND] : [] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'perf-advisor' },
  };
}
