import ts from "../typescript.cjs";
import { isOutermostCall, methodChain, type ChainLink, type MethodChain } from "../chain.js";
import { isReturnedUnfinished, throughQueryHelpers } from "../helper-chains.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { confinedToQueryRows, JOIN_METHODS } from "./joins.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import {
  calleeName,
  calleeReceiver,
  constInitializer,
  isFromPackage,
  nonNullableParts,
  resolvedSymbol,
  returnedExpressions,
  skipWrappers,
} from "../ts-utils.js";
import { joinedFragmentsText, sqlTextOf, tableOfReference } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const KYSELY_FILES = /\/node_modules\/kysely\//;

/** Classes whose `selectFrom`/`updateTable`/... start a query on the database interface `DB`. */
const QUERY_CREATORS = new Set(["Kysely", "Transaction", "ControlledTransaction", "QueryCreator"]);
/** Methods that start a query on a table, and the operation each performs. */
const TABLE_METHODS: Record<string, Operation> = {
  selectFrom: "read",
  updateTable: "update",
  deleteFrom: "delete",
  insertInto: "create",
  replaceInto: "create",
};
/** Calls on the database before the table is named that do not change what is queried. */
const PASSTHROUGH_METHODS = new Set(["withSchema", "withPlugin", "withoutPlugins", "with", "withRecursive", "withTables"]);
/** Calls that run (or compile) the built query: a chain ending here is a finished query. */
const TERMINAL_METHODS = new Set(["execute", "executeTakeFirst", "executeTakeFirstOrThrow", "stream", "compile"]);
const SINGLE_ROW_METHODS = new Set(["executeTakeFirst", "executeTakeFirstOrThrow"]);

/** A query chain traced back to the database object it starts at (through `const` builder variables). */
interface KyselyChain {
  readonly database: ts.Expression;
  readonly links: readonly ChainLink[];
}

/** What the links after the table contribute; `undefined` when a link cannot be read. */
interface ChainEffects {
  operation: Operation;
  method: string;
  filters: FilterPart[];
  created: ts.Expression[];
  updated: ts.Expression[];
  singleRow: boolean;
}

/**
 * Kysely: query chains that start at a `Kysely<DB>` (or `Transaction<DB>`) by type, classified at the
 * outermost call; the entity is the row interface `DB` declares for the table.
 */
export const kyselyAdapter: OrmAdapter = {
  orm: "kysely",
  declaredIn: KYSELY_FILES,

  classify(call, ctx) {
    if (!isOutermostCall(call) || isDeferredBuilder(call) || isReturnedUnfinished(call, methodChain(call), isUnexecuted)) return undefined;
    const chain = kyselyChain(call, ctx, 0);
    if (!chain) return undefined;
    const tableIndex = tableLinkIndex(chain.links);
    const tableLink = chain.links[tableIndex];
    const startOperation = tableLink && TABLE_METHODS[tableLink.name];
    if (!tableLink || !startOperation) return undefined;
    const database = databaseTypeOf(ctx.checker.getTypeAtLocation(chain.database), ctx);
    if (!database) return undefined;
    // A query from a table with no tenant key reads the tenant-scoped tables it joins (`work_order_lines`
    // joined to `work_orders`): their rows are what the tenant filter must confine.
    const entity = entityOfTables(tableLink.args[0], database, ctx) ?? joinedEntity(chain.links.slice(tableIndex + 1), database, ctx);
    if (!entity) return undefined;

    const effects = effectsOfLinks(chain.links.slice(tableIndex + 1), startOperation, tableLink.name, ctx);
    if (!effects) return undefined;
    const access: DataAccess = {
      orm: "kysely",
      entity,
      operation: effects.operation,
      method: effects.method,
      node: call,
      filters: confinedToQueryRows(effects.filters, chain.links),
      created: effects.created,
      updated: effects.updated,
      singleRow: effects.operation === "read" && effects.singleRow,
    };
    return access;
  },

  rawSql(node, ctx) {
    if (isEmbeddedFragment(node, ctx)) return undefined;
    if (ts.isTaggedTemplateExpression(node)) {
      if (!isSqlTag(node.tag, ctx)) return undefined;
      return { orm: "kysely", node, text: sqlTemplateText(node.template, ctx, new Counter()) };
    }
    if (!isRawSqlCall(node, ctx)) return undefined;
    const text = sqlTextOf(node.arguments[0], ctx);
    return text === undefined ? undefined : { orm: "kysely", node, text };
  },

  tables(ctx, name) {
    return ctx.memoize("kysely:tables", () => kyselyTables(ctx)).filter(tableNamed(name));
  },
};

