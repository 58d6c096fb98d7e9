import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from "kysely";
import { assertTenantContext, type TenantContext } from "../context.js";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";

export interface KyselyAdapterOptions {
  /** Column holding the tenant id. Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
}

// Kysely's builder types are keyed on the database interface; the adapter works on column names
// given at run time, so it talks to an untyped view of the same instance.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UntypedKysely = Kysely<any>;

/** Adapter over one table with Kysely (PostgreSQL: uses RETURNING). Pass a Transaction to scope it to one. */
export function kyselyTenantAdapter<DB, Table extends keyof DB & string>(
  db: Kysely<DB>,
  table: Table,
  options: KyselyAdapterOptions = {},
): TenantRepositoryAdapter<Selectable<DB[Table]>, Insertable<DB[Table]>, Updateable<DB[Table]>> {
  type Row = Selectable<DB[Table]>;
  const k = db as unknown as UntypedKysely;
  const tableName: string = table;
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const select = (conditions: Readonly<Record<string, unknown>>) => {
    let query = k.selectFrom(tableName).selectAll();
    for (const [column, value] of Object.entries(conditions)) {
      query = value === null ? query.where(column, "is", null) : query.where(column, "=", value);
    }
    return query;
  };
  const byId = (scope: TenantScope, id: RowId) => ({ [idKey]: id, [tenantKey]: scope.tenantId });
  return {
    tenantKey,
    idKey,
    list: async (scope, filter) => (await select({ ...filter, [tenantKey]: scope.tenantId }).orderBy(idKey).execute()) as Row[],
    listAll: async (filter) => (await select(filter).orderBy(idKey).execute()) as Row[],
    get: async (scope, id) => ((await select(byId(scope, id)).executeTakeFirst()) as Row | undefined) ?? null,
    insert: async (data) => (await k.insertInto(tableName).values(data as Record<string, unknown>).returningAll().executeTakeFirstOrThrow()) as Row,
    update: async (scope, id, patch) =>
      ((await k
        .updateTable(tableName)
        .set(patch as Record<string, unknown>)
        .where(idKey, "=", id)
        .where(tenantKey, "=", scope.tenantId)
        .returningAll()
        .executeTakeFirst()) as Row | undefined) ?? null,
    delete: async (scope, id) => {
      const result = await k.deleteFrom(tableName).where(idKey, "=", id).where(tenantKey, "=", scope.tenantId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/** A Kysely transaction with the RLS tenant setting applied first. */
export async function withKyselyTenantTransaction<DB, T>(
  db: Kysely<DB>,
  ctx: TenantContext,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  assertTenantContext(ctx, "withKyselyTenantTransaction");
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.tenant_id', ${ctx.tenantId}, true)`.execute(trx);
    return fn(trx);
  });
}
