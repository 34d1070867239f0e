// Origins for the collections of n-plus-one cases. A loop over a parameter that no caller in the project fills is
// silent by default (`untracedParameters: 'silent'`), so a case about a loop shape or a fix gives its collection a
// traced origin that grows — a route in another file passing what the client sent — or opts into the `info` reports.
import type { ConfigInput } from '../../rules/analysis/config';

/** Opts into reports on loops over a parameter no caller fills: `info` severity, "possible: …" in the message. */
export const UNTRACED_POSSIBLE: ConfigInput = {
  rules: { 'n-plus-one': { options: { untracedParameters: 'possible' } } },
};

/** One parent's children looped over on paths that only write, at the rule's severity (default: `info`, "possible"). */
export const CHILDREN_ON_WRITE_PATHS_REPORT: ConfigInput = {
  rules: { 'n-plus-one': { options: { childrenOnWritePaths: 'report' } } },
};

/** One parent's children looped over on paths that only write, not reported. */
export const CHILDREN_ON_WRITE_PATHS_SILENT: ConfigInput = {
  rules: { 'n-plus-one': { options: { childrenOnWritePaths: 'silent' } } },
};

/**
 * A project file with an express route that imports `imported` from `from` and awaits `call` (say `f(req.body.ids)`):
 * the parameter it fills holds what the client sent, a traced origin that grows. `from` is relative to /project/src.
 */
export function calledFromRoute(imported: string, call: string, from = './case'): Record<string, string> {
  return {
    '/project/src/routes.ts': [
      "import express from 'express';",
      `import { ${imported} } from '${from}';`,
      'const app = express();',
      `app.post('/items', async (req, res) => res.json(await ${call}));`,
      '',
    ].join('\n'),
  };
}

/**
 * A route per function `code` exports that takes parameters, each filled from the request body: the batch tests' own
 * functions (compiled and run as they are) get callers whose collections grow.
 */
export function routeCallers(code: string, from = './case'): Record<string, string> {
  const functions = [...code.matchAll(/^export (?:async )?function (\w+)\(([^)]+)\)/gm)].map((m) => ({
    name: m[1]!,
    arity: topLevelCommas(m[2]!) + 1,
  }));
  if (functions.length === 0) return {};
  const args = (arity: number) => Array.from({ length: arity }, (_, i) => `req.body.arg${i}`).join(', ');
  return {
    '/project/src/routes.ts': [
      "import express from 'express';",
      `import { ${functions.map((f) => f.name).join(', ')} } from '${from}';`,
      'const app = express();',
      ...functions.map(
        (f) => `app.post('/${f.name}', async (req, res) => res.json(await ${f.name}(${args(f.arity)})));`,
      ),
      '',
    ].join('\n'),
  };
}

/** Commas outside brackets and braces: a parameter list's separators. */
function topLevelCommas(text: string): number {
  let depth = 0;
  let commas = 0;
  for (const [i, ch] of [...text].entries()) {
    if ('{[<('.includes(ch)) depth++;
    else if ('}])'.includes(ch) || (ch === '>' && text[i - 1] !== '=')) depth--;
    else if (ch === ',' && depth === 0) commas++;
  }
  return commas;
}
