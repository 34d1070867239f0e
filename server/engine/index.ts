// Entry point of the analysis engine: an incremental session over a set of files, and a one-shot helper.
// Used by the CLI, the language server, the benchmarks and the tests alike.
export * from './types';
export {
  Config,
  defaultConfig,
  parseConfigLenient,
  ruleOptionProblems,
  RULE_OPTIONS,
} from '../../rules/analysis/config';
export type { ConfigInput, ConfigProblem, Thresholds } from '../../rules/analysis/config';
export { AnalysisSession, analyzeFiles } from './session';
export { FolderConfigs } from './folderConfigs';
export type { FolderConfig } from './folderConfigs';
export type { CancellationToken, CommandSiteQuery, ProgressReporter } from './session';
export { ruleCatalog } from '../../rules';
