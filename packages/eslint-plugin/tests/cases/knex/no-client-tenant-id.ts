import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import Router from "@koa/router";\nimport { knex } from "./db/knex.js";\nimport { orgOf } from "./org/context.js";\nimport { activeSubscriptions } from "./billing/subscriptions.js";\nexport const r = new Router();\n`;
const query = header + `r.get("/", async (ctx) => {\n  ctx.body = await knex("subscriptions").where({ org_id: String(ctx.query.org) });\n});`;
// Raw SQL takes its tenant from the value its tenant predicate is bound to.
const rawBinding = header + `r.get("/", async (ctx) => {\n  ctx.body = await knex.raw("select id from subscriptions where org_id = ? and status = ?", [String(ctx.query.org), "active"]);\n});`;
const header2 = header + `r.get("/", async (ctx) => {\n  ctx.body = await activeSubscriptions({ orgId: ctx.get("x-org"), userId: "u" });\n});`;

export default {
  fixture: "knex-koa",
  valid: [
    header + `r.get("/", async (ctx) => {\n  ctx.body = await activeSubscriptions(orgOf(ctx));\n});`,
    header + `r.get("/", async (ctx) => {\n  ctx.body = await knex("plans").where({ code: String(ctx.query.plan) });\n});`,
    header + `r.get("/", async (ctx) => {\n  ctx.body = await knex.raw("select id from subscriptions where org_id = ? and status = ?", [orgOf(ctx).orgId, String(ctx.query.status)]);\n});`,
  ],
  invalid: [
    { code: query, errors: [{ messageId: "clientTenantId", ...positionOf(query, `knex("subscriptions")`) }] },
    { code: rawBinding, errors: [{ messageId: "clientTenantId", ...positionOf(rawBinding, `knex.raw(`) }] },
    { code: header2, errors: [{ messageId: "clientTenantId", ...positionOf(header2, "{ orgId: ctx") }] },
  ],
} satisfies OrmCases<"clientTenantId">;
