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

// A query modifier adds its filters where `modify` runs it, with the arguments it is given.
const modifier =
  `import type { Knex } from "knex";\nexport function forOrg(qb: Knex.QueryBuilder, org: OrgContext, table?: string) {\n  qb.where(table ? \`\${table}.org_id\` : "org_id", org.orgId);\n}\n` +
  `export function active(qb: Knex.QueryBuilder) {\n  qb.where("status", "active");\n}\n`;
const modifiedWithoutTenant = header + modifier + `export const f = () => knex("subscriptions").modify(active);`;
// A row loaded without a tenant filter and never checked: updating it by its id proves nothing.
const uncheckedRow = header + `export async function f(id: number) {\n  const row = await knex("subscriptions").where({ id }).first();\n  if (!row) return;\n  await knex("subscriptions").where({ id: row.id }).update({ status: "cancelled" });\n}`;

// A filter on a table joined on a column other than its key confines that table, not the query's rows.
const offKeyJoin =
  header +
  `export const f = (org: OrgContext, metric: string) =>\n  knex("usage_events").join("subscriptions", "subscriptions.plan_code", "usage_events.metric").where("subscriptions.org_id", org.orgId).andWhere("usage_events.metric", metric);`;

// `type Db = Knex | Knex.Transaction` is a Knex instance too; `"t as s"` names table `t`.
const unionDb = `import type { Knex } from "knex";\ntype Db = Knex | Knex.Transaction;\n`;
const aliasedUnscoped = header + unionDb + `export const f = (db: Db) => db("subscriptions as s").where("s.status", "active");`;
// `where(a).where(b).orWhere(c)` is `(a AND b) OR c`: the `c` branch reaches every tenant's rows.
const orBranch = header + `export const f = (org: OrgContext, code: string) => knex("subscriptions").where("org_id", org.orgId).where("status", "active").orWhere("plan_code", code);`;
// A modifier's column parameter, from its default or from the argument `modify` passes.
const columnModifier = `import type { Knex } from "knex";\nexport function inOrg(qb: Knex.QueryBuilder, org: OrgContext, column = "org_id") {\n  qb.where(column, org.orgId);\n}\n`;

// A generic base repository: `query()` is a builder over its type parameter's rows that subclasses
// finish, and `scoped()` adds the tenant to it. Queries are judged where the subclass finishes them.
const baseRepository =
  `import type { Knex } from "knex";\nimport type { OrgContext } from "./org/context.js";\ninterface OrgOwned {\n  id: number;\n  org_id: string;\n}\n` +
  `abstract class Base<Row extends OrgOwned> {\n  protected abstract readonly table: string;\n  constructor(protected readonly db: Knex) {}\n` +
  `  protected query() {\n    return this.db<Row>(this.table);\n  }\n  protected scoped(org: OrgContext) {\n    return this.query().where("org_id", org.orgId);\n  }\n}\n` +
  `export class Subscriptions extends Base<{ id: number; org_id: string; status: string }> {\n  protected readonly table = "subscriptions";\n`;
const unscopedThroughBase = baseRepository + `  active() {\n    return this.query().where("status", "active");\n  }\n}`;

// A private builder its own class extends: each query is judged where a method finishes it.
const privateBuilder =
  header +
  `export class Subscriptions {\n  private live() {\n    return knex("subscriptions").where("status", "active");\n  }\n` +
  `  mine(org: OrgContext) {\n    return this.live().where("org_id", org.orgId);\n  }\n  byPlan(plan: string) {\n    return this.live().where("plan_code", plan);\n  }\n}`;

