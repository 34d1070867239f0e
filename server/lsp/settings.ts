// Reads `perfAdvisor.*` settings through workspace/configuration, once for the window and once per workspace folder, and warns once per distinct set of bad values.
import type { Connection } from 'vscode-languageserver';
import type { Config, FolderConfig } from '../engine';
import { SETTINGS_SECTION, formatSettingProblems, settingsToConfig, type SettingProblem } from '../protocol';

/** A workspace folder as the server knows it. */
export interface FolderRef {
  uri: string;
  name: string;
  /** Absolute directory path. */
  root: string;
}

/** Settings for files outside every folder, and per folder. */
export interface Settings {
  config: Config;
  folders: FolderConfig[];
}

export class SettingsReader {
  private lastWarning = '';

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  /**
   * Current settings: the window-level section, then one section per folder (`scopeUri` = the
   * folder, so folder-level settings apply). Invalid values fall back to their defaults with one
   * warning naming them, and the folder when only that folder's settings hold the bad value.
   */
  async read(folders: readonly FolderRef[]): Promise<Settings> {
    let raw: unknown[] = [];
    if (this.canPull) {
      try {
        raw = await this.connection.workspace.getConfiguration([
          { section: SETTINGS_SECTION },
          ...folders.map((f) => ({ scopeUri: f.uri, section: SETTINGS_SECTION })),
        ]);
      } catch (error) {
        this.connection.console.warn(`could not read settings: ${(error as Error).message}`);
      }
    }
    const window = settingsToConfig(raw[0]);
    const problems: SettingProblem[] = [...window.problems];
    const known = new Set(window.problems.map(problemKey));
    const perFolder = folders.map((folder, i) => {
      // A client that has nothing for the folder's scope answers null: the window-level settings apply.
      const parsed = settingsToConfig(raw[i + 1] ?? raw[0]);
      for (const problem of parsed.problems) {
        // A bad value inherited from user settings shows in every folder: name it once, without a folder.
        if (known.has(problemKey(problem))) continue;
        problems.push({ ...problem, folder: folder.name });
      }
      return { root: folder.root, config: parsed.config };
    });
    const warning = problems.length > 0 ? formatSettingProblems(problems) : '';
    if (warning && warning !== this.lastWarning) {
      this.connection.console.warn(warning);
      void this.connection.window.showWarningMessage(warning);
    }
    this.lastWarning = warning;
    return { config: window.config, folders: perFolder };
  }
}

function problemKey(problem: SettingProblem): string {
  return `${problem.setting}\0${problem.message}`;
}