// ---------------------------------------------------------------------------------------------
// Chains

/**
 * `const q = db.selectFrom("t").selectAll();` builds a query that runs later as `q.where(...).execute()`:
 * it is classified there, with every link, not here.
 */
function isDeferredBuilder(call: ts.CallExpression): boolean {
  const links = methodChain(call).links;
  if (TERMINAL_METHODS.has(links[links.length - 1]?.name ?? "")) return false;
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) {
    node = node.parent;
  }
  return ts.isVariableDeclaration(node.parent) && node.parent.initializer === node && ts.isIdentifier(node.parent.name);
}

/** A chain that never runs its query: one a function returns is finished by its callers. */
const isUnexecuted = (chain: MethodChain) => !chain.links.some((link) => TERMINAL_METHODS.has(link.name));

/**
 * The chain from the database object to this call. A chain rooted at a builder variable is continued
 * through the variable's initializer when it is never reassigned (so every link is known) and is
 * itself a builder still to be run (a finished query is classified where it is written).
 */
function kyselyChain(call: ts.CallExpression, ctx: AnalysisContext, depth: number): KyselyChain | undefined {
  const { root, links } = throughQueryHelpers(methodChain(call), ctx, isUnexecuted);
  // Only a chain that names its table first (after database-wide settings) can start at the database;
  // any other can only continue a builder held in a variable, so its root's type need not be asked.
  if (tableLinkIndex(links) >= 0 && isQueryCreator(ctx.checker.getTypeAtLocation(root), ctx)) return { database: root, links };
  if (depth > 4 || !ts.isIdentifier(root)) return undefined;
  const init = constInitializer(ctx.checker, root);
  const start = init && skipWrappers(init);
  if (!start || !ts.isCallExpression(start) || !isDeferredBuilder(start)) return undefined;
  const inner = kyselyChain(start, ctx, depth + 1);
  return inner && { database: inner.database, links: [...inner.links, ...links] };
}

/** The link that names the table (`selectFrom("t")`), when it is the first after database-wide settings; else -1. */
function tableLinkIndex(links: readonly ChainLink[]): number {
  const index = links.findIndex((link) => !PASSTHROUGH_METHODS.has(link.name));
  return index >= 0 && Object.hasOwn(TABLE_METHODS, links[index]!.name) ? index : -1;
}

function effectsOfLinks(links: readonly ChainLink[], start: Operation, startMethod: string, ctx: AnalysisContext): ChainEffects | undefined {
  const effects: ChainEffects = { operation: start, method: startMethod, filters: [], created: [], updated: [], singleRow: false };
  for (const link of links) {
    switch (link.name) {
      case "where": {
        const part = filterOfWhere(link, ctx);
        if (part === "unknown") return undefined;
        if (part) effects.filters.push(part);
        break;
      }
      case "clearWhere":
        effects.filters = [];
        break;
      case "set": {
        // `set({...})` or `set((eb) => ({...}))`; `set("col", value)` writes one column, which its name stands for.
        const [first] = link.args;
        if (link.args.length === 1) effects.updated.push(...valuesOf(first!));
        else if (first && ts.isStringLiteralLike(skipWrappers(first))) effects.updated.push(skipWrappers(first));
        break;
      }
      case "values":
        effects.created.push(...valuesOf(link.args[0]));
        break;
      case "onConflict":
        if (!applyOnConflict(link, effects, ctx)) return undefined;
        break;
      case "onDuplicateKeyUpdate":
        // MySQL: the unique key that conflicts is not in the code, so the scope is not claimed; the written values are.
        effects.updated.push(...valuesOf(link.args[0]));
        break;
      case "$call":
        // Hands the builder to a function that may add anything.
        return undefined;
      default:
        if (SINGLE_ROW_METHODS.has(link.name)) effects.singleRow = true;
    }
  }
  return effects;
}

/** Written values: an object, each object of an array, or what a `(eb) => ({...})` callback returns. */
function valuesOf(arg: ts.Expression | undefined): ts.Expression[] {
  if (!arg) return [];
  const e = skipWrappers(arg);
  if (ts.isArrayLiteralExpression(e)) return [...e.elements];
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return returnedExpressions(e).flatMap(valuesOf);
  return [e];
}

