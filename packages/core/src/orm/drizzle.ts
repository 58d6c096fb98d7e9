import ts from "../typescript.cjs";
import { isOutermostCall, methodChain, type ChainLink, type MethodChain } from "../chain.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { fileNodes } from "../file-nodes.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { conditionListOf, declaredColumnName } from "../scope.js";
import {
  calleeDeclaration,
  calleeName,
  constInitializer,
  forEachDescendant,
  isFromPackage,
  mayReturn,
  returnedExpressions,
  skipWrappers,
  typeArguments,
} from "../ts-utils.js";
import { optionOf, sqlTextOf, taggedTemplateOf } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const DRIZZLE_FILES = /\/node_modules\/drizzle-orm\//;

/** The database class of each dialect; driver databases (`NodePgDatabase`) and transactions extend them. */
const DATABASE_CLASSES = new Set(["PgDatabase", "MySqlDatabase", "BaseSQLiteDatabase", "SingleStoreDatabase", "GelDatabase"]);

/** Database methods that start a query builder chain, with the operation they perform. */
const ENTRY_METHODS = new Map<string, Operation>([
  ["select", "read"],
  ["selectDistinct", "read"],
  ["selectDistinctOn", "read"],
  ["$count", "read"],
  ["update", "update"],
  ["delete", "delete"],
  ["insert", "create"],
]);

const JOIN_METHODS = new Set([
  "leftJoin",
  "rightJoin",
  "innerJoin",
  "fullJoin",
  "crossJoin",
  "leftJoinLateral",
  "innerJoinLateral",
  "crossJoinLateral",
]);
/** Joins whose condition filters the rows of every joined table. */
const FILTERING_JOINS = new Set(["innerJoin", "innerJoinLateral"]);

/** Relational API (`db.query.invoices.findMany`) methods, and whether they return a single row. */
const RELATIONAL_METHODS = new Map([
  ["findMany", false],
  ["findFirst", true],
]);

/** Database methods that send SQL as it is written (`execute` on Postgres/MySQL, `run`/`all`/`get`/`values` on SQLite). */
const RAW_METHODS = new Set(["execute", "run", "all", "get", "values"]);

const MAX_DEPTH = 6;

/**
 * Drizzle: query builder chains that start at a Drizzle database or transaction (`db.select().from(t)`,
 * `tx.update(t).set(...)`), and the relational API (`db.query.t.findMany`), recognised by the types
 * `drizzle-orm` declares. The entity is the table the chain touches, tenant-scoped when one of its
 * columns has a tenant key as its property name or its database name.
 */
export const drizzleAdapter: OrmAdapter = {
  orm: "drizzle",
  declaredIn: DRIZZLE_FILES,

  classify(call, ctx) {
    if (!isOutermostCall(call)) return undefined;
    const chain = queryChain(call, ctx, 0);
    // A `$dynamic()` query is finished by the code it is handed to.
    if (chain.links.at(-1)?.name === "$dynamic") return undefined;
    const access = relationalQuery(chain, call, ctx) ?? builderQuery(chain, call, ctx);
    // A query kept in a variable and extended later is classified where it is finished.
    return access && !isExtendedLater(call, ctx) ? access : undefined;
  },

  rawSql(node, ctx) {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !RAW_METHODS.has(callee.name.text)) return undefined;
    // `db.insert(t).values({...})`, `db.select().from(t).all()`: builder methods of the same names.
    if (ctx.isQueryLink(node)) return undefined;
    if (!isDrizzleDatabase(ctx.checker.getTypeAtLocation(callee.expression), ctx)) return undefined;
    const text = rawQueryText(node.arguments[0], ctx);
    return text === undefined ? undefined : { orm: "drizzle", node, text };
  },

  tables(ctx, name) {
    // A table is read from its type only when its name is asked for, or is not written as a literal.
    const definitions = ctx.memoize("drizzle:tableDefinitions", () => tableDefinitions(ctx));
    const read = ctx.memoize("drizzle:tableOfDefinition", () => new Map<ts.CallExpression, TableInfo | null>());
    const tables: TableInfo[] = [];
    for (const call of [...(definitions.get(name) ?? []), ...(definitions.get(undefined) ?? [])]) {
      if (!read.has(call)) read.set(call, tableOfDefinition(call, ctx) ?? null);
      const table = read.get(call);
      if (table && tableNamed(name)(table)) tables.push(table);
    }
    return tables;
  },
};

