import type { Context } from "koa";
import { knex } from "./db/knex.js";
import { orgOf, type OrgContext } from "./org/context.js";

export function activeSubscriptions(org: OrgContext) {
  return knex("subscriptions").where({ org_id: org.orgId, status: "active" });
}

export function plans() {
  return knex("plans").select("code", "price_cents");
}

export async function listSubscriptions(ctx: Context) {
  ctx.body = await activeSubscriptions(orgOf(ctx));
}
