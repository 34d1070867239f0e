// The TypeScript checker as the evaluator's type oracle: one program per tsconfig, built when a file under it is first
// asked about, over the session's own parsed trees (nothing is parsed twice) plus the declarations they import.
import { dirname, isAbsolute, join, relative } from 'node:path';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';
import type { DeclaredType, ReceiverTypes, TypeOracle, TypeOracleStats } from '../../rules/analysis/typeOracle';

/** Where the compiler's own lib files (bundled with ts-morph, not on disk) appear to the compiler host. */
const LIB_DIR = '/__perf-advisor__/typescript/lib';
let libTextsByPath: Map<string, string> | undefined;
/** The lib files' texts by their path under LIB_DIR, read on first use (a run without types never pays for them). */
function libTexts(): Map<string, string> {
  libTextsByPath ??= new Map(getLibFiles().map((file) => [`${LIB_DIR}/${file.fileName}`, file.text]));
  return libTextsByPath;
}
/** Parsed lib files, shared by every program of the process (lib.dom alone is 2 MB of declarations). */
const libSourceFiles = new Map<string, ts.SourceFile>();
/** Bases and constraints followed from a project type to a library type. */
const MAX_TYPE_DEPTH = 4;
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** "No inputs were found in config file": the session's files are the inputs, whatever the tsconfig includes. */
const NO_INPUTS = 18003;

/** Options for files no tsconfig covers: plain Node resolution, JavaScript allowed, no DOM. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  lib: ['lib.es2022.d.ts'],
  jsx: ts.JsxEmit.Preserve,
};

/**
 * What is forced on every program: analysis only, JavaScript in, no emit, no checking of declaration files, and no
 * `@types` packages loaded unasked (they describe the runtime and tools, never a library handle).
 */
const FORCED_OPTIONS: ts.CompilerOptions = {
  types: [],
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  composite: false,
  incremental: false,
  declaration: false,
  emitDeclarationOnly: false,
  tsBuildInfoFile: undefined,
};

interface ProjectProgram {
  checker: ts.TypeChecker;
  /**
   * The session's files the program was built for: TypeScript, and JavaScript only under `checkJs` (typed by JSDoc).
   */
  roots: Set<string>;
}

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/i;

export class ProgramOracle implements TypeOracle {
  private readonly programs = new Map<string, ProjectProgram | null>();
  private readonly configOfDir = new Map<string, string | undefined>();
  private groups: Map<string, string[]> | undefined;
  private asked = 0;
  private resolved = 0;
  private readonly problems: string[] = [];

  /**
   * @param paths the session's files (normalised paths)
   * @param sourceFileOf the session's parsed tree of a file, reused by the programs (undefined for other files)
   * @param isLibraryPackage whether a package's declarations may hold a library handle (a knowledge table knows it)
   * @param root no tsconfig above this directory is used (the workspace's own root); undefined: up to the disk's root
   */
  constructor(
    private readonly paths: () => Iterable<string>,
    private readonly sourceFileOf: (path: string) => ts.SourceFile | undefined,
    private readonly isLibraryPackage: (packageName: string) => boolean,
    private readonly root?: string,
  ) {}

  /** Declaration files read from disk, shared by the programs of this oracle (monorepos share most of them). */
  private readonly diskFiles = new Map<string, ts.SourceFile>();

  receiverTypes(expr: ts.Expression): ReceiverTypes | undefined {
    const fileName = expr.getSourceFile().fileName;
    const program = this.programFor(fileName);
    if (!program?.roots.has(fileName)) return undefined;
    this.asked++;
    try {
      return describe(program.checker, expr);
    } catch (error) {
      // The checker on odd code must never cost a file its analysis: the receiver stays unknown.
      this.noteProblem(`type checker failed on ${expr.getSourceFile().fileName}: ${(error as Error).message}`);
      return undefined;
    }
  }

  noteResolved(): void {
    this.resolved++;
  }

  stats(): TypeOracleStats {
    const built = [...this.programs.entries()].filter(([, program]) => program);
    return {
      asked: this.asked,
      resolved: this.resolved,
      programs: built.length,
      projects: built.map(([config]) => config || '(default options)'),
      problems: [...this.problems],
    };
  }

  private noteProblem(message: string): void {
    if (this.problems.length < 20 && !this.problems.includes(message)) this.problems.push(message);
  }

