import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { knex } from "./db/knex.js";\nimport type { OrgContext } from "./org/context.js";\n`;
const whereIn = header + `export const f = (orgIds: string[]) => knex("subscriptions").whereIn("org_id", orgIds);`;
const notEqual = header + `export const f = (org: OrgContext) => knex("usage_events").where("org_id", "!=", org.orgId).del();`;
// Raw SQL whose tenant predicate admits a list: a cross-tenant query, not an unscoped one.
const rawIn = header + `export const f = (orgIds: string[]) => knex.raw("select count(*) from subscriptions where org_id in (?)", [orgIds]);`;
const rawAny = header + `export const f = (orgIds: string[]) => knex.raw("select * from usage_events where org_id = any(?)", [orgIds]);`;

export default {
  fixture: "knex-koa",
  valid: [
    header + `export const f = (org: OrgContext, ids: number[]) => knex("subscriptions").where({ org_id: org.orgId }).whereIn("id", ids);`,
    header + `export const f = (codes: string[]) => knex("plans").whereIn("code", codes);`,
  ],
  invalid: [
    { code: whereIn, errors: [{ messageId: "crossTenant", ...positionOf(whereIn, `knex("subscriptions")`) }] },
    { code: notEqual, errors: [{ messageId: "crossTenant", ...positionOf(notEqual, `knex("usage_events")`) }] },
    { code: rawIn, errors: [{ messageId: "crossTenant", ...positionOf(rawIn, "knex.raw") }] },
    { code: rawAny, errors: [{ messageId: "crossTenant", ...positionOf(rawAny, "knex.raw") }] },
  ],
} satisfies OrmCases<"crossTenant">;
