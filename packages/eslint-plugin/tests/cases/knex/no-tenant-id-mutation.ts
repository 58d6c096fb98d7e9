import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { knex } from "./db/knex.js";\nimport type { OrgContext } from "./org/context.js";\n`;
const objectForm = header + `export const f = (org: OrgContext, target: string) => knex("subscriptions").where({ org_id: org.orgId }).update({ org_id: target });`;
// `update(column, value)` writes the one column it names.
const columnForm = header + `export const f = (org: OrgContext, target: string) => knex("subscriptions").where("org_id", org.orgId).update("org_id", target);`;
const loadedRow = header + `export async function f(org: OrgContext, id: number, target: string) {\n  const [row] = await knex("subscriptions").where({ id, org_id: org.orgId });\n  if (!row) return;\n  row.org_id = target;\n  return row;\n}`;

export default {
  fixture: "knex-koa",
  valid: [
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where({ org_id: org.orgId, id }).update({ status: "cancelled" });`,
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where({ org_id: org.orgId, id }).update("status", "cancelled");`,
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where({ org_id: org.orgId, id }).increment("seats", 1);`,
  ],
  invalid: [
    { code: objectForm, errors: [{ messageId: "tenantKeyWritten", ...positionOf(objectForm, `knex("subscriptions")`) }] },
    { code: columnForm, errors: [{ messageId: "tenantKeyWritten", ...positionOf(columnForm, `knex("subscriptions")`) }] },
    { code: loadedRow, errors: [{ messageId: "loadedRowTenantKeyWritten", ...positionOf(loadedRow, `row.org_id = target`) }] },
  ],
} satisfies OrmCases;
