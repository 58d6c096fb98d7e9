import fs from "node:fs";
import path from "node:path";
import ts from "../typescript.cjs";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { tableNamed, type DataAccess, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { calleeName, constInitializer, skipWrappers, typeSymbol } from "../ts-utils.js";
import { joinedFragmentsText, optionOf, sqlTextOf, taggedTemplateOf, templateText } from "./args.js";

const OPERATIONS: Record<string, Operation> = {
  findMany: "read",
  findFirst: "read",
  findFirstOrThrow: "read",
  findUnique: "read",
  findUniqueOrThrow: "read",
  count: "read",
  aggregate: "read",
  groupBy: "read",
  update: "update",
  updateMany: "update",
  updateManyAndReturn: "update",
  delete: "delete",
  deleteMany: "delete",
  create: "create",
  createMany: "create",
  createManyAndReturn: "create",
  upsert: "upsert",
};

const SINGLE_ROW = new Set(["findFirst", "findFirstOrThrow", "findUnique", "findUniqueOrThrow"]);
const RAW_METHODS = new Set(["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"]);

/**
 * Prisma: a model delegate is recognised by its generated type (`InvoiceDelegate`, which has the
 * model's `fields`), whatever the variable is called: `prisma.invoice`, a `$transaction` client, an alias.
 */
export const prismaAdapter: OrmAdapter = {
  orm: "prisma",
  // A generated client, wherever it is generated to, imports Prisma's runtime: a file that sees no
  // runtime sees no client (Prisma 5 and later import `@prisma/client/runtime/*`; Prisma 4 and
  // older copy the runtime next to the client).
  declaredIn: /\/node_modules\/@prisma\/client\/|\/runtime\/(?:library|client|index)\.d\.[cm]?ts$/,

  classify(call, ctx) {
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const operation = OPERATIONS[method];
    if (!operation) return undefined;
    const delegateType = ctx.checker.getTypeAtLocation(callee.expression);
    const modelName = delegateModelName(delegateType);
    if (!modelName) return undefined;
    const fields = ctx.checker.getPropertyOfType(delegateType, "fields");
    if (!fields) return undefined;
    const fieldsType = ctx.checker.getTypeOfSymbolAtLocation(fields, callee);
    const entity = ctx.entityOfRowType("prisma", fieldsType, modelName);
    if (!entity) return undefined;
    const withRelations = { ...entity, tenantRelations: relationNames(entity.tenantKeys, ctx) };

    const args = call.arguments[0];
    const filters: FilterPart[] = [];
    const created: ts.Expression[] = [];
    const updated: ts.Expression[] = [];
    if (operation !== "create") {
      const where = optionOf(args, "where", ctx);
      if (where === undefined) return undefined; // options we cannot read: no claim either way
      if (where) filters.push({ kind: "object", expr: where });
    }
    const dataOption = (key: string, into: ts.Expression[]) => {
      const value = optionOf(args, key, ctx);
      if (value) into.push(value);
    };
    if (operation === "upsert") {
      dataOption("create", created);
      dataOption("update", updated);
    } else if (operation === "create") dataOption("data", created);
    else if (operation === "update") dataOption("data", updated);
    const access: DataAccess = {
      orm: "prisma",
      entity: withRelations,
      operation,
      method,
      node: call,
      filters,
      created,
      updated,
      singleRow: SINGLE_ROW.has(method),
    };
    return access;
  },

  rawSql(node, ctx) {
    const target = ts.isTaggedTemplateExpression(node) ? node.tag : node.expression;
    const callee = skipWrappers(target);
    if (!ts.isPropertyAccessExpression(callee) || !RAW_METHODS.has(callee.name.text)) return undefined;
    if (!isPrismaClient(ctx.checker.getTypeAtLocation(callee.expression), ctx)) return undefined;
    let text: string | undefined;
    if (ts.isTaggedTemplateExpression(node)) text = prismaSqlText(node.template, ctx);
    else {
      const fragment = node.arguments[0] && prismaSqlTemplateOf(node.arguments[0], ctx);
      text = fragment ? prismaSqlText(fragment.template, ctx) : sqlTextOf(node.arguments[0], ctx);
    }
    return text === undefined ? undefined : { orm: "prisma", node, text };
  },

  tables(ctx, name) {
    return ctx.memoize("prisma:tables", () => prismaTables(ctx)).filter(tableNamed(name));
  },
};

const MAX_SQL_DEPTH = 6;

/**
 * The SQL a raw template sends, with `Prisma.sql` fragments it interpolates (held by a const, or
 * returned by a helper such as `workspacePredicate(ws)`) and `Prisma.raw(text)` inlined, the way
 * Drizzle's `sql` templates are: a predicate built in a fragment is part of the statement. Other
 * values read as `$n` parameters.
 */
function prismaSqlText(template: ts.TemplateLiteral, ctx: AnalysisContext, depth = 0): string {
  if (ts.isNoSubstitutionTemplateLiteral(template) || depth > MAX_SQL_DEPTH) return templateText(template);
  let parameters = 0;
  let text = template.head.text;
  const parameter = () => `$${++parameters}`;
  const fragment = (expr: ts.Expression): string | undefined => {
    const nested = prismaSqlTemplateOf(expr, ctx);
    if (nested) return prismaSqlText(nested.template, ctx, depth + 1);
    // `Prisma.join([inPractice(ctx), between(from, to)], " AND ")`: the fragments, between the separator.
    const joined = prismaJoinOf(expr, ctx);
    return joined ? joinedFragmentsText(joined, ctx, fragment, parameter, ",") : prismaRawText(expr, ctx);
  };
  for (const span of template.templateSpans) text += (fragment(span.expression) ?? parameter()) + span.literal.text;
  return text;
}

/** `Prisma.join(list, separator)`, directly or in a const. */
function prismaJoinOf(expr: ts.Expression, ctx: AnalysisContext): ts.CallExpression | undefined {
  let e = skipWrappers(expr);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    e = init ? skipWrappers(init) : e;
  }
  return ts.isCallExpression(e) && calleeName(e) === "join" && isPrismaSqlType(ctx.checker.getTypeAtLocation(e)) ? e : undefined;
}