// ---------------------------------------------------------------------------------------------
// Recognising Drizzle's types

/** A database or transaction of any dialect: its `select` is the one the dialect's database class declares. */
function isDrizzleDatabase(type: ts.Type, ctx: AnalysisContext): boolean {
  const select = ctx.checker.getPropertyOfType(type, "select");
  const owner = select?.declarations?.[0]?.parent;
  return (
    owner !== undefined &&
    ts.isClassDeclaration(owner) &&
    owner.name !== undefined &&
    DATABASE_CLASSES.has(owner.name.text) &&
    isFromPackage(select, "drizzle-orm")
  );
}

/**
 * The metadata type `_` of a Drizzle table or column (`brand` tells which), as `drizzle-orm`
 * declares it on `Table` and `Column`.
 */
function metadataOf(type: ts.Type, brand: "Table" | "Column", ctx: AnalysisContext): ts.Type | undefined {
  const meta = ctx.checker.getPropertyOfType(type, "_");
  if (!meta || !isFromPackage(meta, "drizzle-orm")) return undefined;
  const metaType = ctx.checker.getTypeOfSymbol(meta);
  return literalProperty(metaType, "brand", ctx) === brand ? metaType : undefined;
}

function propertyType(type: ts.Type, name: string, ctx: AnalysisContext): ts.Type | undefined {
  const property = ctx.checker.getPropertyOfType(type, name);
  return property && ctx.checker.getTypeOfSymbol(property);
}

function literalProperty(type: ts.Type, name: string, ctx: AnalysisContext): string | undefined {
  const value = propertyType(type, name, ctx);
  return value?.isStringLiteral() ? value.value : undefined;
}

function isDrizzleSql(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === "SQL" && isFromPackage(symbol, "drizzle-orm");
}

/** A column: its property name in the table and its database name. */
interface ColumnInfo {
  readonly key: string;
  readonly dbName: string;
}

/** A table as its type declares it: the database name and the columns map type. */
interface TableType {
  readonly name: string | undefined;
  readonly columns: ts.Type;
}

function tableTypeOf(type: ts.Type, ctx: AnalysisContext): TableType | undefined {
  const meta = metadataOf(type, "Table", ctx);
  const columns = meta && propertyType(meta, "columns", ctx);
  return columns && { name: literalProperty(meta, "name", ctx), columns };
}

function columnsOf(columns: ts.Type, ctx: AnalysisContext): ColumnInfo[] {
  return ctx.checker.getPropertiesOfType(columns).map((property) => {
    const key = property.getName();
    return { key, dbName: declaredColumnName(ctx.checker.getTypeOfSymbol(property), ctx) ?? key };
  });
}

function isTenantColumn(column: ColumnInfo, ctx: AnalysisContext): boolean {
  return ctx.isTenantKey(column.key) || ctx.isTenantKey(column.dbName);
}

/** `invoices.orgId`, `t.orgId`: a column object read from a table (or from a relational callback's fields). */
function columnOf(expr: ts.Expression, ctx: AnalysisContext): ColumnInfo | undefined {
  const e = skipWrappers(expr);
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const type = ctx.checker.getTypeAtLocation(e);
  if (!metadataOf(type, "Column", ctx)) return undefined;
  return { key: e.name.text, dbName: declaredColumnName(type, ctx) ?? e.name.text };
}

