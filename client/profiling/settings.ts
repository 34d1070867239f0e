// Reads `perfAdvisor.profiling.*` through the zod schema: a bad value falls back to its default and is reported once.
import * as vscode from 'vscode';
import { parseProfilingSettings, PROFILING_SECTION, ProfilingSettings } from '../../measure/settings';

const reported = new Set<string>();

export function readProfilingSettings(): ProfilingSettings {
  const config = vscode.workspace.getConfiguration(PROFILING_SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ProfilingSettings.shape)) raw[key] = config.get(key);
  const { settings, problems } = parseProfilingSettings(raw);
  for (const problem of problems) {
    const line = `${problem.key}: ${problem.message}`;
    if (reported.has(line)) continue;
    reported.add(line);
    void vscode.window.showWarningMessage(`Perf Advisor: invalid setting, using the default: ${line}`);
  }
  return settings;
}
