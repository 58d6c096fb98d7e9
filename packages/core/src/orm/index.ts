import type { OrmAdapter } from "../context.js";
import { drizzleAdapter } from "./drizzle.js";
import { knexAdapter } from "./knex.js";
import { kyselyAdapter } from "./kysely.js";
import { mikroOrmAdapter } from "./mikro-orm.js";
import { mongooseAdapter } from "./mongoose.js";
import { pgAdapter } from "./pg.js";
import { prismaAdapter } from "./prisma.js";
import { runtimeAdapter } from "./runtime.js";
import { sequelizeAdapter } from "./sequelize.js";
import { typeormAdapter } from "./typeorm.js";

/** Every ORM tenant-lint understands, tried in this order for each call. */
export const ormAdapters: readonly OrmAdapter[] = [runtimeAdapter, prismaAdapter, knexAdapter, kyselyAdapter, sequelizeAdapter, mongooseAdapter, drizzleAdapter, mikroOrmAdapter, typeormAdapter, pgAdapter];
