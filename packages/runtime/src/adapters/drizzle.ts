import { and, asc, eq, getTableColumns, isNull, sql, type SQL } from "drizzle-orm";
import {
  boolean,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type PgColumn,
  type PgDatabase,
  type PgQueryResultHKT,
  type PgTable,
  type PgTransaction,
} from "drizzle-orm/pg-core";
import { assertTenantContext, type TenantContext } from "../context.js";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";
import type { Tenant, TenantStore } from "../tenant.js";

/** The reference tenants table (same as schema/tenant.sql and schema/tenant.prisma). */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    isActive: boolean("is_active").notNull().default(true),
  },
  (table) => [uniqueIndex("tenants_slug_key").on(table.slug), index("tenants_is_active_idx").on(table.isActive)],
);

// Any Drizzle PostgreSQL database or transaction (node-postgres, PGlite, postgres.js…); the schema type is irrelevant here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT, any, any>;

export interface DrizzleAdapterOptions {
  /** Table property (not column name) holding the tenant id. Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
}

/** Adapter over one Drizzle pg table. Pass a transaction as `db` to run inside it. */
export function drizzleTenantAdapter<Table extends PgTable>(
  db: AnyPgDatabase,
  table: Table,
  options: DrizzleAdapterOptions = {},
): TenantRepositoryAdapter<Table["$inferSelect"], Table["$inferInsert"], Partial<Table["$inferInsert"]>> {
  type Row = Table["$inferSelect"];
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const column = (key: string): PgColumn => {
    const found = columns[key];
    // An unknown filter key would otherwise be dropped silently and widen the query.
    if (!found) throw new TypeError(`drizzleTenantAdapter: table has no property "${key}".`);
    return found;
  };
  const tenantColumn = column(tenantKey);
  const idColumn = column(idKey);
  const conditions = (filter: Readonly<Record<string, unknown>>): SQL[] =>
    Object.entries(filter).map(([key, value]) => (value === null ? isNull(column(key)) : eq(column(key), value)));
  const byId = (scope: TenantScope, id: RowId) => and(eq(idColumn, id), eq(tenantColumn, scope.tenantId));
  const source = table as PgTable;
  return {
    tenantKey,
    idKey,
    list: async (scope, filter) =>
      (await db.select().from(source).where(and(eq(tenantColumn, scope.tenantId), ...conditions(filter))).orderBy(asc(idColumn))) as Row[],
    listAll: async (filter) => (await db.select().from(source).where(and(...conditions(filter))).orderBy(asc(idColumn))) as Row[],
    get: async (scope, id) => ((await db.select().from(source).where(byId(scope, id)).limit(1))[0] as Row | undefined) ?? null,
    insert: async (data) => (await db.insert(source).values(data as never).returning())[0] as Row,
    update: async (scope, id, patch) =>
      ((await db.update(source).set(patch as never).where(byId(scope, id)).returning())[0] as Row | undefined) ?? null,
    delete: async (scope, id) => (await db.delete(source).where(byId(scope, id)).returning({ id: idColumn })).length > 0,
  };
}

/** A Drizzle transaction with the RLS tenant setting applied first. */
export async function withDrizzleTenantTransaction<Db extends AnyPgDatabase, T>(
  db: Db,
  ctx: TenantContext,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (tx: PgTransaction<PgQueryResultHKT, any, any>) => Promise<T>,
): Promise<T> {
  assertTenantContext(ctx, "withDrizzleTenantTransaction");
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.tenant_id', ${ctx.tenantId}, true)`);
    return fn(tx);
  });
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A TenantStore over the reference `tenants` table. */
export function drizzleTenantStore(db: AnyPgDatabase): TenantStore {
  const first = async (condition: SQL): Promise<Tenant | null> =>
    (await db.select().from(tenants).where(condition).limit(1))[0] ?? null;
  return {
    // A non-UUID id cannot exist; answering null keeps a junk header from becoming a 500 (invalid uuid syntax).
    findById: async (id) => (UUID_PATTERN.test(id) ? first(eq(tenants.id, id)) : null),
    findBySlug: async (slug) => first(eq(tenants.slug, slug)),
  };
}
