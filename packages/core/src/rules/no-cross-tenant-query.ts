import ts from "../typescript.cjs";
import { enclosingBypass } from "../bypass.js";
import type { AnalysisContext } from "../context.js";
import { defineCoreRule, type Report } from "../rule.js";
import { rawSqlTables } from "../sql-tables.js";
import { scopeOfAccess } from "../scope.js";
import { fileNodes } from "../file-nodes.js";

export const noCrossTenantQuery = defineCoreRule({
  id: "no-cross-tenant-query",
  description: "Disallow one query whose tenant filter matches several tenants",
  recommended: true,
  messages: {
    crossTenant:
      "This {{operation}} of {{entity}} matches several tenants at once (`{{filter}}`): query one tenant at a time, or use the audited cross-tenant helper.",
  },
  check(sourceFile, ctx, report) {
    const { calls, taggedTemplates } = fileNodes(sourceFile);
    for (const template of taggedTemplates) checkRawSql(template, ctx, report);
    for (const call of calls) {
      checkRawSql(call, ctx, report);
      const access = ctx.accessOf(call);
      // A trusted resolver's reads decide the tenant (a user's memberships), so span tenants by design.
      if (!access || access.operation === "create" || ctx.isTenantResolution(access) || enclosingBypass(access.node, ctx)) continue;
      const scope = scopeOfAccess(access, ctx);
      if (scope.kind !== "multi") continue;
      const filter = scope.node.getText().replace(/\s+/g, " ");
      report({
        messageId: "crossTenant",
        node: access.node,
        data: { operation: access.operation, entity: access.entity.name, filter: filter.length > 60 ? `${filter.slice(0, 59)}…` : filter },
      });
    }
  },
});

/** Raw SQL whose tenant column predicate admits several tenants (`org_id IN (...)`, `= ANY($1)`). */
function checkRawSql(node: ts.CallExpression | ts.TaggedTemplateExpression, ctx: AnalysisContext, report: (report: Report<"crossTenant">) => void): void {
  const raw = ctx.rawSqlOf(node);
  if (!raw || enclosingBypass(raw.node, ctx)) return;
  const spanning = rawSqlTables(raw.text, ctx).find((t) => t.scope === "multi");
  if (!spanning) return;
  report({ messageId: "crossTenant", node: raw.node, data: { operation: "raw query", entity: spanning.table.name, filter: `${spanning.predicate}…` } });
}
