import ts from "typescript";
import { defineCoreRule } from "../rule.js";
import type { AnalysisContext } from "../context.js";
import { forEachDescendant, skipWrappers, variableDeclarationOf } from "../ts-utils.js";
import { setsTenantKey } from "../writes.js";

export const noTenantIdMutation = defineCoreRule({
  id: "no-tenant-id-mutation",
  description: "Disallow updates that change a row's tenant key: tenant ids are immutable",
  recommended: true,
  messages: {
    loadedRowTenantKeyWritten:
      "This assigns `{{key}}` of a row loaded from the database: tenant ids are immutable, so saving it would move the row to another tenant.",
    tenantKeyWritten:
      "This {{method}} writes the tenant key of existing {{entity}} rows: tenant ids are immutable, so moving a row to another tenant must be an audited copy, not an update.",
  },
  check(sourceFile, ctx, report) {
    forEachDescendant(sourceFile, (node) => {
      if (isTenantKeyAssignmentOfLoadedRow(node, ctx)) {
        report({ messageId: "loadedRowTenantKeyWritten", node, data: { key: ((node as ts.BinaryExpression).left as ts.PropertyAccessExpression).name.text } });
        return;
      }
      if (!ts.isCallExpression(node)) return;
      const access = ctx.accessOf(node);
      if (!access || access.updated.length === 0) return;
      if (access.updated.some((value) => setsTenantKey(value, ctx, { optionalCounts: false, entityKeys: access.entity.tenantKeys }) === "yes")) {
        report({ messageId: "tenantKeyWritten", node: access.node, data: { method: access.method, entity: access.entity.name } });
      }
    });
  },
});

/**
 * `row.tenantId = x` where `row` was loaded by an ORM read (`const row = await repo.findOneBy(...)`):
 * saving the entity afterwards moves it to another tenant. New entities (`new Invoice()`) are fine.
 */
function isTenantKeyAssignmentOfLoadedRow(node: ts.Node, ctx: AnalysisContext): boolean {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = node.left;
  if (!ts.isPropertyAccessExpression(left) || !ctx.isTenantKey(left.name.text)) return false;
  const target = skipWrappers(left.expression);
  if (!ts.isIdentifier(target)) return false;
  const decl = variableDeclarationOf(ctx.checker, target);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = skipWrappers(decl.initializer);
  if (!ts.isCallExpression(init)) return false;
  const access = ctx.accessOf(init) ?? outermostAccess(init, ctx);
  return access?.operation === "read";
}

/** `await repo.findOne(...)` may be wrapped in further calls of the same chain (`.exec()`). */
function outermostAccess(call: ts.CallExpression, ctx: AnalysisContext) {
  const callee = skipWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipWrappers(callee.expression))
    ? ctx.accessOf(skipWrappers(callee.expression) as ts.CallExpression)
    : undefined;
}
