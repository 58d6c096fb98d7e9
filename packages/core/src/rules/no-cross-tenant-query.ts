import ts from "typescript";
import { enclosingBypass } from "../bypass.js";
import type { AnalysisContext } from "../context.js";
import { defineCoreRule, type Report } from "../rule.js";
import { rawSqlTables, rawSqlTenantTables } from "../sql-tables.js";
import { scopeOfAccess } from "../scope.js";
import { forEachDescendant } from "../ts-utils.js";

export const noCrossTenantQuery = defineCoreRule({
  id: "no-cross-tenant-query",
  description: "Disallow one query whose tenant filter matches several tenants",
  recommended: true,
  messages: {
    crossTenant:
      "This {{operation}} of {{entity}} matches several tenants at once (`{{filter}}`): query one tenant at a time, or use the audited cross-tenant helper.",
  },
  check(sourceFile, ctx, report) {
    forEachDescendant(sourceFile, (node) => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) checkRawSql(node, ctx, report);
      if (!ts.isCallExpression(node)) return;
      const access = ctx.accessOf(node);
      if (!access || access.operation === "create" || enclosingBypass(access.node, ctx)) return;
      const scope = scopeOfAccess(access, ctx);
      if (scope.kind !== "multi") return;
      const filter = scope.node.getText().replace(/\s+/g, " ");
      report({
        messageId: "crossTenant",
        node: access.node,
        data: { operation: access.operation, entity: access.entity.name, filter: filter.length > 60 ? `${filter.slice(0, 59)}…` : filter },
      });
    });
  },
});

/** Raw SQL whose tenant column predicate admits several tenants (`org_id IN (...)`, `= ANY($1)`). */
function checkRawSql(node: ts.CallExpression | ts.TaggedTemplateExpression, ctx: AnalysisContext, report: (report: Report<"crossTenant">) => void): void {
  const raw = ctx.rawSqlOf(node);
  if (!raw || enclosingBypass(raw.node, ctx)) return;
  const spanning = rawSqlTables(raw.text, rawSqlTenantTables(ctx)).find((t) => t.scope === "multi");
  if (!spanning) return;
  report({ messageId: "crossTenant", node: raw.node, data: { operation: "raw query", entity: spanning.table.name, filter: `${spanning.predicate}…` } });
}
