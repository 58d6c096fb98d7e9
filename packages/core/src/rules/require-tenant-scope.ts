import ts from "../typescript.cjs";
import type { DataAccess } from "../model.js";
import { enclosingBypass, isInsideTenantTransaction } from "../bypass.js";
import { setsTenantKey } from "../writes.js";
import { defineCoreRule } from "../rule.js";
import { scopeOfAccess } from "../scope.js";
import { originsOf } from "../taint.js";
import { fileNodes } from "../file-nodes.js";
import { shortText } from "../ts-utils.js";
import { isCheckedAfterLoad, targetsVerifiedRow } from "../verified-rows.js";

export const requireTenantScope = defineCoreRule({
  id: "require-tenant-scope",
  description: "Require reads, updates and deletes of tenant-scoped entities to filter on the tenant key",
  recommended: true,
  messages: {
    addTenantFilter: "Filter on the tenant in scope: `{{value}}`.",
    missingTenantScope:
      "{{operation}} of tenant-scoped {{entity}} is not constrained to one tenant: filter on {{keys}} (e.g. from the request's tenant context).",
    tenantMaybeUndefined:
      "The tenant filter `{{value}}` may be undefined: {{orm}} drops an undefined filter or fails at run time, so this {{operationLower}} of {{entity}} is not confined to one tenant.",
  },
  check(sourceFile, ctx, report) {
    for (const call of fileNodes(sourceFile).calls) {
      const access = ctx.accessOf(call);
      if (!access || access.operation === "create" || enclosingBypass(access.node, ctx) || isInsideTenantTransaction(access.node, ctx)) continue;
      // An upsert whose update writes the tenant key takes over rows of other tenants: that is
      // no-tenant-id-mutation's finding, and one bug gets one report.
      if (access.operation === "upsert" && access.updated.some((value) => setsTenantKey(value, ctx, { optionalCounts: false }) === "yes")) continue;
      const scope = scopeOfAccess(access, ctx);
      const data = {
        operation: capitalize(operationLabel(access)),
        entity: access.entity.name,
        keys: access.entity.tenantKeys.join(" or ") || access.entity.tenantRelations.join(" or "),
        orm: ormLabel(access),
      };
      if (scope.kind === "maybe-undefined") {
        // A tenant value the client controls is no-client-tenant-id's finding (that it may also be
        // missing is part of the same bug): one bug gets one report.
        if (ts.isExpression(scope.value) && originsOf(scope.value, ctx).some((o) => o.kind === "client")) continue;
        report({ messageId: "tenantMaybeUndefined", node: access.node, data: { ...data, operationLower: operationLabel(access), value: shortText(scope.value) } });
      } else if (scope.kind === "none" && !isCheckedAfterLoad(access, ctx) && !ctx.isTenantResolution(access) && !targetsVerifiedRow(access, ctx)) {
        report({ messageId: "missingTenantScope", node: access.node, data });
      }
    }
  },
});

function operationLabel(access: DataAccess): string {
  return access.operation === "read" ? "read" : access.operation === "upsert" ? "upsert" : access.operation;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ORM_LABELS: Record<string, string> = {
  prisma: "Prisma",
  typeorm: "TypeORM",
  drizzle: "Drizzle",
  knex: "Knex",
  kysely: "Kysely",
  sequelize: "Sequelize",
  mongoose: "Mongoose",
  "mikro-orm": "MikroORM",
  runtime: "the repository",
};

export function ormLabel(access: DataAccess): string {
  return ORM_LABELS[access.orm] ?? access.orm;
}
