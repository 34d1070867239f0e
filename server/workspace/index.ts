// Workspace file discovery shared by the CLI and the language server.
export { discoverFiles } from './discover';
export type { DiscoverOptions, DiscoveredFile, DiscoverySkip, DiscoveryResult, PathError } from './discover';
export { isSourceFileName, SOURCE_EXTENSIONS } from './fileChecks';
export type { SkipKind } from './fileChecks';
export { SKIPPED_DIRECTORY_NAMES, isInside } from './ignoreRules';
export { FolderExclusions } from './exclusion';
