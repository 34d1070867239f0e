// Bundles the CLI, the language server and the extension with esbuild into dist/.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

/**
 * The engine imports `ts` from ts-morph, whose `ts` is a frozen namespace of getters (and esbuild adds another getter
 * layer): every `ts.isX(node)` then costs two megamorphic getter calls, about a third of the analysis time. In the
 * language server's bundle that import becomes the TypeScript module object itself (the very copy ts-morph loads),
 * and ts-morph's own wrapper is no longer bundled or evaluated at start-up.
 */
const plainTypeScript = {
  name: 'plain-typescript',
  setup(build) {
    // rules/fixes/morph.ts loads ts-morph's manipulation API itself, lazily, when a fix is built.
    build.onResolve({ filter: /^ts-morph$/ }, (args) =>
      args.importer.includes('node_modules') || /rules[\\/]fixes[\\/]morph\.ts$/.test(args.importer)
        ? undefined
        : { path: 'ts-morph', namespace: 'plain-typescript' },
    );
    build.onLoad({ filter: /.*/, namespace: 'plain-typescript' }, () => ({
      contents: "const ts = require('@ts-morph/common/dist/typescript.js');\nexport { ts };\n",
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};
const entries = [
  { in: 'server/cli/main.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The language server's two threads: the LSP side (no engine, no TypeScript) and the analysis worker it starts.
  { in: 'server/lsp/main.ts', out: 'dist/server.js', options: { plugins: [plainTypeScript] } },
  { in: 'server/worker/main.ts', out: 'dist/analysisWorker.js', options: { plugins: [plainTypeScript] } },
  { in: 'client/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // the load generator's worker thread (autocannon), started by the CLI and the extension from dist/
  { in: 'measure/loadtest/worker.ts', out: 'dist/loadtestWorker.js' },
  // the Redis panel's webview script: a browser bundle loaded from dist/panel (see client/panel/html.ts)
  {
    in: 'media/panel/main.ts',
    out: 'dist/panel/main.js',
    options: { platform: 'browser', format: 'iife', target: 'es2022', minify: true },
  },
  // the profiling result webview's script (see client/profiling/resultPanel.ts)
  {
    in: 'media/profiling/main.ts',
    out: 'dist/profiling/main.js',
    options: { platform: 'browser', format: 'iife', target: 'es2022', minify: true },
  },
];
for (const entry of entries) {
  // A moved or renamed entry must fail the build, not leave a bundle silently stale.
  if (!existsSync(entry.in)) throw new Error(`build entry ${entry.in} does not exist`);
  await build({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    banner: entry.banner,
    external: entry.external ?? [],
    ...entry.options,
  });
}
