import ts from "../typescript.cjs";
import { isOutermostCall, methodChain, type ChainLink, type MethodChain } from "../chain.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { constInitializer, isFromPackage, resolvedSymbol, skipWrappers, typeArguments } from "../ts-utils.js";
import { isReturnedUnfinished, throughQueryHelpers } from "../helper-chains.js";
import { sqlTextOf, tableOfReference } from "./args.js";
import { confinedToQueryRows } from "./joins.js";

const TABLE_METHODS = new Set(["from", "table", "into"]);
/** The `or*` filter methods and the filter each adds as a branch of its own. */
const OR_LINKS: Readonly<Record<string, string>> = { orWhere: "where", orWhereIn: "whereIn", orWhereNotIn: "whereNotIn", orWhereNot: "whereNot", orWhereRaw: "whereRaw" };

const WRITE_METHODS: Record<string, Operation> = {
  update: "update",
  increment: "update",
  decrement: "update",
  del: "delete",
  delete: "delete",
  truncate: "delete",
  insert: "create",
  merge: "upsert",
};

/** Knex: query builders typed through the `Tables` augmentation of `knex/types/tables`. */
export const knexAdapter: OrmAdapter = {
  orm: "knex",
  declaredIn: /\/node_modules\/knex\//,

  classify(call, ctx) {
    if (!isOutermostCall(call)) return undefined;
    const isTemplate = (chain: MethodChain) => isGenericBuilderBase(chain, ctx);
    const written = methodChain(call);
    if (isReturnedUnfinished(call, written, isTemplate)) return undefined;
    const chain = rootedAtKnexCall(throughQueryHelpers(written, ctx, isTemplate), ctx);
    // A query names its table: `knex("t")`, or `knex.select().from("t")` from the instance itself.
    if (!ts.isCallExpression(chain.root) && !chain.links.some((l) => TABLE_METHODS.has(l.name))) return undefined;
    if (!startsAtKnex(chain.root, ctx)) return undefined;
    const steps: ts.Expression[] = [chain.root, ...chain.links.map((l) => l.call)];
    const entity = entityOfChain(steps, chain.root, chain.links, ctx);
    if (!entity) return undefined;

    let operation: Operation = "read";
    let method = "select";
    // `where(a).where(b).orWhere(c)` is `(a AND b) OR c`: each `or*` link starts a branch.
    const branches: FilterPart[][] = [[]];
    const created: ts.Expression[] = [];
    const updated: ts.Expression[] = [];
    for (const link of chain.links) {
      const write = WRITE_METHODS[link.name];
      if (write) {
        operation = write;
        method = link.name;
        if (write === "create") created.push(...dataArgs(link));
        else if (write === "update") updated.push(...dataArgs(link));
        else if (write === "upsert") {
          updated.push(...(link.args[0] ? dataArgs(link) : created));
          // `insert(row).onConflict(...).merge()` updates the row that conflicts with the one
          // inserted, so the inserted rows' tenant keys are its filter.
          const rows = created.filter((row) => ts.isObjectLiteralExpression(skipWrappers(row)));
          if (rows.length) branches.at(-1)!.push({ kind: "alternatives", branches: rows.map((row) => [{ kind: "object", expr: row }]), node: link.call });
        }
        continue;
      }
      const and = OR_LINKS[link.name];
      const part = filterOfLink(and ? { ...link, name: and } : link, ctx, 0);
      if (part === "unknown") return undefined;
      if (and) branches.push([]);
      if (part) branches.at(-1)!.push(...part);
    }
    const filters: FilterPart[] = branches.length === 1 ? branches[0]! : [{ kind: "alternatives", branches, node: call }];
    const access: DataAccess = {
      orm: "knex",
      entity,
      operation,
      method,
      node: call,
      filters: confinedToQueryRows(filters, chain.links),
      created,
      updated,
      singleRow: chain.links.some((l) => l.name === "first"),
    };
    return access;
  },

  rawSql(node, ctx) {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "raw") return undefined;
    if (!isKnexInstance(ctx.checker.getTypeAtLocation(callee.expression))) return undefined;
    const text = sqlTextOf(node.arguments[0], ctx);
    return text === undefined ? undefined : { orm: "knex", node, text };
  },

  tables(ctx, name) {
    return ctx.memoize("knex:tables", () => knexTables(ctx)).filter(tableNamed(name));
  },
};

