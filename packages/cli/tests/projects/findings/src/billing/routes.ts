import type { Context } from "koa";
import { orgOf } from "../org/context.js";
import { activeSubscriptions, subscriptionsOfOrg } from "./subscriptions.js";

export async function listSubscriptions(ctx: Context) {
  ctx.body = await activeSubscriptions(orgOf(ctx));
}

export async function listSubscriptionsOfRequestedOrg(ctx: Context) {
  const requested = String(ctx.query.org);
  ctx.body = await subscriptionsOfOrg(requested);
}