/** The entity a table's columns describe, if one of them holds the tenant; memoised per columns type. */
function entityOfColumns(columns: ts.Type, name: string, ctx: AnalysisContext): EntityInfo | undefined {
  const cache = ctx.memoize("drizzle:entities", () => new Map<ts.Type, EntityInfo | null>());
  let entity = cache.get(columns);
  if (entity === undefined) {
    const tenantKeys = columnsOf(columns, ctx)
      .filter((column) => isTenantColumn(column, ctx))
      .map((column) => column.key);
    entity = tenantKeys.length ? { orm: "drizzle", name, tenantKeys, tenantRelations: [] } : null;
    cache.set(columns, entity);
  }
  return entity ?? undefined;
}

function entityOfTable(expr: ts.Expression, ctx: AnalysisContext): EntityInfo | undefined {
  const table = tableTypeOf(ctx.checker.getTypeAtLocation(expr), ctx);
  return table && entityOfColumns(table.columns, table.name ?? skipWrappers(expr).getText(), ctx);
}

// ---------------------------------------------------------------------------------------------
// Chains

/**
 * The chain a call finishes. A root variable holding an unfinished query (`const q = db.select().from(t)`,
 * never an awaited result) is replaced by that query's own chain, so `q.where(...)` reads as one query.
 */
function queryChain(call: ts.CallExpression, ctx: AnalysisContext, depth: number): MethodChain {
  const chain = methodChain(call);
  if (depth >= MAX_DEPTH || !ts.isIdentifier(chain.root)) return chain;
  const init = constInitializer(ctx.checker, chain.root);
  const query = init && unawaited(init);
  if (!query || !ts.isCallExpression(query)) return chain;
  const before = queryChain(query, ctx, depth + 1);
  return { root: before.root, links: [...before.links, ...chain.links] };
}

/** The expression without parentheses and type assertions; `await` stays, since it runs the query. */
function unawaited(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (isTransparent(e)) e = e.expression;
  return e;
}

function isTransparent(node: ts.Node): node is ts.ParenthesizedExpression | ts.AsExpression | ts.SatisfiesExpression | ts.NonNullExpression {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node);
}

/** `const q = db.select().from(t); ... q.where(...)`: the query is finished (and classified) at its extensions. */
function isExtendedLater(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  let node: ts.Node = call;
  while (node.parent && isTransparent(node.parent)) node = node.parent;
  const decl = node.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== node || !ts.isIdentifier(decl.name)) return false;
  const variable = ctx.checker.getSymbolAtLocation(decl.name);
  const name = decl.name.text;
  let extended = false;
  forEachDescendant(decl.getSourceFile(), (n) => {
    if (extended || !ts.isIdentifier(n) || n.text !== name || n === decl.name) return;
    const access = n.parent;
    if (
      ts.isPropertyAccessExpression(access) &&
      access.expression === n &&
      ts.isCallExpression(access.parent) &&
      access.parent.expression === access &&
      ctx.checker.getSymbolAtLocation(n) === variable
    ) {
      extended = true;
    }
  });
  return extended;
}

/** `db.query.invoices.findMany({ where })` / `findFirst`. */
function relationalQuery(chain: MethodChain, call: ts.CallExpression, ctx: AnalysisContext): DataAccess | undefined {
  const find = chain.links[0];
  const singleRow = find && RELATIONAL_METHODS.get(find.name);
  if (!find || singleRow === undefined) return undefined;
  const builder = ctx.checker.getTypeAtLocation(chain.root);
  const symbol = builder.getSymbol();
  if (symbol?.getName() !== "RelationalQueryBuilder" || !isFromPackage(symbol, "drizzle-orm")) return undefined;
  // The last type argument is the table's relational config: `{ tsName, dbName, columns, relations }`.
  const fields = typeArguments(ctx.checker, builder).at(-1);
  const columns = fields && propertyType(fields, "columns", ctx);
  if (!fields || !columns) return undefined;
  const entity = entityOfColumns(columns, literalProperty(fields, "dbName", ctx) ?? chain.root.getText(), ctx);
  if (!entity) return undefined;

  const where = optionOf(find.args[0], "where", ctx);
  if (where === undefined) return undefined; // options we cannot read: no claim either way
  const filters = where ? filtersOfCondition(where, ctx, 0) : [];
  if (!filters) return undefined;
  return {
    orm: "drizzle",
    entity,
    operation: "read",
    method: find.name,
    node: call,
    filters,
    created: [],
    updated: [],
    singleRow,
  };
}