/**
 * A generic base repository's builder (`(trx ?? this.knex)<Row>(this.table)`, `.where("org_id", ...)`
 * on it): rows of a type parameter, with only filters added. It is a base for the subclasses' queries,
 * judged where they finish it (see `throughQueryHelpers`), not a query of its own.
 */
function isGenericBuilderBase(chain: MethodChain, ctx: AnalysisContext): boolean {
  const { root, links } = rootedAtKnexCall(chain, ctx);
  if (!ts.isCallExpression(root) || !links.every((link) => /^(?:where|andWhere|orWhere)/.test(link.name))) return false;
  const record = typeArguments(ctx.checker, ctx.checker.getTypeAtLocation(root))[0];
  return record !== undefined && (record.flags & ts.TypeFlags.TypeParameter) !== 0;
}

/**
 * A Knex instance held in a property is called as a method (`this.knex("t").where(...)`), so the
 * chain's first link is the `knex("t")` call itself: make that call the root.
 */
function rootedAtKnexCall(chain: MethodChain, ctx: AnalysisContext): MethodChain {
  const first = chain.links[0];
  // Syntax first: a table query names its table (`this.db("t")`) or its row type (`this.db<Row>(this.table)`);
  // only then ask for the receiver's type.
  const table = first?.args[0];
  if (!first || !table || !ts.isPropertyAccessExpression(skipWrappers(first.call.expression))) return chain;
  if (!ts.isStringLiteralLike(skipWrappers(table)) && first.call.typeArguments?.length !== 1) return chain;
  const callee = skipWrappers(first.call.expression) as ts.PropertyAccessExpression;
  if (TABLE_METHODS.has(first.name) || !isKnexInstance(ctx.checker.getTypeAtLocation(callee))) return chain;
  return { root: first.call, links: chain.links.slice(1) };
}

/** `knex("t")`, `trx("t")`, or `knex` itself followed by `.from("t")`: a query built here, not returned by a helper. */
function startsAtKnex(root: ts.Expression, ctx: AnalysisContext): boolean {
  const target = ts.isCallExpression(root) ? root.expression : root;
  return isKnexInstance(ctx.checker.getTypeAtLocation(target));
}

function isKnexBuilder(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === "QueryBuilder" && isFromPackage(symbol, "knex");
}

/** A Knex instance or transaction, or a union of them (`type Db = Knex | Knex.Transaction`). */
function isKnexInstance(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isKnexInstance);
  return [type.aliasSymbol, type.getSymbol()].some((symbol) => (symbol?.getName() === "Knex" || symbol?.getName() === "Transaction") && isFromPackage(symbol, "knex"));
}

