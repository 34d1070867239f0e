// Which source files define the route of a URL: route strings in router calls (`.get('/orders/:id'`) matched segment by segment.

/** Route registrations: `.get('/x'`, `.post("/x"`, `.route('/x'`, `.use('/x'`, `@Get('/x')` and the like. */
const ROUTE_CALL =
  /(?:\.(?:get|post|put|patch|delete|all|route|use|head|options)|@(?:Get|Post|Put|Patch|Delete|All|Controller))\(\s*(['"`])(\/[^'"`\s]*)\1/g;

const segments = (path: string) => path.split('/').filter((s) => s !== '');
const isParam = (segment: string) => segment.startsWith(':') || segment.startsWith('{') || segment === '*';

/**
 * Whether a route pattern can serve `path`: its segments equal a run of the path's segments (parameters match any),
 * ending the path (a router mounted at a prefix) or starting it (a prefix mount). At least one literal segment.
 */
export function routeMatches(pattern: string, path: string): boolean {
  const want = segments(pattern);
  const have = segments(path);
  if (want.length === 0 || want.length > have.length || want.every(isParam)) return false;
  const matchesAt = (offset: number) => want.every((s, i) => isParam(s) || s === have[offset + i]);
  return matchesAt(have.length - want.length) || matchesAt(0);
}

/** Files (of `files`) with a route registration that matches the URL's path, the most specific match first. */
export function routeFiles(url: string, files: readonly { path: string; text: string }[]): string[] {
  const path = new URL(url).pathname;
  const scored: { path: string; score: number }[] = [];
  for (const file of files) {
    let best = 0;
    for (const match of file.text.matchAll(ROUTE_CALL)) {
      const pattern = match[2];
      if (routeMatches(pattern, path)) best = Math.max(best, segments(pattern).filter((s) => !isParam(s)).length);
    }
    if (best > 0) scored.push({ path: file.path, score: best });
  }
  return scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path)).map((s) => s.path);
}
