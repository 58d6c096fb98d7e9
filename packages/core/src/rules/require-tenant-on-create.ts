import { defineCoreRule } from "../rule.js";
import { fileNodes } from "../file-nodes.js";
import { setsTenantKey } from "../writes.js";

export const requireTenantOnCreate = defineCoreRule({
  id: "require-tenant-on-create",
  description: "Require new rows of tenant-scoped entities to set the tenant key",
  recommended: true,
  messages: {
    missingTenantOnCreate:
      "This {{method}} creates {{entity}} rows without setting {{keys}}: the types let it be omitted, and the row would belong to no tenant (or the wrong one).",
  },
  check(sourceFile, ctx, report) {
    for (const call of fileNodes(sourceFile).calls) {
      const access = ctx.accessOf(call);
      // Default entity filters scope reads; they never set the tenant of a new row.
      if (!access || access.created.length === 0) continue;
      if (access.created.some((value) => setsTenantKey(value, ctx, { optionalCounts: true, entityKeys: access.entity.tenantKeys }) === "no")) {
        report({
          messageId: "missingTenantOnCreate",
          node: access.node,
          data: { method: access.method, entity: access.entity.name, keys: access.entity.tenantKeys.join(" or ") || access.entity.tenantRelations.join(" or ") },
        });
      }
    }
  },
});
