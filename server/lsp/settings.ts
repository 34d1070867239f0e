// Reads `perfAdvisor.*` settings through workspace/configuration (window, then each folder) or, from clients without it, from what workspace/didChangeConfiguration carried; warns once per distinct set of bad values, and once when the client gives no settings at all.
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

/**
 * Time the client has after `initialized` to send settings (Neovim, Emacs, Sublime push them right after it) before the
 * server says it got none.
 */
export const SETTINGS_GRACE_MS = 1000;

export class SettingsReader {
  private lastWarning = '';
  /** The `perfAdvisor` section of the last didChangeConfiguration that carried one. */
  private pushed: unknown;
  private gotSettings = false;
  private missingWarned = false;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  /**
   * Keeps the section a `workspace/didChangeConfiguration` carries (`{ settings: { perfAdvisor: … } }`); true when it
   * carried one. Clients that answer workspace/configuration still send `settings: null` here: only a change signal.
   */
  receivePushed(settings: unknown): boolean {
    const section = sectionOf(settings);
    if (section === undefined) return false;
    this.pushed = section;
    this.gotSettings = true;
    return true;
  }

  /**
   * Logs once, after the grace time, when neither workspace/configuration nor didChangeConfiguration gave a
   * `perfAdvisor` section: the defaults apply, and a user whose settings the editor does not pass learns why.
   */
  warnIfNoneArrive(graceMs = SETTINGS_GRACE_MS): void {
    setTimeout(() => {
      if (this.gotSettings || this.missingWarned) return;
      this.missingWarned = true;
      const asked = this.canPull
        ? 'workspace/configuration answered no `perfAdvisor` section'
        : 'the editor does not offer workspace/configuration';
      this.connection.console.warn(
        `No perfAdvisor settings from the editor (${asked}, and no workspace/didChangeConfiguration carried ` +
          '`{ "perfAdvisor": … }`): the defaults apply. docs/editors.md shows how to pass settings from each editor.',
      );
    }, graceMs).unref();
  }

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
    raw = raw.map(emptyListAsObject);
    if (raw.some(isSection)) this.gotSettings = true;
    // No answer for the window (no workspace/configuration, or an answer of null): what was pushed applies.
    if (!isSection(raw[0])) raw = [this.pushed, ...raw.slice(1)];
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

function isSection(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** The `perfAdvisor` part of pushed settings (`{ perfAdvisor: … }`), or undefined when they carry none. */
function sectionOf(settings: unknown): unknown {
  if (!isSection(settings) || !Object.hasOwn(settings as object, SETTINGS_SECTION)) return undefined;
  const section = emptyListAsObject((settings as Record<string, unknown>)[SETTINGS_SECTION]);
  return isSection(section) ? section : undefined;
}

/**
 * Lua clients (Neovim) encode an empty table as `[]`: an empty `perfAdvisor = {}` means no settings, not a bad value.
 */
function emptyListAsObject(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? {} : value;
}