/** The row type the builder is typed with, named by the table the chain selects from. */
function entityOfChain(steps: ts.Expression[], root: ts.Expression, links: readonly ChainLink[], ctx: AnalysisContext): EntityInfo | undefined {
  const tableArg = ts.isCallExpression(root) ? root.arguments[0] : links.find((l) => TABLE_METHODS.has(l.name))?.args[0];
  const tableName = tableArg && ts.isStringLiteralLike(skipWrappers(tableArg)) ? (skipWrappers(tableArg) as ts.StringLiteral).text : undefined;
  for (const step of steps) {
    const type = ctx.checker.getTypeAtLocation(step);
    if (!isKnexBuilder(type)) continue;
    const record = typeArguments(ctx.checker, type)[0];
    if (!record || record.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
    const entity = ctx.entityOfRowType("knex", record, tableName);
    if (entity) return entity;
  }
  // Knex types no row for an aliased table (`db("stock_levels as s")`): the row its name declares.
  const table = tableName && tableOfReference(tableName);
  const row = table && declaredTableRows(ctx).get(table);
  return row ? ctx.entityOfRowType("knex", row, table) : undefined;
}

function dataArgs(link: ChainLink): ts.Expression[] {
  if (!link.args[0]) return [];
  const first = skipWrappers(link.args[0]);
  if (ts.isArrayLiteralExpression(first)) return [...first.elements];
  // `update("org_id", value)` writes one column: its name stands for the written values.
  if (ts.isStringLiteralLike(first)) return link.name === "update" ? [first] : [];
  return [first];
}

/**
 * The filter a `where*` call adds, or a `modify(fn, ...args)` call through the modifier it runs;
 * `"unknown"` for forms the analysis does not read (callbacks, `orWhere`, a modifier it cannot see).
 */
function filterOfLink(link: ChainLink, ctx: AnalysisContext, depth: number, bound: Bindings = NO_BINDINGS): FilterPart[] | "unknown" | undefined {
  const [a, b, c] = link.args;
  const columnText = (expr: ts.Expression) => columnTextOf(expr, ctx, bound);
  switch (link.name) {
    case "where":
    case "andWhere": {
      if (!a) return undefined;
      const first = skipWrappers(a);
      if (ts.isArrowFunction(first) || ts.isFunctionExpression(first)) return "unknown";
      const column = columnText(first);
      if (column !== undefined) {
        if (c !== undefined && b && ts.isStringLiteralLike(skipWrappers(b))) {
          return [{ kind: "column", column, operator: (skipWrappers(b) as ts.StringLiteral).text, value: c, node: link.call }];
        }
        return [{ kind: "column", column, operator: "=", value: b, node: link.call }];
      }
      return [{ kind: "object", expr: a }];
    }
    case "whereIn":
    case "whereNotIn":
    case "whereNot": {
      const column = a && columnText(skipWrappers(a));
      if (column !== undefined) return [{ kind: "column", column, operator: link.name, value: b, node: link.call }];
      return link.name === "whereNot" ? [{ kind: "unscoped", node: link.call }] : undefined;
    }
    case "modify":
      return a ? modifierFilters(a, link.args.slice(1), ctx, depth, bound) : undefined;
    case "whereRaw":
    case "andWhereRaw":
      return a && ts.isStringLiteralLike(skipWrappers(a))
        ? [{ kind: "sql", text: (skipWrappers(a) as ts.StringLiteral).text, params: b, node: link.call }]
        : "unknown";
    default:
      return undefined;
  }
}

/** What a modifier's parameters hold in one `modify(fn, ...args)` call: the argument, or the default. */
type Bindings = ReadonlyMap<ts.Symbol, ts.Expression>;
const NO_BINDINGS: Bindings = new Map();

/**
 * The column a `where` names: a string, a template qualifying it by a table given at run time
 * (`${table}.org_id`), a choice between names of one column (`t ? `${t}.org_id` : "org_id"`), or a
 * modifier's parameter holding one of those.
 */
function columnTextOf(expr: ts.Expression, ctx: AnalysisContext, bound: Bindings): string | undefined {
  if (ts.isStringLiteralLike(expr)) return expr.text;
  if (ts.isTemplateExpression(expr)) {
    const tail = expr.templateSpans.at(-1)!.literal.text;
    return /^\.\w+$/.test(tail) ? `table${tail}` : undefined;
  }
  if (ts.isConditionalExpression(expr)) {
    const [whenTrue, whenFalse] = [columnTextOf(skipWrappers(expr.whenTrue), ctx, bound), columnTextOf(skipWrappers(expr.whenFalse), ctx, bound)];
    const bare = (column: string | undefined) => column?.replace(/^.*\./, "");
    return whenTrue !== undefined && bare(whenTrue) === bare(whenFalse) ? whenTrue : undefined;
  }
  if (ts.isIdentifier(expr) && bound.size) {
    const value = bound.get(ctx.checker.getSymbolAtLocation(expr)!);
    return value && columnTextOf(skipWrappers(value), ctx, NO_BINDINGS);
  }
  return undefined;
}

/**
 * `modify(scope, ctx)`: the filters the modifier adds to the builder it is given as its first
 * parameter (`function scope(qb, ctx) { qb.where("org_id", ctx.orgId); }`), from the statements
 * it always runs. Filters it adds only on some paths are left out; a modifier the analysis cannot
 * see is unknown.
 */
function modifierFilters(modifier: ts.Expression, args: readonly ts.Expression[], ctx: AnalysisContext, depth: number, outer: Bindings): FilterPart[] | "unknown" {
  const fn = functionOf(modifier, ctx);
  const builder = fn?.parameters[0]?.name;
  if (!fn?.body || !builder || !ts.isIdentifier(builder) || depth > 3) return "unknown";
  const builderSymbol = ctx.checker.getSymbolAtLocation(builder);
  // `inGroup(qb, group, column = "group_id")` run as `modify(inGroup, ctx.group)` or
  // `modify(inGroup, ctx.group, "s.group_id")`: its parameters hold the arguments, or their defaults.
  const bound = new Map<ts.Symbol, ts.Expression>();
  fn.parameters.slice(1).forEach((param, i) => {
    const symbol = ts.isIdentifier(param.name) ? ctx.checker.getSymbolAtLocation(param.name) : undefined;
    const arg = args[i];
    const value = arg && ts.isIdentifier(skipWrappers(arg)) ? (outer.get(ctx.checker.getSymbolAtLocation(skipWrappers(arg))!) ?? arg) : (arg ?? param.initializer);
    if (symbol && value) bound.set(symbol, value);
  });
  const statements = ts.isBlock(fn.body) ? fn.body.statements : [fn.body];
  const filters: FilterPart[] = [];
  for (const statement of statements) {
    const expr = ts.isExpressionStatement(statement) ? statement.expression : ts.isReturnStatement(statement) ? statement.expression : ts.isExpression(statement) ? statement : undefined;
    const call = expr && skipWrappers(expr);
    if (!call || !ts.isCallExpression(call)) continue;
    const chain = methodChain(call);
    if (!ts.isIdentifier(chain.root) || ctx.checker.getSymbolAtLocation(chain.root) !== builderSymbol) continue;
    for (const link of chain.links) {
      // Branches ORed inside a modifier are not read: the modifier's filter is then unknown.
      if (OR_LINKS[link.name]) return "unknown";
      const part = filterOfLink(link, ctx, depth + 1, bound);
      if (part === "unknown") return "unknown";
      if (part) filters.push(...part);
    }
  }
  return filters;
}

/** The function an expression is or names: an inline function, a function declaration, a `const` holding an arrow. */
function functionOf(expr: ts.Expression, ctx: AnalysisContext): ts.FunctionLikeDeclaration | undefined {
  const e = skipWrappers(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (!ts.isIdentifier(e)) return undefined;
  const declaration = resolvedSymbol(ctx.checker, e)?.valueDeclaration;
  if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
  const init = constInitializer(ctx.checker, e);
  const fn = init && skipWrappers(init);
  return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
}

/** Tables declared by augmenting `knex/types/tables`, with their tenant columns. */
function knexTables(ctx: AnalysisContext): TableInfo[] {
  return [...declaredTableRows(ctx)].map(([name, row]) => ({
    orm: "knex",
    name,
    tenantColumns: ctx.checker.getPropertiesOfType(row).map((p) => p.getName()).filter((p) => ctx.isTenantKey(p)),
  }));
}

/**
 * The row type of each table declared by augmenting `knex/types/tables` (`Tables`), by name. The
 * augmentation is a `declare module` block, which a program for part of a project also loads.
 */
function declaredTableRows(ctx: AnalysisContext): Map<string, ts.Type> {
  return ctx.memoize("knex:tableRows", () => {
    const rows = new Map<string, ts.Type>();
    for (const sf of ctx.program.getSourceFiles()) {
      if (sf.isDeclarationFile && sf.fileName.includes("/node_modules/")) continue;
      for (const statement of sf.statements) {
        if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name)) continue;
        if (!/^knex\/types\/tables(\.js)?$/.test(statement.name.text)) continue;
        const body = statement.body;
        if (!body || !ts.isModuleBlock(body)) continue;
        for (const decl of body.statements) {
          if (!ts.isInterfaceDeclaration(decl) || decl.name.text !== "Tables") continue;
          for (const member of decl.members) {
            if (!ts.isPropertySignature(member) || !member.name) continue;
            const type = ctx.checker.getTypeAtLocation(member);
            // `CompositeTableType<Row, Insert, Update>` or the row itself.
            rows.set(member.name.getText().replace(/^["']|["']$/g, ""), typeArguments(ctx.checker, type)[0] ?? type);
          }
        }
      }
    }
    return rows;
  });
}