/** `Prisma.sql\`...\`` (or `sql` imported from a Prisma client), directly, in a const, or returned by a helper. */
function prismaSqlTemplateOf(expr: ts.Expression, ctx: AnalysisContext): ts.TaggedTemplateExpression | undefined {
  return taggedTemplateOf(expr, ctx, (template) => {
    const tag = skipWrappers(template.tag);
    const tagName = ts.isPropertyAccessExpression(tag) ? tag.name.text : ts.isIdentifier(tag) ? tag.text : undefined;
    return (tagName === "sql" || tagName === "sqltag") && isPrismaSqlType(ctx.checker.getTypeAtLocation(template));
  });
}

/** `Prisma.raw(text)`: text sent as it is. */
function prismaRawText(expr: ts.Expression, ctx: AnalysisContext): string | undefined {
  const e = skipWrappers(expr);
  if (!ts.isCallExpression(e) || calleeName(e) !== "raw" || !isPrismaSqlType(ctx.checker.getTypeAtLocation(e))) return undefined;
  return sqlTextOf(e.arguments[0], ctx);
}

/** Prisma's `Sql` object (from `@prisma/client/runtime`), the value `Prisma.sql` and `Prisma.raw` build. */
function isPrismaSqlType(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return symbol?.getName() === "Sql" && (symbol.declarations ?? []).some((d) => /prisma/i.test(d.getSourceFile().fileName));
}

function delegateModelName(type: ts.Type): string | undefined {
  const name = typeSymbol(type)?.getName() ?? type.getSymbol()?.getName();
  const match = name ? /^(\w+)Delegate$/.exec(name) : null;
  return match?.[1];
}

function relationNames(keys: readonly string[], ctx: AnalysisContext): string[] {
  return keys.map((k) => k.replace(/(Id|_id|ID)$/, "")).filter((n) => n && ctx.isTenantRelationName(n));
}

function isPrismaClient(type: ts.Type, ctx: AnalysisContext): boolean {
  return ctx.checker.getPropertyOfType(type, "$transaction") !== undefined && ctx.checker.getPropertyOfType(type, "$queryRaw") !== undefined;
}

interface PrismaModel {
  name: string;
  table: string;
  columns: Map<string, string>;
}

/** Models, `@@map` table names and `@map` column names from the project's Prisma schema files. */
function prismaTables(ctx: AnalysisContext): TableInfo[] {
  const tables: TableInfo[] = [];
  for (const file of prismaSchemaFiles(ctx.rootDir)) {
    for (const model of parsePrismaSchema(fs.readFileSync(file, "utf8"))) {
      const tenantColumns = [...model.columns].filter(([field]) => ctx.isTenantKey(field)).map(([, column]) => column);
      tables.push({ orm: "prisma", name: model.table, tenantColumns });
    }
  }
  return tables;
}

function prismaSchemaFiles(rootDir: string): string[] {
  const candidates = [path.join(rootDir, "schema.prisma"), path.join(rootDir, "prisma", "schema.prisma")];
  const folder = path.join(rootDir, "prisma", "schema");
  if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    for (const f of fs.readdirSync(folder)) if (f.endsWith(".prisma")) candidates.push(path.join(folder, f));
  }
  return candidates.filter((f) => fs.existsSync(f));
}

export function parsePrismaSchema(text: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  const modelRe = /^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm;
  for (let m = modelRe.exec(text); m; m = modelRe.exec(text)) {
    const body = m[2]!.replace(/\/\/.*$/gm, "");
    const mapped = /@@map\(\s*"([^"]+)"\s*\)/.exec(body);
    const columns = new Map<string, string>();
    for (const line of body.split("\n")) {
      const field = /^\s*(\w+)\s+\w+/.exec(line);
      if (!field || line.trim().startsWith("@@")) continue;
      const columnMap = /@map\(\s*"([^"]+)"\s*\)/.exec(line);
      columns.set(field[1]!, columnMap?.[1] ?? field[1]!);
    }
    models.push({ name: m[1]!, table: mapped?.[1] ?? m[1]!, columns });
  }
  return models;
}