/**
 * `onConflict((oc) => oc.column("id").doUpdateSet({...}))`: an upsert whose update hits the row the
 * conflict target matches, so it is scoped when the target includes the tenant column. `false` when
 * the callback cannot be read.
 */
function applyOnConflict(link: ChainLink, effects: ChainEffects, ctx: AnalysisContext): boolean {
  const callback = link.args[0] && skipWrappers(link.args[0]);
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return false;
  const returns = returnedExpressions(callback);
  if (returns.length !== 1 || !ts.isCallExpression(skipWrappers(returns[0]!))) return false;
  const links = methodChain(skipWrappers(returns[0]!) as ts.CallExpression).links;
  const update = links.find((l) => l.name === "doUpdateSet");
  if (!update) return true; // `doNothing()`: still a plain insert
  effects.updated.push(...valuesOf(update.args[0]));
  const columns = links.filter((l) => l.name === "column" || l.name === "columns").flatMap((l) => l.args.flatMap(stringsOf));
  if (!columns.length) return true; // a named constraint or an index expression: the target is unknown, so no upsert scope is claimed
  effects.operation = "upsert";
  effects.method = "onConflict";
  const tenantColumn = columns.find((c) => ctx.isTenantKey(c));
  effects.filters.push(
    tenantColumn
      ? { kind: "column", column: tenantColumn, operator: "=", value: undefined, node: link.call }
      : { kind: "unscoped", node: link.call },
  );
  for (const where of links.filter((l) => l.name === "where")) {
    const part = filterOfWhere(where, ctx);
    if (part === "unknown") return false;
    if (part) effects.filters.push(part);
  }
  return true;
}

function stringsOf(arg: ts.Expression): string[] {
  const e = skipWrappers(arg);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap(stringsOf);
  return ts.isStringLiteralLike(e) ? [e.text] : [];
}

/**
 * The filter one `where` adds: `where("ws.workspace_id", "=", x)` compares a column; a callback,
 * an expression or a `sql` fragment is a condition. `"unknown"` when the argument cannot be read
 * (a parameter typed as an expression, an operator held in a variable).
 */
function filterOfWhere(link: ChainLink, ctx: AnalysisContext): FilterPart | "unknown" | undefined {
  const [lhs, op, rhs] = link.args;
  if (!lhs) return undefined;
  if (link.args.length >= 3) {
    const column = stringValueOf(lhs, ctx);
    const operator = op && stringValueOf(op, ctx);
    if (column === undefined || operator === undefined) return "unknown";
    return { kind: "column", column, operator, value: rhs, node: link.call };
  }
  const condition = skipWrappers(lhs);
  if (ts.isTaggedTemplateExpression(condition) && isSqlTag(condition.tag, ctx)) {
    return { kind: "sql", text: sqlTemplateText(condition.template, ctx, new Counter()), params: undefined, node: link.call };
  }
  return isReadableCondition(condition, ctx, 0) ? { kind: "condition", expr: lhs } : "unknown";
}

/** A string literal, or an expression whose type is one string literal (a `const` column name). */
function stringValueOf(expr: ts.Expression, ctx: AnalysisContext): string | undefined {
  const values = stringValuesOf(expr, ctx);
  return values.length === 1 ? values[0] : undefined;
}

