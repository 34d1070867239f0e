// Lookup tables by construction: tables a migration or seed file both creates and fills with fixed rows.
import { ONE_OFF_FILE } from '../../knowledge/frameworks';
import type { FileModel } from '../sourceFile';
import { nameWords } from './subject';

/** `createTable('animal_use'`, `CREATE TABLE IF NOT EXISTS "public"."animal_use"`. */
const CREATED = [
  /createTable\(\s*['"`](\w+)['"`]/g,
  /create\s+table\s+(?:if\s+not\s+exists\s+)?[`"[]?(?:\w+[`"\]]?\.[`"[]?)?(\w+)/gi,
];
/** `knex('animal_use').insert(`, `.into('animal_use')`, `INSERT INTO animal_use`, `bulkInsert('animal_use'`. */
const FILLED = [
  /\(\s*['"`](\w+)['"`]\s*\)\s*\.insert\(/g,
  /\.into\(\s*['"`](\w+)['"`]/g,
  /insert\s+into\s+[`"[]?(?:\w+[`"\]]?\.[`"[]?)?(\w+)/gi,
  /bulkInsert\(\s*['"`](\w+)['"`]/g,
];

/** Per file text: the tables it creates and fills (as name words joined by spaces). */
const perFile = new WeakMap<FileModel, { text: string; tables: string[] }>();

function seededIn(file: FileModel): string[] {
  if (!ONE_OFF_FILE.test(file.path)) return [];
  const known = perFile.get(file);
  if (known && known.text === file.text) return known.tables;
  const names = (patterns: RegExp[]) =>
    new Set(patterns.flatMap((p) => [...file.text.matchAll(p)].map((m) => nameWords(m[1]!).join(' '))));
  const created = names(CREATED);
  const tables = [...names(FILLED)].filter((t) => t && created.has(t));
  perFile.set(file, { text: file.text, tables });
  return tables;
}

/**
 * Whether `subject` names a table that a migration or seed creates and fills in the same file (`animal_use` created,
 * then its ten fixed rows inserted): reference data the application reads whole, as a lookup.
 */
export function isSeededLookup(files: Iterable<FileModel>, subject: string | undefined): boolean {
  const words = subject ? nameWords(subject).join(' ') : '';
  if (!words) return false;
  for (const file of files) if (seededIn(file).includes(words)) return true;
  return false;
}