/** What a builder chain does, gathered link by link. */
interface BuilderQuery {
  operation: Operation;
  method: string;
  /** Tables whose rows the query touches, the main one first. */
  readonly tables: ts.Expression[];
  readonly conditions: ts.Expression[];
  readonly filters: FilterPart[];
  readonly created: ts.Expression[];
  readonly updated: ts.Expression[];
  singleRow: boolean;
}

/** `db.select().from(t).where(c)`, `db.update(t).set(v).where(c)`, `db.delete(t)`, `db.insert(t).values(v)`, `db.$count(t, c)`. */
function builderQuery(chain: MethodChain, call: ts.CallExpression, ctx: AnalysisContext): DataAccess | undefined {
  // `db.with(cte).select()...`: the common table expressions are queries of their own.
  const start = chain.links.findIndex((l) => l.name !== "with");
  const links = start < 0 ? [] : chain.links.slice(start);
  const entry = links[0];
  const operation = entry && ENTRY_METHODS.get(entry.name);
  if (!entry || !operation || !isDrizzleDatabase(ctx.checker.getTypeAtLocation(chain.root), ctx)) return undefined;

  const query: BuilderQuery = {
    operation,
    method: entry.name,
    tables: operation === "read" && entry.name !== "$count" ? [] : entry.args.slice(0, 1),
    conditions: entry.name === "$count" ? entry.args.slice(1, 2) : [],
    filters: [],
    created: [],
    updated: [],
    singleRow: false,
  };
  let where: ts.Expression | undefined;
  for (const link of links.slice(1)) {
    // Drizzle keeps only the last `where` of a chain.
    if (link.name === "where") where = link.args[0];
    else if (!readLink(link, query, ctx)) return undefined;
  }
  if (where) query.conditions.push(where);

  const entity = query.tables.map((table) => entityOfTable(table, ctx)).find((e) => e !== undefined);
  if (!entity) return undefined;
  for (const condition of query.conditions) {
    const parts = filtersOfCondition(condition, ctx, 0);
    if (!parts) return undefined;
    query.filters.push(...parts);
  }
  if (query.operation === "upsert") {
    const conflict = conflictFilter(links, query.created, entity, ctx);
    if (conflict === undefined) return undefined;
    query.filters.push(...conflict);
  }
  return {
    orm: "drizzle",
    entity,
    operation: query.operation,
    method: query.method,
    node: call,
    filters: query.filters,
    created: query.created,
    updated: query.updated,
    singleRow: query.operation === "read" && query.singleRow,
  };
}

/** Records what one link adds to the query; false when the link cannot be read. */
function readLink(link: ChainLink, query: BuilderQuery, ctx: AnalysisContext): boolean {
  const [first, second] = link.args;
  const reads = query.operation === "read";
  if (link.name === "from" && reads && first) query.tables.unshift(first);
  else if (JOIN_METHODS.has(link.name) && reads && first) {
    query.tables.push(first);
    if (FILTERING_JOINS.has(link.name) && second) query.conditions.push(second);
  } else if (link.name === "set" && first) query.updated.push(first);
  else if (link.name === "values" && first) query.created.push(...rowsOf(first));
  else if (link.name === "limit" && first) query.singleRow = isOne(first);
  else if (link.name === "onConflictDoUpdate") {
    const set = optionOf(first, "set", ctx);
    if (set === undefined) return false;
    query.operation = "upsert";
    query.method = link.name;
    if (set) query.updated.push(set);
  } else if (link.name === "onDuplicateKeyUpdate") {
    // MySQL updates the row whichever unique key collides on, which the code does not show: no scope
    // claim, but the values written are still checked.
    const set = optionOf(first, "set", ctx);
    query.method = link.name;
    if (set) query.updated.push(set);
  }
  return true;
}

