import { assertTenantContext, type TenantContext } from "./context.js";

/** The PostgreSQL setting the policies read and the transaction helpers set. */
export const TENANT_SETTING = "app.tenant_id";

/** Sets the tenant for the current transaction only (`is_local` = true), so a pooled connection never carries it over. */
export const SET_TENANT_SQL = "SELECT set_config('app.tenant_id', $1, true)";

export interface RlsTable {
  /** Table name, optionally schema-qualified ("billing.invoices"). */
  table: string;
  tenantColumn: string;
  /** SQL type of the tenant column; the setting (text) is cast to it. Default "text". */
  columnType?: string;
  /** Default "<table>_tenant_isolation". */
  policyName?: string;
}

/**
 * ENABLE + FORCE row level security and one policy per table, filtering and checking writes on
 * `tenantColumn = current_setting('app.tenant_id', true)`. FORCE makes the policy bind the table
 * owner as well; superusers and BYPASSRLS roles still bypass it, so connect the app as neither.
 * When the setting is missing or empty (it is '' after a transaction that set it locally), the
 * comparison is NULL and no row is visible or writable: fail closed.
 * Re-runnable: the policy is dropped first if it exists.
 */
export function generateRlsSql(tables: readonly RlsTable[]): string {
  if (tables.length === 0) throw new TypeError("generateRlsSql needs at least one table.");
  return tables.map(tablePolicySql).join("\n\n") + "\n";
}

function tablePolicySql({ table, tenantColumn, columnType = "text", policyName }: RlsTable): string {
  const tableSql = qualifiedIdentifier(table);
  const unqualified = table.split(".").at(-1)!;
  const policy = quoteIdentifier(policyName ?? `${unqualified}_tenant_isolation`);
  const condition = `${quoteIdentifier(tenantColumn)} = ${settingExpression(columnType)}`;
  return [
    `ALTER TABLE ${tableSql} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${tableSql} FORCE ROW LEVEL SECURITY;`,
    `DROP POLICY IF EXISTS ${policy} ON ${tableSql};`,
    `CREATE POLICY ${policy} ON ${tableSql}`,
    `  USING (${condition})`,
    `  WITH CHECK (${condition});`,
  ].join("\n");
}

function settingExpression(columnType: string): string {
  if (!/^[a-z][a-z0-9_ ]*$/i.test(columnType)) throw new TypeError(`Unsupported column type "${columnType}".`);
  const setting = `NULLIF(current_setting('${TENANT_SETTING}', true), '')`;
  return columnType.toLowerCase() === "text" ? setting : `${setting}::${columnType}`;
}

function qualifiedIdentifier(name: string): string {
  const parts = name.split(".");
  if (parts.length > 2) throw new TypeError(`Table name "${name}" has too many parts.`);
  return parts.map(quoteIdentifier).join(".");
}

function quoteIdentifier(name: string): string {
  if (name === "" || name.includes("\u0000")) throw new TypeError("Invalid SQL identifier.");
  return `"${name.replace(/"/g, '""')}"`;
}

/** The set_config statement for one context, for ORMs whose raw-SQL API the helpers below do not cover. */
export function tenantSettingQuery(ctx: TenantContext): { text: string; values: [string] } {
  assertTenantContext(ctx, "tenantSettingQuery");
  return { text: SET_TENANT_SQL, values: [ctx.tenantId] };
}

/** Anything that runs a parameterised query: a pg client, a PGlite transaction, a TypeORM EntityManager. */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A database handle with a callback transaction API: PGlite, TypeORM's DataSource. */
export interface CallbackTransactionHost<Tx extends SqlQueryable> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A client checked out of a pool; `release(error)` destroys it instead of returning it. */
export interface PooledSqlClient extends SqlQueryable {
  release(error?: Error | boolean): void;
}

/** A connection pool such as pg.Pool. */
export interface SqlConnectionPool<Client extends PooledSqlClient> {
  connect(): Promise<Client>;
}

/**
 * Runs `fn` in a transaction whose tenant setting is `ctx.tenantId`, so RLS limits every query in
 * it to that tenant even if a query forgot its filter. For handles with a callback transaction
 * API whose transaction object has `query(text, values)`: PGlite, TypeORM's DataSource.
 */
export async function withTenantTransaction<Tx extends SqlQueryable, T>(
  db: CallbackTransactionHost<Tx>,
  ctx: TenantContext,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const { text, values } = tenantSettingQuery(ctx);
  return db.transaction(async (tx) => {
    await tx.query(text, values);
    return fn(tx);
  });
}

/**
 * The same for a connection pool such as pg.Pool: checks out a client, BEGIN, set_config, `fn`,
 * COMMIT (ROLLBACK on error), and always releases the client. The setting is transaction-local,
 * so the connection goes back to the pool without a tenant.
 * Annotate the client to get the pool's own client type: `async (client: pg.PoolClient) => …`.
 */
// NoInfer: pg.Pool's overloaded connect() cannot be inferred from, so the client type comes from
// fn's annotation, or defaults to PooledSqlClient.
export async function withTenantPoolTransaction<Client extends PooledSqlClient = PooledSqlClient, T = unknown>(
  pool: SqlConnectionPool<NoInfer<Client>>,
  ctx: TenantContext,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const { text, values } = tenantSettingQuery(ctx);
  return poolTransaction(pool, text, values, fn);
}

async function poolTransaction<Client extends PooledSqlClient, T>(
  pool: SqlConnectionPool<Client>,
  text: string,
  values: unknown[],
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query(text, values);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    broken = await rollback(client, error);
    throw error;
  } finally {
    // A connection whose ROLLBACK failed is destroyed rather than returned to the pool.
    client.release(broken);
  }
}

async function rollback(client: SqlQueryable, cause: unknown): Promise<Error | undefined> {
  try {
    await client.query("ROLLBACK");
    return undefined;
  } catch {
    return cause instanceof Error ? cause : new Error(String(cause));
  }
}
