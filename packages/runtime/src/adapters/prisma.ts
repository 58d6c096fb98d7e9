import { assertTenantContext, type TenantContext } from "../context.js";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";
import { SET_TENANT_SQL } from "../rls.js";

/**
 * The model delegate methods the adapter calls (`prisma.project`). Prisma generates one delegate
 * type per model, so the adapter is typed by these methods rather than by a single Prisma type.
 */
export interface PrismaTenantDelegate<Row> {
  findMany(args: { where: Record<string, unknown>; orderBy: Record<string, "asc"> }): PromiseLike<Row[]>;
  findFirst(args: { where: Record<string, unknown> }): PromiseLike<Row | null>;
  create(args: { data: never }): PromiseLike<Row>;
  updateManyAndReturn(args: { where: Record<string, unknown>; data: never }): PromiseLike<Row[]>;
  deleteMany(args: { where: Record<string, unknown> }): PromiseLike<{ count: number }>;
}

export interface PrismaAdapterOptions {
  /** Prisma field (not column) holding the tenant id. Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
}

/** Adapter over one Prisma model delegate, e.g. `prismaTenantAdapter<Project>(prisma.project)`. */
export function prismaTenantAdapter<Row extends object, Create extends object = Partial<Row>, Update extends object = Partial<Row>>(
  delegate: PrismaTenantDelegate<Row>,
  options: PrismaAdapterOptions = {},
): TenantRepositoryAdapter<Row, Create, Update> {
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const scoped = (scope: TenantScope, extra: Readonly<Record<string, unknown>>) => ({ ...extra, [tenantKey]: scope.tenantId });
  const byId = (scope: TenantScope, id: RowId) => ({ [idKey]: id, [tenantKey]: scope.tenantId });
  const order = { [idKey]: "asc" as const };
  return {
    tenantKey,
    idKey,
    list: async (scope, filter) => delegate.findMany({ where: scoped(scope, filter), orderBy: order }),
    listAll: async (filter) => delegate.findMany({ where: { ...filter }, orderBy: order }),
    get: async (scope, id) => delegate.findFirst({ where: byId(scope, id) }),
    insert: async (data) => delegate.create({ data: data as never }),
    // One UPDATE … WHERE id AND tenant … RETURNING: no window in which another tenant's row is touched.
    update: async (scope, id, patch) => (await delegate.updateManyAndReturn({ where: byId(scope, id), data: patch as never }))[0] ?? null,
    delete: async (scope, id) => (await delegate.deleteMany({ where: byId(scope, id) })).count > 0,
  };
}

/** The part of a PrismaClient the RLS helper needs. */
export interface PrismaTransactionHost<Tx> {
  $transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Prisma's interactive transaction with the RLS tenant setting applied first. */
export async function withPrismaTenantTransaction<Tx extends { $queryRawUnsafe(query: string, ...values: unknown[]): PromiseLike<unknown> }, T>(
  prisma: PrismaTransactionHost<Tx>,
  ctx: TenantContext,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertTenantContext(ctx, "withPrismaTenantTransaction");
  return prisma.$transaction(async (tx) => {
    // $queryRawUnsafe with a bound parameter: the statement is constant, the tenant id is a value.
    await tx.$queryRawUnsafe(SET_TENANT_SQL, ctx.tenantId);
    return fn(tx);
  });
}