/** A condition whose code is in the program: a callback, a call to a function with a body, a `const` holding one. */
function isReadableCondition(expr: ts.Expression, ctx: AnalysisContext, depth: number): boolean {
  const e = skipWrappers(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  if (ts.isCallExpression(e)) return ctx.calledFunction(e) !== undefined;
  if (ts.isIdentifier(e) && depth < 4) {
    const init = constInitializer(ctx.checker, e);
    return init !== undefined && isReadableCondition(init, ctx, depth + 1);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Types

function isQueryCreator(type: ts.Type, ctx: AnalysisContext): boolean {
  return databaseTypeOf(type, ctx) !== undefined;
}

/**
 * Whether a generic type's name may stand for a database (see `databaseTypeOf`): one of Kysely's
 * query creators, or a class or type alias of the program's own that may stand for one. Telling this from the
 * symbol saves instantiating every other generic type the program writes (`Selectable<Row>`).
 */
function mayNameDatabase(name: ts.EntityName | ts.Expression, ctx: AnalysisContext): boolean {
  let symbol = ctx.checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  if (!symbol) return true;
  if (QUERY_CREATORS.has(symbol.getName()) && isFromPackage(symbol, "kysely")) return true;
  return (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias)) !== 0 && !symbol.declarations?.every((d) => d.getSourceFile().isDeclarationFile);
}

/**
 * `DB` of a `Kysely<DB>`, `Transaction<DB>` or `QueryCreator<DB>` (a CTE callback's builder), also
 * through a project's own subclass (`class AppDb extends Kysely<Database>`).
 */
function databaseTypeOf(type: ts.Type, ctx: AnalysisContext, depth = 0): ts.Type | undefined {
  const part = nonNullableParts(type)[0];
  if (!part || depth > 4) return undefined;
  const symbol = part.getSymbol();
  if (symbol && QUERY_CREATORS.has(symbol.getName()) && isFromPackage(symbol, "kysely")) {
    const isReference = part.flags & ts.TypeFlags.Object && (part as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference;
    const database = isReference ? ctx.checker.getTypeArguments(part as ts.TypeReference)[0] : undefined;
    return database && !(database.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? database : undefined;
  }
  if (!(part.flags & ts.TypeFlags.Object) || !((part as ts.ObjectType).objectFlags & ts.ObjectFlags.Class)) return undefined;
  for (const base of ctx.checker.getBaseTypes(part as ts.InterfaceType)) {
    const database = databaseTypeOf(base, ctx, depth + 1);
    if (database) return database;
  }
  return undefined;
}

/** The tenant-scoped entity among the tables a query starts at (`"projects"`, `"projects as p"`, an array). */
function entityOfTables(arg: ts.Expression | undefined, database: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  if (!arg) return undefined;
  const e = skipWrappers(arg);
  const references = ts.isArrayLiteralExpression(e) ? e.elements : [e];
  for (const reference of references) {
    // A name typed as a union (`for (const table of ["invoices", "payments"] as const)`, a generic
    // repository's `this.table`) queries each of its tables: whichever one a run binds (`generic`).
    const names = stringValuesOf(reference, ctx);
    for (const name of names) {
      const table = tableOfReference(name);
      const row = rowTypeOf(database, table, ctx);
      const entity = row && ctx.entityOfRowType("kysely", row, table);
      if (entity) return names.length > 1 ? { ...entity, generic: true } : entity;
    }
  }
  return undefined;
}

/** The first tenant-scoped table a chain joins (`innerJoin("work_orders", ...)`). */
function joinedEntity(links: readonly ChainLink[], database: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  for (const link of links) {
    if (!JOIN_METHODS.has(link.name)) continue;
    const entity = entityOfTables(link.args[0], database, ctx);
    if (entity) return entity;
  }
  return undefined;
}

/** A string literal, or the string literals an expression's type is one of. */
function stringValuesOf(expr: ts.Expression, ctx: AnalysisContext): string[] {
  const e = skipWrappers(expr);
  if (ts.isStringLiteralLike(e)) return [e.text];
  const type = ctx.checker.getTypeAtLocation(e);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => part.isStringLiteral()) ? parts.map((part) => (part as ts.StringLiteralType).value) : [];
}

function rowTypeOf(database: ts.Type, table: string, ctx: AnalysisContext): ts.Type | undefined {
  const property = ctx.checker.getPropertyOfType(database, table);
  return property && ctx.checker.getTypeOfSymbol(property);
}

// ---------------------------------------------------------------------------------------------
// Raw SQL

/** The `sql` tag (`sql\`...\``, `sql<T>\`...\``), known by its type `Sql` from kysely, whatever it is imported as. */
function isSqlTag(tag: ts.Expression, ctx: AnalysisContext): boolean {
  const symbol = ctx.checker.getTypeAtLocation(tag).getSymbol();
  return symbol?.getName() === "Sql" && isFromPackage(symbol, "kysely");
}

/** `sql.raw("...")` and `CompiledQuery.raw("...")`. */
function isRawSqlCall(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  if (calleeName(call) !== "raw") return false;
  const receiver = calleeReceiver(call);
  if (!receiver) return false;
  if (isSqlTag(receiver, ctx)) return true;
  const symbol = resolvedSymbol(ctx.checker, receiver);
  return symbol?.getName() === "CompiledQuery" && isFromPackage(symbol, "kysely");
}

/** A `sql` fragment interpolated into another `sql` template: its text is checked as part of the whole. */
function isEmbeddedFragment(node: ts.Node, ctx: AnalysisContext): boolean {
  const span = node.parent;
  if (!span || !ts.isTemplateSpan(span)) return false;
  const template = span.parent.parent;
  return ts.isTaggedTemplateExpression(template) && isSqlTag(template.tag, ctx);
}

/** Numbers the values interpolated into one SQL text, across the fragments inlined into it. */
class Counter {
  private value = 0;
  next(): number {
    return ++this.value;
  }
}

/**
 * The text of a `sql` template, with interpolated fragments (`${sql.raw("...")}`, `${sql.ref("col")}`,
 * nested `sql` templates, `const`s holding them) inlined and every other value read as `$1`, `$2`, ...
 */
function sqlTemplateText(template: ts.TemplateLiteral, ctx: AnalysisContext, counter: Counter): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  let text = template.head.text;
  for (const span of template.templateSpans) {
    text += (fragmentText(span.expression, ctx, counter, 0) ?? `$${counter.next()}`) + span.literal.text;
  }
  return text;
}

/** `sql.ref("col")`, `sql.table("t")`, `sql.id("x")`, `sql.raw("...")`: fragments whose text is their argument. */
const NAME_FRAGMENTS = new Set(["ref", "table", "id", "raw"]);

function fragmentText(expr: ts.Expression, ctx: AnalysisContext, counter: Counter, depth: number): string | undefined {
  const e = skipWrappers(expr);
  if (ts.isTaggedTemplateExpression(e) && isSqlTag(e.tag, ctx)) return sqlTemplateText(e.template, ctx, counter);
  if (ts.isCallExpression(e)) {
    const receiver = calleeReceiver(e);
    const name = calleeName(e);
    const arg = e.arguments[0];
    if (!receiver || !isSqlTag(receiver, ctx) || !name || !arg) return undefined;
    // `sql.join(conditions, sql\` and \`)`: the fragments, between the separator.
    if (name === "join") return joinedFragmentsText(e, ctx, (part) => fragmentText(part, ctx, counter, depth + 1), () => `$${counter.next()}`, ", ");
    return NAME_FRAGMENTS.has(name) ? stringValueOf(arg, ctx) : undefined;
  }
  if (ts.isIdentifier(e) && depth < 4) {
    const init = constInitializer(ctx.checker, e);
    return init && fragmentText(init, ctx, counter, depth + 1);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** The tables of every `Kysely<DB>` database interface the program names, with their tenant columns. */
function kyselyTables(ctx: AnalysisContext): TableInfo[] {
  const databases = new Set<ts.Type>();
  // `db: Kysely<Database>`, `new Kysely<Database>(...)`, `class AppDb extends Kysely<Database>`.
  const visit = (node: ts.Node): void => {
    let type: ts.Type | undefined;
    if ((ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) && node.typeArguments?.length) {
      if (mayNameDatabase(ts.isTypeReferenceNode(node) ? node.typeName : node.expression, ctx)) type = ctx.checker.getTypeFromTypeNode(node);
    } else if (ts.isNewExpression(node) && node.typeArguments?.length) {
      if (mayNameDatabase(node.expression, ctx)) type = ctx.checker.getTypeAtLocation(node);
    }
    const database = type && databaseTypeOf(type, ctx);
    if (database) databases.add(database);
    ts.forEachChild(node, visit);
  };
  for (const sf of ctx.program.getSourceFiles()) {
    if (ctx.program.isSourceFileFromExternalLibrary(sf) || sf.fileName.includes("/node_modules/") || !ctx.sees(sf, KYSELY_FILES)) continue;
    visit(sf);
  }
  const tables = new Map<string, TableInfo>();
  for (const database of databases) {
    for (const property of ctx.checker.getPropertiesOfType(database)) {
      // SQL names a schema-qualified table by its last part (`public.projects` -> `projects`).
      const name = property.getName().replace(/^.*\./, "");
      const row = ctx.checker.getTypeOfSymbol(property);
      const columns = ctx.checker.getPropertiesOfType(row).map((p) => p.getName()).filter((p) => ctx.isTenantKey(p));
      // Two database interfaces may name the same table: it is scoped if either says so.
      const tenantColumns = [...new Set([...(tables.get(name)?.tenantColumns ?? []), ...columns])];
      tables.set(name, { orm: "kysely", name, tenantColumns });
    }
  }
  return [...tables.values()];
}
