import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { knex } from "./db/knex.js";\nimport type { OrgContext } from "./org/context.js";\n`;
const raw = header + `export const f = (id: number) => knex.raw("update subscriptions set seats = 0 where id = ?", [id]);`;

export default {
  fixture: "knex-koa",
  valid: [
    header + `export const f = (org: OrgContext) => knex.raw("select * from subscriptions where org_id = ?", [org.orgId]);`,
    header + `export const f = () => knex.raw("select code from plans");`,
    // A predicate on several tenants is no-cross-tenant-query's finding: one bug, one report.
    header + `export const f = (orgIds: string[]) => knex.raw("select count(*) from subscriptions where org_id in (?)", [orgIds]);`,
  ],
  invalid: [{ code: raw, errors: [{ messageId: "unscopedRawSql", ...positionOf(raw, "knex.raw") }] }],
} satisfies OrmCases<"unscopedRawSql">;
