import ts from "../typescript.cjs";
import type { OrmAdapter } from "../context.js";
import type { Operation } from "../model.js";
import { skipWrappers } from "../ts-utils.js";

/** Where the runtime library is declared: its published package, or this repository's source. */
export const RUNTIME_LIBRARY_PATH = /\/(@tenant-lint\/runtime|packages\/runtime)\//;

const SCOPED_METHODS: Record<string, Operation> = {
  listForTenant: "read",
  getForTenant: "read",
  createForTenant: "create",
  updateForTenant: "update",
  deleteForTenant: "delete",
};

/**
 * The runtime library's `TenantScopedRepository`: every method takes the tenant context first and
 * injects the tenant filter itself, so the context argument is the whole scope. The library also
 * sets the tenant key on create and refuses to change it on update, so no written values are checked.
 */
export const runtimeAdapter: OrmAdapter = {
  orm: "runtime",
  declaredIn: RUNTIME_LIBRARY_PATH,

  classify(call, ctx) {
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const operation = SCOPED_METHODS[method];
    if (!operation) return undefined;
    const declaration = ctx.checker.getSymbolAtLocation(callee.name)?.declarations?.[0];
    if (!declaration || !RUNTIME_LIBRARY_PATH.test(declaration.getSourceFile().fileName.replace(/\\/g, "/"))) return undefined;
    const receiverType = ctx.checker.getTypeAtLocation(callee.expression);
    const contextArgument = call.arguments[0];
    return {
      orm: "runtime",
      entity: {
        orm: "runtime",
        name: (receiverType.aliasSymbol ?? receiverType.getSymbol())?.getName() ?? "repository",
        tenantKeys: ctx.config.tenantKeys.slice(0, 1),
        tenantRelations: [],
      },
      operation,
      method,
      node: call,
      filters: contextArgument ? [{ kind: "context", expr: contextArgument }] : [],
      created: [],
      updated: [],
    };
  },
};