function rowsOf(values: ts.Expression): ts.Expression[] {
  const e = skipWrappers(values);
  return ts.isArrayLiteralExpression(e) ? [...e.elements] : [values];
}

function isOne(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  return ts.isNumericLiteral(e) && e.text === "1";
}

/**
 * The rows an `onConflictDoUpdate` may update: those that collide on its `target`, further filtered by
 * `setWhere`. A target that includes the tenant column only collides with rows of the inserted tenant.
 * Undefined when the config cannot be read.
 */
function conflictFilter(links: readonly ChainLink[], created: readonly ts.Expression[], entity: EntityInfo, ctx: AnalysisContext): FilterPart[] | undefined {
  const upsert = links.find((l) => l.name === "onConflictDoUpdate");
  const config = upsert?.args[0];
  if (!upsert || !config) return undefined;
  const filters: FilterPart[] = [];
  const target = optionOf(config, "target", ctx);
  if (target === undefined) return undefined;
  const targetColumns = target ? conflictColumns(target, ctx) : [];
  if (!targetColumns) return undefined;
  const tenantColumn = targetColumns.find((c) => isTenantColumn(c, ctx));
  if (tenantColumn) {
    filters.push({
      kind: "column",
      column: ctx.isTenantKey(tenantColumn.key) ? tenantColumn.key : tenantColumn.dbName,
      operator: "=",
      value: insertedValue(created, tenantColumn.key, ctx),
      node: upsert.call,
    });
  }
  for (const name of ["setWhere", "where"]) {
    const condition = optionOf(config, name, ctx);
    if (condition === undefined) return undefined;
    if (!condition) continue;
    const parts = filtersOfCondition(condition, ctx, 0);
    if (!parts) return undefined;
    filters.push(...parts);
  }
  return filters;
}

/** `target: t.id`, `target: [t.orgId, t.key]`, or a const holding either; undefined when one cannot be read. */
function conflictColumns(target: ts.Expression, ctx: AnalysisContext): ColumnInfo[] | undefined {
  let e = skipWrappers(target);
  if (ts.isIdentifier(e)) e = skipWrappers(constInitializer(ctx.checker, e) ?? e);
  const columns = rowsOf(e).map((c) => columnOf(c, ctx));
  return columns.every((c) => c !== undefined) ? (columns as ColumnInfo[]) : undefined;
}