  /** The nearest tsconfig.json / jsconfig.json above a file ('' when none), cached per directory. */
  private configFor(path: string): string {
    const visited: string[] = [];
    let dir = dirname(path);
    let found: string | undefined;
    for (;;) {
      if (this.configOfDir.has(dir)) {
        found = this.configOfDir.get(dir);
        break;
      }
      visited.push(dir);
      found = CONFIG_NAMES.map((name) => join(dir, name)).find((candidate) => ts.sys.fileExists(candidate));
      if (found) break;
      const parent = dirname(dir);
      if (parent === dir || (this.root !== undefined && !isWithin(parent, this.root))) break;
      dir = parent;
    }
    for (const each of visited) this.configOfDir.set(each, found);
    return found ?? '';
  }

  private programFor(path: string): ProjectProgram | undefined {
    const config = this.configFor(path);
    if (!this.programs.has(config)) this.programs.set(config, this.build(config));
    return this.programs.get(config) ?? undefined;
  }

  private build(config: string): ProjectProgram | null {
    this.groups ??= this.groupByConfig();
    const files = this.groups.get(config) ?? [];
    let options = DEFAULT_OPTIONS;
    let declarations: string[] = [];
    if (config) {
      const parsed = readConfig(config, (message) => this.noteProblem(message));
      if (!parsed) return null;
      options = parsed.options;
      // The project's own declaration files (global augmentations, ambient modules); its sources are the session's.
      declarations = parsed.fileNames.filter((name) => /\.d\.[cm]?ts$/.test(name));
    }
    // Without a `lib` of its own a program gets the ES library only: the DOM's declarations are 2 MB of no use here.
    const merged = { ...options, ...FORCED_OPTIONS, lib: options.lib ?? DEFAULT_OPTIONS.lib };
    // Plain JavaScript has no annotations for the checker to read, only inference that syntax mostly matches already.
    const roots = files.filter((path) => TYPESCRIPT_FILE.test(path) || options.checkJs === true);
    if (roots.length === 0) return null;
    try {
      const program = ts.createProgram({
        rootNames: [...new Set([...roots, ...declarations])],
        options: merged,
        host: this.host(merged),
      });
      return { checker: program.getTypeChecker(), roots: new Set(roots) };
    } catch (error) {
      this.noteProblem(`no type checker for ${config || 'files without a tsconfig'}: ${(error as Error).message}`);
      return null;
    }
  }

