// The rule catalog: every rule the engine runs, in one list.
import type { Rule } from './createRule';
import { nPlusOne } from './n-plus-one';
import { unpooledConnection } from './unpooled-connection';
import { missingCache } from './missing-cache';
import { unboundedRead } from './unbounded-read';
import { cacheWriteWithoutTtl } from './cache-write-without-ttl';
import { unstableCacheKey } from './unstable-cache-key';

export const rules: Rule<string, any>[] = [
  nPlusOne,
  unpooledConnection,
  missingCache,
  unboundedRead,
  cacheWriteWithoutTtl,
  unstableCacheKey,
];

export interface RuleCatalogEntry {
  id: string;
  description: string;
  defaultSeverity: 'error' | 'warning' | 'info' | 'hint';
  docsUrl: string;
}

export const ruleCatalog: RuleCatalogEntry[] = rules.map((rule) => ({
  id: rule.id,
  description: rule.meta.description,
  defaultSeverity: rule.meta.defaultSeverity,
  docsUrl: rule.docsUrl,
}));
