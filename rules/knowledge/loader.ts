// Parses knowledge tables with the Library schema, checks their type references, and answers type and method lookups.
import { Library, type ExportSpec, type HandleType, type LibraryInput, type MethodSpec } from './schema';

/** A handle type found by name, with the library that declares it. */
export interface ResolvedType {
  library: Library;
  type: HandleType;
  /** `libraryId.TypeName`. */
  qualifiedName: string;
}

/** The parsed knowledge base the engine works from. */
export interface Knowledge {
  libraries: Library[];
  /** Module specifier (`pg`, `mysql2/promise`) → the library it loads. */
  byModule: Map<string, Library>;
  /** Global name (`fetch`) → the library and what the name is. */
  globals: Map<string, { library: Library; spec: ExportSpec }>;
  /** Resolves a type name local to `lib`, or qualified as `otherLib.Type`. */
  resolveType(lib: Library, name: string): ResolvedType | undefined;
  /** The spec of `method` on a qualified type, following `extends` and then name `patterns`. */
  methodOf(qualifiedTypeName: string, method: string): MethodSpec | undefined;
}

/** One place a table names a handle type, for error messages: `types.Pool.methods.connect.returns`. */
export interface TypeReference {
  field: string;
  name: string;
}

/** Thrown for a table that does not fit the schema or names a type that does not exist. */
export class KnowledgeError extends Error {
  override name = 'KnowledgeError';
}

function methodRefs(spec: MethodSpec | undefined, field: string, out: TypeReference[]): void {
  if (!spec) return;
  for (const key of ['returns', 'resolves', 'resolvesEach', 'callbackHandle'] as const) {
    const name = spec[key];
    if (name !== undefined) out.push({ field: `${field}.${key}`, name });
  }
}

function exportRefs(spec: ExportSpec, field: string, out: TypeReference[]): void {
  for (const key of ['construct', 'type', 'value', 'instanceType', 'staticType'] as const) {
    const name = spec[key];
    if (name !== undefined) out.push({ field: `${field}.${key}`, name });
  }
  methodRefs(spec.call, `${field}.call`, out);
  methodRefs(spec.constructCall, `${field}.constructCall`, out);
  for (const [member, memberSpec] of Object.entries(spec.members ?? {}))
    exportRefs(memberSpec, `${field}.members.${member}`, out);
}

/** Every handle-type name a parsed library mentions, with the field that mentions it. */
export function typeReferences(lib: Library): TypeReference[] {
  const out: TypeReference[] = [];
  for (const [name, spec] of Object.entries(lib.exports)) exportRefs(spec, `exports.${name}`, out);
  for (const [name, spec] of Object.entries(lib.globals)) exportRefs(spec, `globals.${name}`, out);
  for (const [typeName, type] of Object.entries(lib.types)) {
    const at = `types.${typeName}`;
    for (const [method, spec] of Object.entries(type.methods)) methodRefs(spec, `${at}.methods.${method}`, out);
    type.patterns.forEach((pattern, i) => methodRefs(pattern.spec, `${at}.patterns.${i}.spec`, out));
    for (const [prop, name] of Object.entries(type.properties)) out.push({ field: `${at}.properties.${prop}`, name });
    if (type.anyProperty !== undefined) out.push({ field: `${at}.anyProperty`, name: type.anyProperty });
    methodRefs(type.callable, `${at}.callable`, out);
    type.extends.forEach((name, i) => out.push({ field: `${at}.extends.${i}`, name }));
  }
  for (const [declared, name] of Object.entries(lib.declarations.types))
    out.push({ field: `declarations.types.${declared}`, name });
  lib.declarations.patterns.forEach((pattern, i) =>
    out.push({ field: `declarations.patterns.${i}.type`, name: pattern.type }),
  );
  return out;
}

function parseLibrary(input: LibraryInput, index: number): Library {
  const parsed = Library.safeParse(input);
  if (parsed.success) return parsed.data;
  const id = typeof (input as { id?: unknown })?.id === 'string' ? `"${(input as { id: string }).id}"` : `#${index}`;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new KnowledgeError(`library ${id} is invalid: ${issues}`);
}

function checkPatterns(lib: Library): void {
  lib.dedicatedStatements.forEach((source, i) => {
    try {
      new RegExp(source);
    } catch (error) {
      throw new KnowledgeError(`library "${lib.id}" is invalid: dedicatedStatements.${i}: ${(error as Error).message}`);
    }
  });
  lib.declarations.patterns.forEach((pattern, i) => {
    try {
      new RegExp(pattern.match);
    } catch (error) {
      throw new KnowledgeError(
        `library "${lib.id}" is invalid: declarations.patterns.${i}.match: ${(error as Error).message}`,
      );
    }
  });
  for (const [typeName, type] of Object.entries(lib.types)) {
    type.patterns.forEach((pattern, i) => {
      try {
        new RegExp(pattern.match);
      } catch (error) {
        throw new KnowledgeError(
          `library "${lib.id}" is invalid: types.${typeName}.patterns.${i}.match: ${(error as Error).message}`,
        );
      }
    });
  }
}