  private groupByConfig(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const path of this.paths()) {
      const config = this.configFor(path);
      const list = groups.get(config);
      if (list) list.push(path);
      else groups.set(config, [path]);
    }
    return groups;
  }

  /**
   * The disk, except for the session's files (its own trees) and the compiler's lib files (from memory). Imports that
   * resolve into a package no knowledge table knows stay unresolved: its types cannot be a library handle, and such
   * declarations (frameworks, utilities, `rxjs`) are most of what a whole-program check would read.
   */
  private host(options: ts.CompilerOptions): ts.CompilerHost {
    const disk = ts.createCompilerHost(options, true);
    const own = (fileName: string) => this.sourceFileOf(fileName.replace(/\\/g, '/'));
    const fromDisk = (fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions) => {
      let file = this.diskFiles.get(fileName);
      if (!file) {
        file = disk.getSourceFile(fileName, languageVersion);
        if (file) this.diskFiles.set(fileName, file);
      }
      return file;
    };
    const cache = ts.createModuleResolutionCache(disk.getCurrentDirectory(), (name) => name, options);
    const wanted = (resolved: ts.ResolvedModuleFull | undefined): boolean => {
      if (!resolved?.isExternalLibraryImport || own(resolved.resolvedFileName)) return true;
      const packageName = declaringPackage(resolved.resolvedFileName);
      return packageName !== undefined && this.isLibraryPackage(packageName);
    };
    const host: ts.CompilerHost = {
      ...disk,
      getSourceFile: (fileName, languageVersion) =>
        own(fileName) ?? libSourceFile(fileName, languageVersion) ?? fromDisk(fileName, languageVersion),
      resolveModuleNameLiterals: (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
        literals.map((literal) => {
          const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
          const result = ts.resolveModuleName(
            literal.text,
            containingFile,
            compilerOptions,
            host,
            cache,
            redirected,
            mode,
          );
          return wanted(result.resolvedModule) ? result : { resolvedModule: undefined };
        }),
      fileExists: (fileName) => libTexts().has(fileName) || own(fileName) !== undefined || disk.fileExists(fileName),
      readFile: (fileName) => libTexts().get(fileName) ?? own(fileName)?.text ?? disk.readFile(fileName),
      getDefaultLibLocation: () => LIB_DIR,
      getDefaultLibFileName: (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
      writeFile: () => undefined,
    };
    return host;
  }
}

function isWithin(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function libSourceFile(
  fileName: string,
  languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
): ts.SourceFile | undefined {
  const text = libTexts().get(fileName);
  if (text === undefined) return undefined;
  let file = libSourceFiles.get(fileName);
  if (!file) libSourceFiles.set(fileName, (file = ts.createSourceFile(fileName, text, languageVersion, false)));
  return file;
}

/** A tsconfig's options and files; `extends` of a package that is not installed is reported, not fatal. */
function readConfig(path: string, problem: (message: string) => void): ts.ParsedCommandLine | undefined {
  const report = (diagnostic: ts.Diagnostic) =>
    problem(`${path}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  try {
    const parsed = ts.getParsedCommandLineOfConfigFile(path, undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: report,
    });
    // A missing `extends` or an unknown option still leaves usable options (reported); only an unreadable file gives
    // none.
    for (const diagnostic of parsed?.errors ?? []) if (diagnostic.code !== NO_INPUTS) report(diagnostic);
    return parsed;
  } catch (error) {
    problem(`${path}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The package whose declaration file this is: `pg` for …/node_modules/@types/pg/index.d.ts. */
export function declaringPackage(fileName: string): string | undefined {
  const normalised = fileName.replace(/\\/g, '/');
  const at = normalised.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = normalised.slice(at + '/node_modules/'.length).split('/');
  const [first, second] = parts;
  if (!first) return undefined;
  if (first === '@types' && second) return second.includes('__') ? `@${second.replace('__', '/')}` : second;
  if ((first.startsWith('@') || first.startsWith('.')) && second) return `${first}/${second}`;
  return first;
}

/** The checker's view of a receiver: library types it is (through unions, constraints, bases) and annotations. */
function describe(checker: ts.TypeChecker, expr: ts.Expression): ReceiverTypes {
  const declared: DeclaredType[] = [];
  const seen = new Set<ts.Type>();
  const collect = (type: ts.Type, depth: number): void => {
    if (seen.has(type) || depth > MAX_TYPE_DEPTH) return;
    seen.add(type);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return;
    if (type.isUnionOrIntersection()) {
      // The alias of a union or intersection names it as the library does (`RedisClientType`).
      addSymbol(type, type.aliasSymbol, declared);
      for (const member of type.types) collect(member, depth);
      return;
    }
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(type);
      if (constraint && constraint !== type) collect(constraint, depth + 1);
      return;
    }
    const fromLibrary = addSymbol(type, type.aliasSymbol, declared) | addSymbol(type, type.getSymbol(), declared);
    if (fromLibrary) return;
    // A project class or interface: its bases may be library types (`class Db extends Pool`).
    const target = (type as ts.TypeReference).target ?? type;
    if (target.isClassOrInterface()) for (const base of checker.getBaseTypes(target)) collect(base, depth + 1);
  };
  collect(checker.getTypeAtLocation(expr), 0);
  return { declared, annotations: declared.length > 0 ? [] : annotationsOf(checker, expr) };
}

/** Adds the library type a symbol declares; 1 when it did (a bit, so both symbols of a type are always read). */
function addSymbol(type: ts.Type, symbol: ts.Symbol | undefined, out: DeclaredType[]): number {
  if (!symbol) return 0;
  const declaration = symbol.declarations?.[0];
  const packageName = declaration && declaringPackage(declaration.getSourceFile().fileName);
  if (!declaration || !packageName) return 0;
  const name = ts.getNameOfDeclaration(declaration);
  const typeName = name && ts.isIdentifier(name) ? name.text : symbol.getName();
  // `typeof Model` is an anonymous object type whose symbol is the class; an instance type is the class's own.
  const staticSide =
    (symbol.flags & ts.SymbolFlags.Class) !== 0 &&
    symbol === type.getSymbol() &&
    (((type as ts.ObjectType).objectFlags ?? 0) & ts.ObjectFlags.Anonymous) !== 0;
  out.push({ packageName, typeName, staticSide });
  return 1;
}

/** Type annotations of the declarations an expression refers to (`db: Pool` in an interface or a constructor). */
function annotationsOf(checker: ts.TypeChecker, expr: ts.Expression): ts.TypeNode[] {
  const node = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const out: ts.TypeNode[] = [];
  for (const declaration of symbol?.declarations ?? []) {
    const type = (declaration as { type?: ts.TypeNode }).type;
    if (type && ts.isTypeNode(type)) out.push(type);
  }
  return out;
}
