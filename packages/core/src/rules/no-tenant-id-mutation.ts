import ts from "typescript";
import { defineCoreRule } from "../rule.js";
import { forEachDescendant } from "../ts-utils.js";
import { setsTenantKey } from "../writes.js";

export const noTenantIdMutation = defineCoreRule({
  id: "no-tenant-id-mutation",
  description: "Disallow updates that change a row's tenant key: tenant ids are immutable",
  recommended: true,
  messages: {
    tenantKeyWritten:
      "This {{method}} writes the tenant key of existing {{entity}} rows: tenant ids are immutable, so moving a row to another tenant must be an audited copy, not an update.",
  },
  check(sourceFile, ctx, report) {
    forEachDescendant(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const access = ctx.accessOf(node);
      if (!access || access.updated.length === 0) return;
      if (access.updated.some((value) => setsTenantKey(value, ctx, { optionalCounts: false, entityKeys: access.entity.tenantKeys }) === "yes")) {
        report({ messageId: "tenantKeyWritten", node: access.node, data: { method: access.method, entity: access.entity.name } });
      }
    });
  },
});
