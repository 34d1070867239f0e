// The rule catalog: every rule the engine runs, in one list.
export interface RuleCatalogEntry {
  id: string;
  description: string;
  defaultSeverity: 'error' | 'warning' | 'info' | 'hint';
  docsUrl: string;
}
export const ruleCatalog: RuleCatalogEntry[] = [];
