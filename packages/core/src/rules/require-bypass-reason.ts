import { disableDirectives, tenantLintRuleId } from "../directives.js";
import { defineCoreRule } from "../rule.js";
import { crossTenantBypassCall, bypassReason } from "../bypass.js";
import { fileNodes } from "../file-nodes.js";

export const requireBypassReason = defineCoreRule({
  id: "require-bypass-reason",
  description: "Require every bypass of a tenant-lint rule to give its reason, so bypasses can be audited",
  recommended: true,
  messages: {
    disableWithoutReason:
      "`eslint-{{kind}}` switches off {{rules}} without a reason: add one after `--` (e.g. `-- nightly billing job spans tenants`), so the bypass can be audited.",
    crossTenantWithoutReason: "`withCrossTenantAccess` needs a non-empty `reason`, so the cross-tenant access can be audited.",
  },
  check(sourceFile, ctx, report) {
    for (const directive of disableDirectives(sourceFile)) {
      if (directive.kind === "enable" || directive.reason) continue;
      const ours = (directive.ruleIds ?? []).filter((name) => tenantLintRuleId(name) !== undefined);
      if (ours.length === 0) continue;
      report({
        messageId: "disableWithoutReason",
        range: { start: directive.start, end: directive.end },
        data: { kind: directive.kind, rules: ours.join(", ") },
      });
    }
    for (const call of fileNodes(sourceFile).calls) {
      if (crossTenantBypassCall(call, ctx) && !bypassReason(call, ctx)) report({ messageId: "crossTenantWithoutReason", node: call });
    }
  },
});