export default {
  fixture: "knex-koa",
  valid: [
    header + unionDb + `export const f = (db: Db, org: OrgContext) => db("subscriptions as s").where("s.org_id", org.orgId).select("s.id");`,
    header + columnModifier + `export const f = (org: OrgContext) => knex("subscriptions").modify(inOrg, org);`,
    header + columnModifier + `export const f = (org: OrgContext) => knex("subscriptions as s").join("plans as p", "p.code", "s.plan_code").modify(inOrg, org, "s.org_id");`,
    // Both branches pin the tenant.
    header + `export const f = (org: OrgContext, code: string) => knex("subscriptions").where({ org_id: org.orgId, status: "active" }).orWhere({ org_id: org.orgId, plan_code: code });`,
    // An upsert updates the row that conflicts with the one inserted, which the insert pins to the tenant.
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").insert({ id, org_id: org.orgId, plan_code: "pro", seats: 1, status: "active" }).onConflict("id").merge({ seats: 1 });`,
    // Rows that reference a row proven to be the tenant's belong to the tenant too.
    header +
      `export async function f(org: OrgContext, id: number) {\n  const sub = await knex("subscriptions").where({ id, org_id: org.orgId }).first();\n  if (!sub) throw new Error("not found");\n  await knex("usage_events").where({ quantity: sub.id }).del();\n}`,
    // Joined on the joined table's key: each usage row has one subscription, whose tenant is pinned.
    header +
      `export const f = (org: OrgContext) => knex("usage_events as u").join("subscriptions as s", "s.id", "u.quantity").where("s.org_id", org.orgId).select("u.metric");`,
    header + modifier + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where({ id }).modify(forOrg, org).first();`,
    header + modifier + `export const f = (org: OrgContext) => knex("subscriptions").modify(forOrg, org, "subscriptions").modify(active);`,
    // Updates by the id of a row already proven to be the tenant's: loaded in scope, or loaded and checked.
    header +
      `async function find(org: OrgContext, id: number) {\n  return knex("subscriptions").where({ id, org_id: org.orgId }).first();\n}\n` +
      `export async function f(org: OrgContext, id: number) {\n  const row = await find(org, id);\n  if (!row) return;\n  await knex("subscriptions").where({ id: row.id }).update({ status: "cancelled" });\n}`,
    header +
      `async function get(org: OrgContext, id: number) {\n  const row = await knex("subscriptions").where({ id }).first();\n  if (!row || row.org_id !== org.orgId) throw new Error("not found");\n  return row;\n}\n` +
      `export async function f(org: OrgContext, id: number) {\n  const row = await get(org, id);\n  await knex("subscriptions").where("id", row.id).del();\n}`,
    baseRepository + `  byId(org: OrgContext, id: number) {\n    return this.scoped(org).where("id", id).first();\n  }\n}`,
    // A row loaded through the base's scoped builder is the tenant's: updating it by its id is scoped.
    baseRepository +
      `  async cancel(org: OrgContext, id: number) {\n    const row = await this.scoped(org).where("id", id).forUpdate().first();\n    if (!row) return;\n    await this.db("subscriptions").where({ id: row.id }).update({ status: "cancelled" });\n  }\n}`,
    header + `export const f = (org: OrgContext) => knex("subscriptions").where({ org_id: org.orgId });`,
    header + `export const f = (org: OrgContext, id: number) => knex("subscriptions").where("org_id", org.orgId).andWhere("id", id).first();`,
    header + `export const f = (org: OrgContext) => knex("subscriptions").whereRaw("org_id = ?", [org.orgId]);`,
    header + `export const f = () => knex("plans").select("code");`,
    header + `export const f = (org: OrgContext) => knex.select("id").from("subscriptions").where({ org_id: org.orgId });`,
    header + `const m = new Map<number, string>();\nexport const f = (id: number) => m.delete(id);`,
  ],
  invalid: [
    { code: privateBuilder, errors: [{ messageId: "missingTenantScope", ...positionOf(privateBuilder, `this.live().where("plan_code"`) }] },
    { code: unscopedThroughBase, errors: [{ messageId: "missingTenantScope", ...positionOf(unscopedThroughBase, `this.query().where("status"`) }] },
    { code: aliasedUnscoped, errors: [{ messageId: "missingTenantScope", ...positionOf(aliasedUnscoped, `db("subscriptions as s")`) }] },
    { code: orBranch, errors: [{ messageId: "missingTenantScope", ...positionOf(orBranch, `knex("subscriptions")`) }] },
    {
      code: offKeyJoin,
      errors: [
        {
          messageId: "missingTenantScope",
          ...positionOf(offKeyJoin, `knex("usage_events")`),
          suggestions: [
            {
              messageId: "addTenantFilter",
              data: { value: "org.orgId" },
              output: offKeyJoin.replace(`knex("usage_events")`, `knex("usage_events").where("usage_events.org_id", org.orgId)`),
            },
          ],
        },
      ],
    },
    { code: modifiedWithoutTenant, errors: [{ messageId: "missingTenantScope", ...positionOf(modifiedWithoutTenant, `knex("subscriptions")`) }] },
    {
      code: uncheckedRow,
      errors: [
        { messageId: "missingTenantScope", ...positionOf(uncheckedRow, `knex("subscriptions").where({ id })`) },
        { messageId: "missingTenantScope", ...positionOf(uncheckedRow, `knex("subscriptions").where({ id: row.id })`) },
      ],
    },
    { code: byId, errors: [{ messageId: "missingTenantScope", ...positionOf(byId, `knex("subscriptions")`) }] },
    { code: del, errors: [{ messageId: "missingTenantScope", ...positionOf(del, `knex("subscriptions")`) }] },
    { code: viaProperty, errors: [{ messageId: "missingTenantScope", ...positionOf(viaProperty, `this.db("subscriptions").where({ status`) }] },
    { code: fromInstance, errors: [{ messageId: "missingTenantScope", ...positionOf(fromInstance, `knex.select("id")`) }] },
    { code: maybe, errors: [{ messageId: "tenantMaybeUndefined", ...positionOf(maybe, `knex("subscriptions")`) }] },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
