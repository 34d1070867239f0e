// Reads `perfAdvisor.*` settings through workspace/configuration and warns once per distinct set of bad values.
import type { Connection } from 'vscode-languageserver';
import type { Config } from '../engine';
import { SETTINGS_SECTION, formatSettingProblems, settingsToConfig } from '../protocol';

export class SettingsReader {
  private lastWarning = '';

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  /** Current settings as a Config; invalid values fall back to their defaults with one warning naming them. */
  async read(): Promise<Config> {
    let raw: unknown;
    if (this.canPull) {
      try {
        raw = await this.connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
      } catch (error) {
        this.connection.console.warn(`could not read settings: ${(error as Error).message}`);
      }
    }
    const { config, problems } = settingsToConfig(raw);
    const warning = problems.length > 0 ? formatSettingProblems(problems) : '';
    if (warning && warning !== this.lastWarning) {
      this.connection.console.warn(warning);
      void this.connection.window.showWarningMessage(warning);
    }
    this.lastWarning = warning;
    return config;
  }
}
