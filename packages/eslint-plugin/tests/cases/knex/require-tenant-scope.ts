import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { knex } from "./db/knex.js";\nimport type { OrgContext } from "./org/context.js";\n`;
const byId = header + `export const f = (id: number) => knex("subscriptions").where("id", id).first();`;
const del = header + `export const f = (id: number) => knex("subscriptions").where({ id }).del();`;
// A Knex instance held by a repository class is called as a method: `this.db("table")`.
const viaProperty =
  `import type { Knex } from "knex";\nimport type { OrgContext } from "./org/context.js";\n` +
  `export class Store {\n  constructor(private readonly db: Knex) {}\n  all() { return this.db("subscriptions").where({ status: "active" }); }\n` +
  `  mine(org: OrgContext) { return this.db("subscriptions").where({ org_id: org.orgId }); }\n}`;
// From the instance itself, the table is named by a later link: `knex.select(...).from("t")`.
const fromInstance = header + `export const f = () => knex.select("id").from("subscriptions").where({ status: "active" });`;
const maybe = header + `export const f = (org?: OrgContext) => knex("subscriptions").where("org_id", org?.orgId);`;

export default {
  fixture: "knex-koa",
  valid: [
    header + `export const f = (org: OrgContext) => knex("subscriptions").where({ org_id: org.orgId });`,
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where("org_id", org.orgId).andWhere("id", id).first();`,
    header + `export const f = (org: OrgContext) => knex("subscriptions").whereRaw("org_id = ?", [org.orgId]);`,
    header + `export const f = () => knex("plans").select("code");`,
    header + `export const f = (org: OrgContext) => knex.select("id").from("subscriptions").where({ org_id: org.orgId });`,
    header + `const m = new Map<number, string>();\nexport const f = (id: number) => m.delete(id);`,
  ],
  invalid: [
    { code: byId, errors: [{ messageId: "missingTenantScope", ...positionOf(byId, `knex("subscriptions")`) }] },
    { code: del, errors: [{ messageId: "missingTenantScope", ...positionOf(del, `knex("subscriptions")`) }] },
    { code: viaProperty, errors: [{ messageId: "missingTenantScope", ...positionOf(viaProperty, `this.db("subscriptions").where({ status`) }] },
    { code: fromInstance, errors: [{ messageId: "missingTenantScope", ...positionOf(fromInstance, `knex.select("id")`) }] },
    { code: maybe, errors: [{ messageId: "tenantMaybeUndefined", ...positionOf(maybe, `knex("subscriptions")`) }] },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
