import type { OrmAdapter } from "../context.js";
import { knexAdapter } from "./knex.js";
import { prismaAdapter } from "./prisma.js";

/** Every ORM tenant-lint understands, tried in this order for each call. */
export const ormAdapters: readonly OrmAdapter[] = [prismaAdapter, knexAdapter];