/**
 * Parses built-in and extra tables into one knowledge base. An extra library with the id of a
 * built-in one replaces it; a module or global claimed twice goes to the later library.
 */
/**
 * Parsed built-in tables, kept per input array: parsing ~2,400 method specs costs ~100 ms, and a
 * session (one per analysis, per test case) needs them each time. Parsed tables are never mutated.
 */
const parsedBuiltins = new WeakMap<LibraryInput[], Library[]>();

function parseBuiltins(builtins: LibraryInput[]): Library[] {
  let parsed = parsedBuiltins.get(builtins);
  if (!parsed) {
    parsed = builtins.map((input, i) => parseLibrary(input, i));
    parsedBuiltins.set(builtins, parsed);
  }
  return parsed;
}

export function buildKnowledge(builtins: LibraryInput[], extra: LibraryInput[]): Knowledge {
  const byId = new Map<string, Library>();
  const extraIds = new Set<string>();
  for (const lib of parseBuiltins(builtins)) byId.set(lib.id, lib);
  extra.forEach((input, i) => {
    const lib = parseLibrary(input, i);
    if (extraIds.has(lib.id)) throw new KnowledgeError(`library "${lib.id}" is given twice in the libraries setting`);
    extraIds.add(lib.id);
    byId.delete(lib.id); // re-insert so the replacement keeps the later position
    byId.set(lib.id, lib);
  });
  const libraries = [...byId.values()];

  const resolveType = (lib: Library, name: string): ResolvedType | undefined => {
    const dot = name.indexOf('.');
    const owner = dot < 0 ? lib : byId.get(name.slice(0, dot));
    const typeName = dot < 0 ? name : name.slice(dot + 1);
    if (!owner || !Object.hasOwn(owner.types, typeName)) return undefined;
    return { library: owner, type: owner.types[typeName], qualifiedName: `${owner.id}.${typeName}` };
  };

  for (const lib of libraries) {
    // Built-in tables may be internal (reached by the engine's call shapes); a user table that no import reaches is a
    // mistake.
    if (extraIds.has(lib.id) && lib.modules.length === 0 && Object.keys(lib.globals).length === 0) {
      throw new KnowledgeError(`library "${lib.id}" is invalid: modules: needs at least one module or global`);
    }
    checkPatterns(lib);
    for (const ref of typeReferences(lib)) {
      if (!resolveType(lib, ref.name))
        throw new KnowledgeError(`library "${lib.id}" is invalid: ${ref.field}: unknown type "${ref.name}"`);
    }
  }

  const byModule = new Map<string, Library>();
  const globals = new Map<string, { library: Library; spec: ExportSpec }>();
  for (const lib of libraries) {
    for (const module of lib.modules) byModule.set(module, lib);
    for (const [name, spec] of Object.entries(lib.globals)) globals.set(name, { library: lib, spec });
  }

  const patternCache = new Map<string, RegExp>();
  const regex = (source: string): RegExp => {
    let re = patternCache.get(source);
    if (!re) patternCache.set(source, (re = new RegExp(source)));
    return re;
  };

  const lookup = (resolved: ResolvedType, method: string, seen: Set<string>): MethodSpec | undefined => {
    if (seen.has(resolved.qualifiedName)) return undefined;
    seen.add(resolved.qualifiedName);
    const { type } = resolved;
    if (Object.hasOwn(type.methods, method)) return type.methods[method];
    for (const pattern of type.patterns) if (regex(pattern.match).test(method)) return pattern.spec;
    for (const parent of type.extends) {
      const parentType = resolveType(resolved.library, parent);
      const found = parentType && lookup(parentType, method, seen);
      if (found) return found;
    }
    return undefined;
  };

  const methodOf = (qualifiedTypeName: string, method: string): MethodSpec | undefined => {
    const dot = qualifiedTypeName.indexOf('.');
    const lib = dot < 0 ? undefined : byId.get(qualifiedTypeName.slice(0, dot));
    const resolved = lib && resolveType(lib, qualifiedTypeName.slice(dot + 1));
    return resolved ? lookup(resolved, method, new Set()) : undefined;
  };

  return { libraries, byModule, globals, resolveType, methodOf };
}
