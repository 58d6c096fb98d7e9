import ts from "../typescript.cjs";
import type { OrmAdapter } from "../context.js";
import { isFromPackage, resolvedSymbol, skipWrappers } from "../ts-utils.js";
import { optionOf, sqlTextOf } from "./args.js";

/** Where node-postgres declares its API (its own typings or `@types/pg`). */
const PG_FILES = /\/node_modules\/(?:@types\/)?pg\//;

/**
 * node-postgres (`pg`) used directly: a driver, not an ORM, so it only sends raw SQL.
 * `pool.query(text, values)`, `client.query({ text, values })` on a `Pool`, `Client` or
 * `PoolClient`. It declares no tables: which tables are tenant-scoped comes from the ORMs'
 * metadata, or from the program's own SQL (see `sqlTenantTables`).
 */
export const pgAdapter: OrmAdapter = {
  orm: "pg",
  declaredIn: PG_FILES,

  classify() {
    return undefined;
  },

  rawSql(node, ctx) {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "query") return undefined;
    // The method itself must be node-postgres's: other libraries have a `query` too.
    if (!isFromPackage(resolvedSymbol(ctx.checker, callee.name), "pg", "@types/pg")) return undefined;
    const first = node.arguments[0];
    // A query config object carries its SQL in `text`.
    const textArg = first && ts.isStringLiteralLike(skipWrappers(first)) ? first : (optionOf(first, "text", ctx) ?? first);
    const text = sqlTextOf(textArg, ctx);
    return text === undefined ? undefined : { orm: "pg", node, text };
  },
};
