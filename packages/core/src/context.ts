import path from "node:path";
import picomatch from "picomatch";
import ts from "./typescript.cjs";
import { outermostCall } from "./chain.js";
import type { TenantLintConfig } from "./config.js";
import type { DataAccess, EntityInfo, OrmName, RawSqlCall, TableInfo } from "./model.js";
import { ProgramNames } from "./program-names.js";
import { ImportReach } from "./reach.js";
import { calledFunction, type FunctionWithBody, nonNullableParts, typeSymbol } from "./ts-utils.js";

/** What one ORM contributes: recognising its calls by type, and the tables raw SQL may name. */
export interface OrmAdapter {
  readonly orm: OrmName;
  /**
   * The files that declare this ORM's API (its npm package). Every recognition goes through a type
   * built from declarations there, so the adapter cannot recognise anything in a file that sees
   * none of them. An adapter that can say no such thing leaves it out and is asked everywhere.
   */
  readonly declaredIn?: RegExp;
  /**
   * The data access this call performs, if it is one of this ORM's. Called only for the outermost
   * call of a method chain, so a builder chain is classified once, as a whole.
   */
  classify(call: ts.CallExpression, ctx: AnalysisContext): DataAccess | undefined;
  /** Raw SQL this call or tagged template sends, if it is one of this ORM's raw-query APIs. */
  rawSql?(node: ts.CallExpression | ts.TaggedTemplateExpression, ctx: AnalysisContext): RawSqlCall | undefined;
  /**
   * The tables this ORM's metadata declares in the program under `name` (lowercase; SQL names are
   * compared case-insensitively). Asked by name, because raw SQL names few of a program's tables
   * and reading one from its types can cost more than finding it.
   */
  tables?(ctx: AnalysisContext, name: string): readonly TableInfo[];
}

