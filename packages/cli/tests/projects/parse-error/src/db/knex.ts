import knexFactory from "knex";
import "./tables.js";

export const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
