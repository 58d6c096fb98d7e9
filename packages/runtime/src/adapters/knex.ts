import type { Knex } from "knex";
import { assertTenantContext, type TenantContext } from "../context.js";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";

export interface KnexAdapterOptions {
  /** Column holding the tenant id. Default "tenantId"; usually "tenant_id" with Knex. */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
}

/**
 * Adapter over one table with Knex (PostgreSQL: uses RETURNING). Pass a transaction instead of the
 * Knex instance to run the repository inside it (e.g. withKnexTenantTransaction).
 */
export function knexTenantAdapter<Row extends object, Create extends object = Partial<Row>, Update extends object = Partial<Row>>(
  db: Knex | Knex.Transaction,
  table: string,
  options: KnexAdapterOptions = {},
): TenantRepositoryAdapter<Row, Create, Update> {
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const rows = () => db<Record<string, unknown>>(table);
  const byId = (scope: TenantScope, id: RowId) => ({ [idKey]: id, [tenantKey]: scope.tenantId });
  return {
    tenantKey,
    idKey,
    list: async (scope, filter) => (await rows().select("*").where({ ...filter, [tenantKey]: scope.tenantId }).orderBy(idKey)) as Row[],
    listAll: async (filter) => (await rows().select("*").where({ ...filter }).orderBy(idKey)) as Row[],
    get: async (scope, id) => ((await rows().select("*").where(byId(scope, id)).first()) as Row | undefined) ?? null,
    insert: async (data) => (await rows().insert(data as Record<string, unknown>).returning("*"))[0] as Row,
    update: async (scope, id, patch) =>
      ((await rows().where(byId(scope, id)).update(patch as Record<string, unknown>).returning("*"))[0] as Row | undefined) ?? null,
    // RETURNING rather than the affected-row count: knex-pglite reports no count for del().
    delete: async (scope, id) => (await rows().where(byId(scope, id)).del([idKey])).length > 0,
  };
}

/** A Knex transaction with the RLS tenant setting applied first. */
export async function withKnexTenantTransaction<T>(
  db: Knex,
  ctx: TenantContext,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  assertTenantContext(ctx, "withKnexTenantTransaction");
  return db.transaction(async (trx) => {
    await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [ctx.tenantId]);
    return fn(trx);
  });
}
