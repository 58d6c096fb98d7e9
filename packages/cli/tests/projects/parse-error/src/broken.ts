import { knex } from "./db/knex.js";

export function plans( {
  return knex("plans").select("code");
}
