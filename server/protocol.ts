// Custom LSP messages and the settings ↔ engine Config mapping, defined once and imported by both the server and the client.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { Config, Thresholds, RuleSetting, parseConfigLenient, type ConfigProblem } from '../rules/analysis/config';

/** The configuration section every setting lives under. */
export const SETTINGS_SECTION = 'perfAdvisor';
/** Diagnostic source shown in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'perf-advisor';
/**
 * The directive inserted by "Ignore on this line" (the engine honours it on the next line), and where rule docs live.
 */
export { IGNORE_DIRECTIVE, directiveComment, parseRuleList, ruleListSpan } from './engine/directiveSyntax';
export { DOCS_BASE_URL } from '../rules/createRule';

export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

// ---------------------------------------------------------------------------------------------
// Custom requests and notifications

/** Which code sites issue a Redis command (optionally on a key prefix) or a SQL statement. */
export const CommandSitesParams = z.object({
  command: z.string().min(1).optional(),
  keyPrefix: z.string().optional(),
  sql: z.string().min(1).optional(),
});
export type CommandSitesParams = z.infer<typeof CommandSitesParams>;
export interface CommandSite {
  uri: string;
  range: WireRange;
}
export const CommandSitesRequest = new RequestType<CommandSitesParams, CommandSite[], void>('perfAdvisor/commandSites');

export type AnalysisState = 'starting' | 'scanning' | 'idle' | 'stopped';

export interface FindingSummaryItem {
  ruleId: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  range: WireRange;
  docsUrl: string;
}

/** Counts per rule and per file, for the report webview and the status bar. */
export interface FindingsSummary {
  state: AnalysisState;
  filesAnalyzed: number;
  filesTotal: number;
  total: number;
  rules: { ruleId: string; description: string; docsUrl: string; count: number }[];
  files: { uri: string; count: number; findings: FindingSummaryItem[] }[];
}
export const FindingsSummaryRequest = new RequestType<Record<string, never>, FindingsSummary, void>(
  'perfAdvisor/findingsSummary',
);

export interface AnalyzeWorkspaceResult {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
  fromCache: number;
  durationMs: number;
}
/** Re-runs the workspace scan (cancellable through the request's token, progress through `$/progress`). */
export const AnalyzeWorkspaceRequest = new RequestType<Record<string, never>, AnalyzeWorkspaceResult, void>(
  'perfAdvisor/analyzeWorkspace',
);

export interface StatusParams {
  state: AnalysisState;
  findings: number;
  filesAnalyzed: number;
  filesTotal: number;
}
/** Server → client whenever the analysis state or the finding count changes. */
export const StatusNotification = new NotificationType<StatusParams>('perfAdvisor/status');

/** Server-side command behind "Show documentation" (opens the rule's page through window/showDocument). */
export const SHOW_DOCUMENTATION_COMMAND = 'perfAdvisor.server.showDocumentation';
/** Client-side command behind "Disable rule in settings"; offered only to clients that announce it. */
export const DISABLE_RULE_COMMAND = 'perfAdvisor.disableRule';

/** What the client passes at start-up. Storage folders are where the content-hash cache lives (never the workspace). */
export const InitializationOptions = z.object({
  storagePath: z.string().optional(),
  globalStoragePath: z.string().optional(),
  /** Client commands the server may reference from code actions. */
  clientCommands: z.array(z.string()).default([]),
  /** Turns the start-up workspace scan off (tests that drive the scan themselves). */
  scanOnStartup: z.boolean().default(true),
});
export type InitializationOptions = z.infer<typeof InitializationOptions>;

const LazyFixData = z.object({
  family: z.string(),
  facts: z.record(z.string(), z.unknown()),
  textHash: z.string().optional(),
});

/** What a diagnostic carries for its code actions (LSP 3.17 `Diagnostic.data`). */
export const DiagnosticData = z.object({
  ruleId: z.string(),
  docsUrl: z.string(),
  fixes: z.array(
    z.object({
      title: z.string(),
      kind: z.enum(['fix', 'suggestion']),
      edits: z.array(
        z.object({
          uri: z.string(),
          range: z.custom<WireRange>((v) => typeof v === 'object' && v !== null && 'start' in v && 'end' in v),
          newText: z.string(),
          createFile: z.boolean().optional(),
        }),
      ),
      /** A fix built on `codeAction/resolve`: its family and facts, handed back to the server untouched. */
      lazy: LazyFixData.optional(),
      /** An explanation-only action: opens this anchor of the rule's docs instead of editing. */
      explanation: z.string().optional(),
    }),
  ),
});
export type DiagnosticData = z.infer<typeof DiagnosticData>;

