import { scopeFixFor, tenantContextFor } from "@tenant-lint/codemods";
import { requireTenantScope, ts } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof requireTenantScope.messages;

export default createCoreBackedRule<MessageIds, Options>(requireTenantScope, {
  defaultOptions: [],
  // The scope-queries codemod's fix, offered in the editor where a tenant context is in scope.
  suggest(finding, context) {
    if (finding.messageId !== "missingTenantScope" || !finding.node || !ts.isCallExpression(finding.node)) return [];
    const access = context.accessOf(finding.node);
    if (!access) return [];
    const tenant = tenantContextFor(finding.node, access, context);
    if ("skip" in tenant) return [];
    const edits = scopeFixFor(access, tenant.valueText, context);
    return edits ? [{ messageId: "addTenantFilter", data: { value: tenant.valueText }, edits }] : [];
  },
});