/** The value one inserted row gives a column, when the row is an object literal that sets it. */
function insertedValue(created: readonly ts.Expression[], key: string, ctx: AnalysisContext): ts.Expression | undefined {
  if (created.length !== 1) return undefined;
  return optionOf(created[0], key, ctx) ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Conditions

/**
 * A `where` condition as filter parts: a `sql` template is a string predicate, the operands of a
 * top-level `and(...)` are parts of their own, anything else one condition. Undefined when the
 * condition cannot be read (a parameter, a spread list).
 */
function filtersOfCondition(condition: ts.Expression, ctx: AnalysisContext, depth: number): FilterPart[] | undefined {
  const template = sqlTemplateOf(condition, ctx);
  if (template) return [{ kind: "sql", text: sqlTemplateText(template, ctx, "filter"), params: undefined, node: template }];
  const e = skipWrappers(condition);
  if (depth < MAX_DEPTH && ts.isCallExpression(e) && calleeName(e) === "and" && isDrizzleOperator(e, ctx)) {
    const parts: FilterPart[] = [];
    for (const operand of e.arguments) {
      const operands = ts.isSpreadElement(operand) ? conditionListOf(operand.expression, "and", ctx) : [operand];
      if (!operands) return undefined;
      for (const each of operands) {
        const operandParts = filtersOfCondition(each, ctx, depth + 1);
        if (!operandParts) return undefined;
        parts.push(...operandParts);
      }
    }
    return parts;
  }
  return isReadableCondition(condition, ctx, 0) ? [{ kind: "condition", expr: condition }] : undefined;
}

/**
 * True when the analysis can see everything a condition is built from: Drizzle operators, and
 * functions, variables and callbacks of this program that return them. A condition passed in as a
 * parameter, spread from a list, or written as a `sql` template inside another condition could
 * hold the tenant filter where the analysis cannot read it, so it makes no claim.
 */
function isReadableCondition(expr: ts.Expression, ctx: AnalysisContext, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  const e = skipWrappers(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    return returnedExpressions(e).every((r) => isReadableCondition(r, ctx, depth + 1));
  }
  if (ts.isIdentifier(e)) {
    if (e.text === "undefined") return true;
    const init = constInitializer(ctx.checker, e);
    return init !== undefined && isReadableCondition(init, ctx, depth + 1);
  }
  if (ts.isConditionalExpression(e)) {
    return isReadableCondition(e.whenTrue, ctx, depth + 1) && isReadableCondition(e.whenFalse, ctx, depth + 1);
  }
  if (!ts.isCallExpression(e)) return false;
  if (isDrizzleOperator(e, ctx)) {
    // Only the logical operators take conditions; the others compare columns with values.
    const name = calleeName(e);
    if (name !== "and" && name !== "or" && name !== "not") return true;
    return e.arguments.every((a) => !ts.isSpreadElement(a) && isReadableCondition(a, ctx, depth + 1));
  }
  const fn = ctx.calledFunction(e);
  const returns = fn ? returnedExpressions(fn) : [];
  return returns.length > 0 && returns.every((r) => isReadableCondition(r, ctx, depth + 1));
}

/** `eq(...)`, `and(...)`, or the same operators handed to a relational `where` callback. */
function isDrizzleOperator(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  const decl = calleeDeclaration(ctx.checker, call);
  return decl !== undefined && DRIZZLE_FILES.test(decl.getSourceFile().fileName.replace(/\\/g, "/"));
}

/** A Drizzle `sql` template, written here, held by a const, or returned by a helper of this program. */
function sqlTemplateOf(expr: ts.Expression, ctx: AnalysisContext): ts.TaggedTemplateExpression | undefined {
  return taggedTemplateOf(expr, ctx, (template) => isDrizzleSql(ctx.checker.getTypeAtLocation(template)));
}

// ---------------------------------------------------------------------------------------------
// SQL text

/**
 * The SQL a `sql` template sends. Interpolated tables and columns read as their quoted names (in a
 * filter, a tenant column by the name the configuration gives it), nested templates and `sql.raw`
 * inline, and every other value as a `$n` parameter.
 */
function sqlTemplateText(template: ts.TaggedTemplateExpression, ctx: AnalysisContext, use: "filter" | "raw"): string {
  let parameters = 0;
  const textOf = (tagged: ts.TaggedTemplateExpression, depth: number): string => {
    const t = tagged.template;
    if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
    let text = t.head.text;
    for (const span of t.templateSpans) {
      const nested = depth < MAX_DEPTH ? sqlTemplateOf(span.expression, ctx) : undefined;
      text += (nested ? textOf(nested, depth + 1) : interpolationText(span.expression, ctx, use)) ?? `$${++parameters}`;
      text += span.literal.text;
    }
    return text;
  };
  return textOf(template, 0);
}

function interpolationText(expr: ts.Expression, ctx: AnalysisContext, use: "filter" | "raw"): string | undefined {
  const column = columnOf(expr, ctx);
  if (column) {
    const name = use === "filter" && ctx.isTenantKey(column.key) && !ctx.isTenantKey(column.dbName) ? column.key : column.dbName;
    return `"${name}"`;
  }
  const table = tableTypeOf(ctx.checker.getTypeAtLocation(expr), ctx);
  if (table?.name) return `"${table.name}"`;
  const e = skipWrappers(expr);
  if (ts.isCallExpression(e) && isSqlHelper(e, "raw", ctx)) return sqlTextOf(e.arguments[0], ctx);
  if (ts.isCallExpression(e) && isSqlHelper(e, "identifier", ctx)) {
    const name = sqlTextOf(e.arguments[0], ctx);
    return name === undefined ? undefined : `"${name}"`;
  }
  return undefined;
}

/** `sql.raw(...)`, `sql.identifier(...)`. */
function isSqlHelper(call: ts.CallExpression, name: string, ctx: AnalysisContext): boolean {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== name) return false;
  const symbol = ctx.checker.getSymbolAtLocation(callee.name);
  return isFromPackage(symbol, "drizzle-orm");
}

