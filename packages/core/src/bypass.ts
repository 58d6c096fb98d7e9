import ts from "./typescript.cjs";
import type { AnalysisContext } from "./context.js";
import { objectLiteralOf } from "./orm/args.js";
import { RUNTIME_LIBRARY_PATH } from "./orm/runtime.js";
import { calleeName, resolvedSymbol, skipWrappers, staticName } from "./ts-utils.js";

export const CROSS_TENANT_HELPER = "withCrossTenantAccess";

/** True for a call of the runtime library's audited cross-tenant helper. */
export function crossTenantBypassCall(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  if (calleeName(call) !== CROSS_TENANT_HELPER) return false;
  const decl = resolvedSymbol(ctx.checker, call.expression)?.declarations?.[0];
  const file = decl?.getSourceFile().fileName.replace(/\\/g, "/") ?? "";
  return RUNTIME_LIBRARY_PATH.test(file);
}

/** The reason given to `withCrossTenantAccess({ reason })`, if it is a non-empty literal or any non-literal value. */
export function bypassReason(call: ts.CallExpression, ctx: AnalysisContext): string | undefined {
  const options = objectLiteralOf(call.arguments[0], ctx);
  if (!options) return call.arguments[0] ? "(computed)" : undefined;
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || staticName(property.name) !== "reason") continue;
    const value = skipWrappers(property.initializer);
    if (ts.isStringLiteralLike(value)) return value.text.trim() || undefined;
    return value.getText();
  }
  return undefined;
}

/** The audited bypass a node runs inside, if any: `withCrossTenantAccess({ reason }, () => <node>)`. */
export function enclosingBypass(node: ts.Node, ctx: AnalysisContext): { call: ts.CallExpression; reason: string } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isCallExpression(current) || !crossTenantBypassCall(current, ctx)) continue;
    const callback = current.arguments[1];
    if (!callback || !(node.pos >= callback.pos && node.end <= callback.end)) continue;
    const reason = bypassReason(current, ctx);
    if (reason) return { call: current, reason };
  }
  return undefined;
}

const TENANT_TRANSACTIONS = new Set(["withTenantTransaction", "withTenantPoolTransaction"]);

/**
 * True inside the callback of the runtime's RLS transactions (`withTenantTransaction(db, ctx, fn)`):
 * the database itself confines every query there to the context's tenant.
 */
export function isInsideTenantTransaction(node: ts.Node, ctx: AnalysisContext): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isCallExpression(current) || !TENANT_TRANSACTIONS.has(calleeName(current) ?? "")) continue;
    const decl = resolvedSymbol(ctx.checker, current.expression)?.declarations?.[0];
    if (!decl || !RUNTIME_LIBRARY_PATH.test(decl.getSourceFile().fileName.replace(/\\/g, "/"))) continue;
    const [, tenant, callback] = current.arguments;
    if (tenant && callback && node.pos >= callback.pos && node.end <= callback.end && ctx.isContextType(ctx.checker.getTypeAtLocation(tenant))) {
      return true;
    }
  }
  return false;
}
