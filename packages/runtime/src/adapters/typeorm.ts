import { IsNull, type DataSource, type EntityManager, type FindOptionsWhere, type ObjectLiteral, type Repository } from "typeorm";
import type { TenantContext } from "../context.js";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";
import { withTenantTransaction } from "../rls.js";

export interface TypeormAdapterOptions {
  /** Entity property (not column) holding the tenant id. Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
}

/** Adapter over a TypeORM Repository (`dataSource.getRepository(Project)` or `manager.getRepository(...)`). */
export function typeormTenantAdapter<Row extends ObjectLiteral, Create extends object = Partial<Row>, Update extends object = Partial<Row>>(
  repository: Repository<Row>,
  options: TypeormAdapterOptions = {},
): TenantRepositoryAdapter<Row, Create, Update> {
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const where = (conditions: Readonly<Record<string, unknown>>) =>
    // TypeORM ignores null in `where`; IsNull() makes "null matches NULL" explicit.
    Object.fromEntries(Object.entries(conditions).map(([key, value]) => [key, value === null ? IsNull() : value])) as FindOptionsWhere<Row>;
  const byId = (scope: TenantScope, id: RowId) => where({ [idKey]: id, [tenantKey]: scope.tenantId });
  const order = { [idKey]: "ASC" } as never;
  return {
    tenantKey,
    idKey,
    list: (scope, filter) => repository.find({ where: where({ ...filter, [tenantKey]: scope.tenantId }), order }),
    listAll: (filter) => repository.find({ where: where(filter), order }),
    get: (scope, id) => repository.findOneBy(byId(scope, id)),
    insert: async (data) => {
      // insert(), never save(): save() turns into an UPDATE when the id already exists (maybe another tenant's).
      const result = await repository.insert(data as never);
      const id = (result.identifiers[0] as Record<string, unknown> | undefined)?.[idKey];
      const tenantId = (data as Record<string, unknown>)[tenantKey];
      const row = await repository.findOneBy(where({ [idKey]: id, [tenantKey]: tenantId }));
      if (!row) throw new Error("TypeORM insert: the new row could not be read back.");
      return row;
    },
    update: async (scope, id, patch) => {
      // The WHERE carries the tenant, so another tenant's row is never written. The read-back is
      // scoped too: null means "no such row in this tenant". (Affected-row counts are not used:
      // typeorm-pglite does not report them.)
      await repository.update(byId(scope, id), patch as never);
      return repository.findOneBy(byId(scope, id));
    },
    delete: async (scope, id) => {
      const result = await repository.createQueryBuilder().delete().where(byId(scope, id)).returning("*").execute();
      return deletedRows(result.raw).length > 0;
    },
  };
}

/** A TypeORM transaction with the RLS tenant setting applied first; `fn` gets the transaction's EntityManager. */
export function withTypeormTenantTransaction<T>(dataSource: DataSource, ctx: TenantContext, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return withTenantTransaction<EntityManager, T>(dataSource, ctx, fn);
}

// node-postgres reports DELETE as [rows, rowCount]; typeorm-pglite (no command tag) as plain rows.
function deletedRows(raw: unknown): unknown[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === "number") return raw[0];
  return Array.isArray(raw) ? raw : [];
}
