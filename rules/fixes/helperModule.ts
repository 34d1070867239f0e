// Where a fix puts a helper module it adds to the user's project once, and in which module language.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { FileModel } from '../analysis/sourceFile';

export type ModuleLanguage = 'ts' | 'esm' | 'cjs';

export function languageOf(file: FileModel): ModuleLanguage {
  if (/\.[cm]?tsx?$/.test(file.path)) return 'ts';
  if (file.path.endsWith('.mjs') || file.sourceFile.statements.some(ts.isImportDeclaration)) return 'esm';
  return 'cjs';
}

/** The helper lives in the nearest `src` folder above the file (or next to it), so one module serves the project. */
export function helperPathFor(file: FileModel, basename: string): string {
  const dir = path.posix.dirname(file.path);
  const parts = dir.split('/');
  const srcIndex = parts.lastIndexOf('src');
  const base = srcIndex >= 0 ? parts.slice(0, srcIndex + 1).join('/') : dir;
  return `${base}/${basename}.${languageOf(file) === 'ts' ? 'ts' : 'js'}`;
}

/** The import specifier of the helper from `fromPath` (`./perfAdvisorKey`, `../perfAdvisorKey.js` in ESM). */
export function helperSpecifierFrom(fromPath: string, helperPath: string, language: ModuleLanguage): string {
  let specifier = path.posix.relative(
    path.posix.dirname(fromPath),
    helperPath.replace(/\.(ts|js)$/, language === 'esm' ? '.js' : ''),
  );
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return specifier;
}

/** A helper written in TypeScript, as the project's language needs it (transpiled for JavaScript projects). */
export function helperSourceFor(language: ModuleLanguage, typescript: string): string {
  if (language === 'ts') return typescript;
  const js = ts.transpileModule(typescript, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: language === 'cjs' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      esModuleInterop: true,
      removeComments: false,
    },
  }).outputText;
  return js.replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
}