/** Per-program state shared by every check: the checker, the configuration and memoised ORM facts. */
export class AnalysisContext {
  readonly checker: ts.TypeChecker;
  private readonly tenantKeySet: ReadonlySet<string>;
  private readonly relationNames: ReadonlySet<string>;
  private readonly trustedMatcher: (file: string) => boolean;
  private readonly accessCache = new Map<ts.Node, DataAccess | null>();
  private readonly rawSqlCache = new Map<ts.Node, RawSqlCall | null>();
  private readonly entityCache = new Map<ts.Type, EntityInfo | null>();
  private readsProgramWideFacts = false;
  private readonly reach: ImportReach;
  private readonly adaptersByFile = new WeakMap<ts.SourceFile, readonly OrmAdapter[]>();
  private readonly trustedFiles = new WeakMap<ts.SourceFile, boolean>();
  /** Built on first use: the names the program binds, for `calledFunction`. */
  private programNames: ProgramNames | undefined;
  /** Free-form memo for adapters and checks (keyed by a unique string per use). */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly program: ts.Program,
    readonly config: TenantLintConfig,
    /** The directory `trustedResolvers` globs are relative to (the config file's directory). */
    readonly rootDir: string,
    readonly adapters: readonly OrmAdapter[],
  ) {
    this.checker = program.getTypeChecker();
    this.reach = new ImportReach(program);
    this.tenantKeySet = new Set(config.tenantKeys);
    this.relationNames = new Set(config.tenantKeys.map(relationNameOfKey).filter((n): n is string => !!n));
    const globs = config.trustedResolvers;
    this.trustedMatcher = globs.length ? picomatch(globs as string[], { dot: true }) : () => false;
  }

  isTenantKey(name: string | undefined): boolean {
    return name !== undefined && this.tenantKeySet.has(name);
  }

  /** True for the relation property that points at the tenant (`tenant` next to a `tenantId` key). */
  isTenantRelationName(name: string | undefined): boolean {
    return name !== undefined && this.relationNames.has(name);
  }

  isTrustedResolverFile(sourceFile: ts.SourceFile): boolean {
    let trusted = this.trustedFiles.get(sourceFile);
    if (trusted === undefined) {
      const rel = path.relative(this.rootDir, sourceFile.fileName).split(path.sep).join("/");
      trusted = !rel.startsWith("..") && this.trustedMatcher(rel);
      this.trustedFiles.set(sourceFile, trusted);
    }
    return trusted;
  }

  /**
   * A read or update inside a trusted resolver (config `trustedResolvers`): those files map
   * identities to tenants (an API key, a session, a domain, the memberships a user may switch
   * between), so their reads, and the bookkeeping on the rows they read (an API key's last use, a
   * device's last contact), run before, or to decide, which tenant a request has, and cannot be
   * filtered on one. Deletes there are still judged.
   */
  isTenantResolution(access: DataAccess): boolean {
    return (access.operation === "read" || access.operation === "update") && this.isTrustedResolverFile(access.node.getSourceFile());
  }

  /** True when a (possibly optional) type is one of the configured tenant context types. */
  isContextType(type: ts.Type): boolean {
    const names = this.config.contextTypes;
    return nonNullableParts(type).some((part) => {
      const symbols = [part.aliasSymbol, part.getSymbol()];
      return symbols.some((s) => s !== undefined && names.includes(s.getName()));
    });
  }

  /**
   * The entity a row type describes, if it carries a tenant key; memoised per type.
   * `name` is used only when the type itself has no name (Knex and Kysely row lookups).
   */
  entityOfRowType(orm: OrmName, rowType: ts.Type, name?: string, scopedByDefault = false): EntityInfo | undefined {
    const cached = this.entityCache.get(rowType);
    if (cached !== undefined) return cached ?? undefined;
    const keys: string[] = [];
    const relations: string[] = [];
    for (const property of this.checker.getPropertiesOfType(rowType)) {
      const propName = property.getName();
      if (this.isTenantKey(propName)) keys.push(propName);
      else if (this.isTenantRelationName(propName)) relations.push(propName);
    }
    const entity: EntityInfo | null =
      keys.length || relations.length
        ? {
            orm,
            name: name ?? typeSymbol(rowType)?.getName() ?? "entity",
            tenantKeys: keys,
            tenantRelations: relations,
            scopedByDefault,
            ...(rowType.flags & ts.TypeFlags.TypeParameter ? { generic: true } : {}),
          }
        : null;
    this.entityCache.set(rowType, entity);
    return entity ?? undefined;
  }

  /** The data access a call performs, trying each ORM adapter once per call. */
  accessOf(call: ts.CallExpression): DataAccess | undefined {
    let cached = this.accessCache.get(call);
    if (cached === undefined) {
      cached = null;
      for (const adapter of this.adaptersFor(call.getSourceFile())) {
        const access = adapter.classify(call, this);
        if (access) {
          cached = access;
          break;
        }
      }
      this.accessCache.set(call, cached);
    }
    return cached ?? undefined;
  }

  /**
   * True when a call is a link of a query an adapter recognises (`.where(...)` or `.values(...)` in
   * a builder chain, or the chain's last call): it builds that query, so it is not also raw SQL or
   * a tenant context factory, which would take the whole chain's type to tell.
   */
  isQueryLink(call: ts.CallExpression): boolean {
    return this.accessOf(outermostCall(call)) !== undefined;
  }

  rawSqlOf(node: ts.CallExpression | ts.TaggedTemplateExpression): RawSqlCall | undefined {
    let cached = this.rawSqlCache.get(node);
    if (cached === undefined) {
      cached = null;
      for (const adapter of this.adaptersFor(node.getSourceFile())) {
        const raw = adapter.rawSql?.(node, this);
        if (raw) {
          cached = raw;
          break;
        }
      }
      this.rawSqlCache.set(node, cached);
    }
    return cached ?? undefined;
  }

  /**
   * True when code in `sourceFile` may hold values typed by the files `declaredIn` matches (an ORM's
   * package): the file imports one of them, directly or through other files, or a global file does.
   * The cheap test that lets checks skip type queries that cannot succeed.
   */
  sees(sourceFile: ts.SourceFile, declaredIn: RegExp): boolean {
    return this.reach.sees(sourceFile, declaredIn);
  }

  /**
   * The function with a body in the program's own code that a call invokes, if any. A call by a name
   * the program declares nowhere (`res.json()`) is answered without the checker.
   */
  calledFunction(call: ts.CallExpression | ts.NewExpression): FunctionWithBody | undefined {
    this.programNames ??= new ProgramNames(this.program);
    return this.programNames.mayCallProgramCode(call) ? calledFunction(this.checker, call) : undefined;
  }

  /** The adapters that may recognise calls in a file, in their order. */
  private adaptersFor(sourceFile: ts.SourceFile): readonly OrmAdapter[] {
    let adapters = this.adaptersByFile.get(sourceFile);
    if (!adapters) {
      adapters = this.adapters.filter((a) => !a.declaredIn || this.sees(sourceFile, a.declaredIn));
      this.adaptersByFile.set(sourceFile, adapters);
    }
    return adapters;
  }

  /**
   * The tables the ORMs' metadata declares under a name, compared case-insensitively, tenant-scoped
   * or not: a fact of the whole program.
   */
  tablesNamed(name: string): readonly TableInfo[] {
    const key = name.toLowerCase();
    return this.programWide(`context:tables:${key}`, () => {
      // An ORM whose package the program does not load declares no tables (and its walks are skipped).
      const loaded = this.memoize("context:loadedAdapters", () =>
        this.adapters.filter((adapter) => !adapter.declaredIn || this.program.getSourceFiles().some((sf) => adapter.declaredIn!.test(sf.fileName.replace(/\\/g, "/")))),
      );
      return loaded.flatMap((adapter) => adapter.tables?.(this, key) ?? []);
    });
  }

  /**
   * Memoises a fact read from every file of the program (tables, model registrations, schema hooks).
   * A program that holds only part of a project (`--changed-since`) cannot give such a fact, so
   * reading one is recorded in `readProgramWideFacts`, and the caller knows to use the whole project.
   */
  programWide<T>(key: string, compute: () => T): T {
    this.readsProgramWideFacts = true;
    return this.memoize(key, compute);
  }

  /** Whether any check read a fact from every file of the program (see `programWide`). */
  get readProgramWideFacts(): boolean {
    return this.readsProgramWideFacts;
  }

  memoize<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

/** `tenantId` -> `tenant`, `org_id` -> `org`: the relation that usually sits beside a tenant key. */
export function relationNameOfKey(key: string): string | undefined {
  const match = /^(.+?)(?:Id|_id|ID)$/.exec(key);
  return match?.[1];
}
