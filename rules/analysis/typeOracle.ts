// What the TypeScript checker may tell the evaluator about a receiver that syntax cannot place (an optional oracle the
// runner supplies when types are on), and how a declared type maps to a knowledge table's handle type.
import type { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import type { ExportSpec, Library } from '../knowledge/schema';
import { libraryForModule, type Knowledge } from './fileSet';

/** A type the checker resolved an expression to: its name and the package whose declaration files declare it. */
export interface DeclaredType {
  /** `pg` for node_modules/@types/pg/index.d.ts, `@scope/x` for @types/scope__x, `.prisma/client`. */
  packageName: string;
  /** The declared name (`Pool`, `Repository`, `UserDelegate`), or the alias's name (`RedisClientType`). */
  typeName: string;
  /** The value is the class itself (`typeof Model`), not an instance of it. */
  staticSide: boolean;
}

/** The checker's answer for one receiver expression. */
export interface ReceiverTypes {
  /**
   * Library types the expression's type is (each member of a union or intersection, and base classes of project types).
   */
  declared: DeclaredType[];
  /**
   * Type annotations of the declaration the checker resolved the expression to (`db: Pool` in an interface), when its
   * type is unresolved (the library's declarations are not installed): the evaluator reads them syntactically.
   */
  annotations: ts.TypeNode[];
}

/** Statistics of one run, shown by the CLI. */
export interface TypeOracleStats {
  /** Receivers asked about (candidate calls whose receiver syntax could not place). */
  asked: number;
  /** Of those, receivers the checker placed on a library handle. */
  resolved: number;
  /** Type-checker programs built (one per tsconfig that holds an asked file). */
  programs: number;
  /** tsconfig files used, relative to nothing (absolute paths); `(default options)` when a file has none. */
  projects: string[];
  /** Why a program could not be built (an unreadable tsconfig), per tsconfig. */
  problems: string[];
}

/**
 * The TypeScript checker as the evaluator sees it. Consulted only for candidate calls (see `isCandidateMethod`) whose
 * receiver the syntactic evaluator cannot place, so its cost is paid only where it may change a finding.
 */
export interface TypeOracle {
  receiverTypes(expr: ts.Expression): ReceiverTypes | undefined;
  /** Records the outcome of one question (the oracle counts what it was asked; the evaluator knows what it matched). */
  noteResolved(): void;
  stats(): TypeOracleStats;
}

/** Method names some handle type lists: a call of another name is never a round trip, whatever its receiver. */
export function candidateMethods(knowledge: Knowledge): Set<string> {
  const names = new Set<string>();
  for (const library of knowledge.libraries)
    for (const type of Object.values(library.types)) for (const name of Object.keys(type.methods)) names.add(name);
  return names;
}

/** The export of `name` in a library's table, also under its default or namespace export. */
function exportNamed(library: Library, name: string): ExportSpec | undefined {
  return (
    own(library.exports, name) ??
    own(own(library.exports, 'default')?.members, name) ??
    own(own(library.exports, '*')?.members, name)
  );
}

/**
 * The library whose declarations live in `packageName` (its modules, `@types/<module>`, or `declarations.packages`).
 */
export function libraryForPackage(knowledge: Knowledge, packageName: string): Library | undefined {
  const direct = libraryForModule(knowledge, packageName);
  if (direct) return direct;
  return knowledge.libraries.find((library) => library.declarations.packages.includes(packageName));
}

/** The handle type (local to its library) a declared type stands for, or undefined when the table does not know it. */
export function handleTypeFor(
  knowledge: Knowledge,
  declared: DeclaredType,
): { library: Library; typeName: string } | undefined {
  const library = libraryForPackage(knowledge, declared.packageName);
  if (!library) return undefined;
  const { declarations } = library;
  const explicit = own(declarations.types, declared.typeName);
  if (explicit && !declared.staticSide) return { library, typeName: explicit };
  const spec = exportNamed(library, declared.typeName);
  const fromExport = declared.staticSide ? spec?.staticType : (spec?.type ?? spec?.instanceType ?? spec?.construct);
  if (fromExport) return { library, typeName: fromExport };
  if (declared.staticSide) return undefined;
  const pattern = declarations.patterns.find((p) => new RegExp(p.match).test(declared.typeName));
  return pattern ? { library, typeName: pattern.type } : undefined;
}
