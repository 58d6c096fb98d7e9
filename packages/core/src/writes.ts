import ts from "./typescript.cjs";
import type { AnalysisContext } from "./context.js";
import { skipWrappers, staticName, constInitializer } from "./ts-utils.js";

/**
 * Whether written values set the tenant key: `yes` (a literal key or a spread whose type has it),
 * `no` (known not to), or `unknown` (untyped values).
 */
export type KeyPresence = "yes" | "no" | "unknown";

export interface WriteOptions {
  /** Whether an optional tenant key property of a typed value counts as set. */
  readonly optionalCounts: boolean;
  /**
   * The written entity's tenant key properties, which count besides the configured names: a column
   * declared `orgId: text("org_id")` is a tenant key in code when only `org_id` is configured.
   */
  readonly entityKeys?: readonly string[];
}

/** Does an object (or array of objects) of written values set a tenant key or tenant relation? */
export function setsTenantKey(expr: ts.Expression, ctx: AnalysisContext, options: WriteOptions): KeyPresence {
  const e = skipWrappers(expr);
  if (ts.isArrayLiteralExpression(e)) {
    const each = e.elements.map((el) => setsTenantKey(el, ctx, options));
    return each.includes("no") ? "no" : each.includes("unknown") ? "unknown" : "yes";
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    if (init && ts.isObjectLiteralExpression(skipWrappers(init))) return setsTenantKey(init, ctx, options);
  }
  // A column name standing for the one column written (Knex `update("org_id", value)`).
  if (ts.isStringLiteralLike(e)) return isKeyName(e.text.replace(/^.*\./, ""), ctx, options) ? "yes" : "no";
  if (ts.isObjectLiteralExpression(e)) {
    let result: KeyPresence = "no";
    for (const property of e.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = setsTenantKey(property.expression, ctx, options);
        if (spread === "yes") return "yes";
        if (spread === "unknown") result = "unknown";
        continue;
      }
      const name = staticName(property.name);
      if (isKeyName(name, ctx, options)) {
        if (ts.isPropertyAssignment(property) && isUndefinedLiteral(property.initializer)) continue;
        return "yes";
      }
    }
    return result;
  }
  return typeSetsTenantKey(ctx.checker.getTypeAtLocation(e), ctx, options);
}

function isUndefinedLiteral(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  return ts.isIdentifier(e) && e.text === "undefined";
}

function isKeyName(name: string | undefined, ctx: AnalysisContext, options: WriteOptions): boolean {
  return ctx.isTenantKey(name) || ctx.isTenantRelationName(name) || (name !== undefined && options.entityKeys?.includes(name) === true);
}

function typeSetsTenantKey(type: ts.Type, ctx: AnalysisContext, options: WriteOptions): KeyPresence {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return "unknown";
  if (ctx.checker.isArrayType(type)) {
    const element = ctx.checker.getTypeArguments(type as ts.TypeReference)[0];
    return element ? typeSetsTenantKey(element, ctx, options) : "unknown";
  }
  for (const property of ctx.checker.getPropertiesOfType(type)) {
    if (!isKeyName(property.getName(), ctx, options)) continue;
    if (options.optionalCounts || !(property.flags & ts.SymbolFlags.Optional)) return "yes";
  }
  return "no";
}

/** The node that writes the tenant key in an object of written values, for precise reports. */
export function tenantKeyWriteNode(expr: ts.Expression, ctx: AnalysisContext): ts.Node | undefined {
  const e = skipWrappers(expr);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  for (const property of e.properties) {
    const name = ts.isSpreadAssignment(property) ? undefined : staticName(property.name);
    if (ctx.isTenantKey(name) || ctx.isTenantRelationName(name)) return property;
  }
  return undefined;
}
