import { knex } from "../db/knex.js";
import type { OrgContext } from "../org/context.js";

export function activeSubscriptions(org: OrgContext) {
  return knex("subscriptions").where({ org_id: org.orgId, status: "active" });
}

export function subscriptionsOfOrg(orgId: string) {
  return knex("subscriptions").where({ org_id: orgId });
}

export function subscriptionById(id: number) {
  return knex("subscriptions").where("id", id).first();
}

export function cancelledSubscriptions() {
  // eslint-disable-next-line @tenant-lint/require-tenant-scope -- nightly cleanup job, all orgs on purpose
  return knex("subscriptions").where({ status: "cancelled" });
}

export function plans() {
  return knex("plans").select("code", "price_cents");
}
