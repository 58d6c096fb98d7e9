import ts from "typescript";
import { enclosingBypass } from "../bypass.js";
import { defineCoreRule } from "../rule.js";
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