/** What an unresolved Perf Advisor code action carries until `codeAction/resolve` builds its edit. */
export const CodeActionData = z.discriminatedUnion('perfAdvisor', [
  z.object({ perfAdvisor: z.literal('fix'), uri: z.string(), lazy: LazyFixData }),
  z.object({
    perfAdvisor: z.literal('fixAll'),
    uri: z.string(),
    ruleId: z.string().optional(),
    exactOnly: z.boolean(),
  }),
]);
export type CodeActionData = z.infer<typeof CodeActionData>;

/** The code action kind of "fix all" on save (`editor.codeActionsOnSave`): only fixes that keep behaviour exactly. */
export const FIX_ALL_KIND = 'source.fixAll.perfAdvisor';

// ---------------------------------------------------------------------------------------------
// Settings ↔ Config

/** Top-level keys of the `perfAdvisor` section that feed the engine's Config. */
const ENGINE_KEYS = ['rules', 'thresholds', 'libraries', 'exclude', 'uniqueKeys', 'scan'] as const;

/** A setting that was invalid and fell back to its default, named as the user writes it. */
export interface SettingProblem {
  setting: string;
  message: string;
  /** The workspace folder whose settings hold the bad value; absent for the window-level settings. */
  folder?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Maps the raw `perfAdvisor` settings object (as returned by workspace/configuration) to the
 * engine's Config. Validation is per leaf: one bad threshold or rule severity falls back alone,
 * and each problem names the full setting (`perfAdvisor.thresholds.maxFileSizeKb`).
 */
export function settingsToConfig(raw: unknown): { config: Config; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const name = (path: string) => `${SETTINGS_SECTION}.${path}`;
  if (raw !== undefined && raw !== null && !isRecord(raw)) {
    return { config: Config.parse({}), problems: [{ setting: SETTINGS_SECTION, message: 'must be an object' }] };
  }
  const settings = isRecord(raw) ? raw : {};
  const input: Record<string, unknown> = {};

  if (settings.rules !== undefined) {
    if (!isRecord(settings.rules))
      problems.push({ setting: name('rules'), message: 'must be an object keyed by rule id' });
    else {
      const rules: Record<string, unknown> = {};
      for (const [ruleId, value] of Object.entries(settings.rules)) {
        if (!isRecord(value)) {
          problems.push({
            setting: name(`rules.${ruleId}`),
            message: 'must be an object with "enabled" and/or "severity"',
          });
          continue;
        }
        const kept: Record<string, unknown> = {};
        for (const [field, fieldValue] of Object.entries(value)) {
          const schema = RuleSetting.shape[field as keyof typeof RuleSetting.shape];
          if (!schema) continue; // unknown sub-keys are ignored, like VS Code does
          const parsed = schema.safeParse(fieldValue);
          if (parsed.success) kept[field] = parsed.data;
          else
            problems.push({
              setting: name(`rules.${ruleId}.${field}`),
              message: describeIssue(parsed.error, fieldValue),
            });
        }
        rules[ruleId] = kept;
      }
      input.rules = rules;
    }
  }

  if (settings.thresholds !== undefined) {
    if (!isRecord(settings.thresholds)) problems.push({ setting: name('thresholds'), message: 'must be an object' });
    else {
      const thresholds: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(settings.thresholds)) {
        const schema = Thresholds.shape[key as keyof typeof Thresholds.shape];
        if (!schema) continue;
        const parsed = schema.safeParse(value);
        if (parsed.success) thresholds[key] = parsed.data;
        else problems.push({ setting: name(`thresholds.${key}`), message: describeIssue(parsed.error, value) });
      }
      input.thresholds = thresholds;
    }
  }

  for (const key of ['libraries', 'exclude', 'uniqueKeys', 'scan'] as const) {
    if (settings[key] !== undefined) input[key] = settings[key];
  }
  // The engine's own lenient parser does the rest (arrays, libraries); it names top-level keys.
  const { config, problems: engineProblems } = parseConfigLenient(input);
  problems.push(...engineProblems.map((p: ConfigProblem) => ({ setting: name(p.path), message: p.message })));
  return { config, problems };
}

function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0];
  return `${issue?.message ?? 'invalid value'} (got ${JSON.stringify(value)})`;
}

/** One sentence for the user: which settings were wrong and that defaults are used instead. */
export function formatSettingProblems(problems: SettingProblem[]): string {
  const parts = problems.map((p) => `"${p.setting}"${p.folder ? ` in folder "${p.folder}"` : ''} (${p.message})`);
  return `Perf Advisor: invalid setting ${parts.join(', ')}; using the default value instead.`;
}

export { ENGINE_KEYS };
