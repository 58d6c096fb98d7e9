import { knex } from "./db/knex.js";

export function subscriptionById(id: number) {
  return knex("subscriptions").where("id", id).first();
}
