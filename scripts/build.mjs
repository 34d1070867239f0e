// Bundles the CLI, the language server and the extension with esbuild into dist/.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { in: 'server/cli/main.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { in: 'server/lsp/main.ts', out: 'dist/server.js' },
  { in: 'client/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // the Redis panel's webview script: a browser bundle loaded from dist/panel (see client/panel/html.ts)
  { in: 'media/panel/main.ts', out: 'dist/panel/main.js', options: { platform: 'browser', format: 'iife', target: 'es2022', minify: true } },
];
for (const entry of entries) {
  if (!existsSync(entry.in)) continue; // parts not written yet are simply not built
  await build({ ...common, entryPoints: [entry.in], outfile: entry.out, banner: entry.banner, external: entry.external ?? [], ...entry.options });
}
