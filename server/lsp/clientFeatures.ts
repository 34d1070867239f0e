// What the editor announced at `initialize`, read once: which optional LSP features the server may use with it.
import type { ClientCapabilities } from 'vscode-languageserver';

export interface ClientFeatures {
  /** `textDocument/diagnostic`: the client pulls open files' diagnostics; otherwise the server pushes them. */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh`: the server may ask a pulling client to pull again. */
  refreshDiagnostics: boolean;
  /** `workspace/configuration`: the server may ask for settings; otherwise it takes those `didChangeConfiguration` carries. */
  pullSettings: boolean;
  /** Dynamic registration of `workspace/didChangeConfiguration`. */
  watchSettings: boolean;
  watchFolders: boolean;
  /** `codeAction/resolve` of an action's edit (VS Code): edits are built lazily. */
  resolveEdits: boolean;
  /** `window/showDocument`: only then is "Show documentation" offered (others follow the diagnostic's `codeDescription` link). */
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