/** The text `db.execute(...)` sends: a `sql` template, `sql.raw(text)`, or a plain string. */
function rawQueryText(arg: ts.Expression | undefined, ctx: AnalysisContext): string | undefined {
  if (!arg) return undefined;
  const template = sqlTemplateOf(arg, ctx);
  if (template) return sqlTemplateText(template, ctx, "raw");
  let e = skipWrappers(arg);
  if (ts.isIdentifier(e)) e = skipWrappers(constInitializer(ctx.checker, e) ?? e);
  if (ts.isCallExpression(e) && isSqlHelper(e, "raw", ctx)) return sqlTextOf(e.arguments[0], ctx);
  return ts.isCallExpression(e) ? undefined : sqlTextOf(e, ctx);
}

// ---------------------------------------------------------------------------------------------
// Tables

/**
 * Every table the program declares: `pgTable("invoices", {...})`, `mysqlTable`, `sqliteTable`, a
 * schema's `table(...)`, a `pgTableCreator` function — any call with a columns argument that
 * returns a Drizzle table type. Tenant columns are given by database name, as raw SQL names them.
 */
/**
 * The calls that may define a table (`pgTable("projects", { ... })`: a name, then the columns as an
 * object or a function returning one), by the lowercase name their first argument states, or under
 * `undefined` when it states none.
 */
function tableDefinitions(ctx: AnalysisContext): Map<string | undefined, ts.CallExpression[]> {
  const definitions = new Map<string | undefined, ts.CallExpression[]>();
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/") || !ctx.sees(sf, DRIZZLE_FILES)) continue;
    for (const node of fileNodes(sf).calls) {
      if (node.arguments.length < 2) continue;
      const columnsArg = skipWrappers(node.arguments[1]!);
      if (!ts.isObjectLiteralExpression(columnsArg) && !ts.isArrowFunction(columnsArg) && !ts.isFunctionExpression(columnsArg)) continue;
      const nameArg = skipWrappers(node.arguments[0]!);
      const name = ts.isStringLiteralLike(nameArg) ? nameArg.text.toLowerCase() : undefined;
      const named = definitions.get(name);
      if (named) named.push(node);
      else definitions.set(name, [node]);
    }
  }
  return definitions;
}

function tableOfDefinition(call: ts.CallExpression, ctx: AnalysisContext): TableInfo | undefined {
  // A table type carries Drizzle's `_` metadata: calls that cannot return one are not resolved.
  if (!mayReturn(ctx.checker, call, (type) => ctx.checker.getPropertyOfType(type, "_") !== undefined)) return undefined;
  const table = tableTypeOf(ctx.checker.getTypeAtLocation(call), ctx);
  if (!table?.name) return undefined;
  const tenantColumns = columnsOf(table.columns, ctx)
    .filter((column) => isTenantColumn(column, ctx))
    .map((column) => column.dbName);
  return { orm: "drizzle", name: table.name, tenantColumns };
}
