import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { expect, it } from "vitest";
import { createTenantContext, generateRlsSql, type TenantContext } from "../../src/index.js";

/** Set by scripts/start-postgres.sh; server suites are skipped without it. */
export const serverUrl = process.env.TENANT_LINT_PG_URL;

/**
 * `projects` is tenant-scoped by the application only (the contract kit runs on it); `notes`
 * additionally has the RLS backstop, so a query that forgets its tenant filter still sees one tenant.
 */
export const TEST_TABLES_SQL = `
CREATE TABLE projects (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  key       text NOT NULL,
  name      text NOT NULL,
  CONSTRAINT projects_tenant_key UNIQUE (tenant_id, key)
);
CREATE TABLE notes (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  body      text NOT NULL
);
${generateRlsSql([{ table: "notes", tenantColumn: "tenant_id", columnType: "uuid" }])}`;

/** Role the PGlite suites run as: RLS does not bind superusers, so the app must not be one. */
export const PGLITE_APP_ROLE = "tenant_app";

/**
 * PGlite starts as the superuser "postgres". Switch the (single) session to a plain role that
 * then owns the tables: FORCE ROW LEVEL SECURITY is what makes the policy bind the owner.
 */
// Structural: typeorm-pglite's CommonJS typings of PGlite are a different declaration of the same class.
export async function preparePglite(db: Pick<PGlite, "exec">): Promise<void> {
  await db.exec(`
    CREATE ROLE ${PGLITE_APP_ROLE} NOSUPERUSER NOBYPASSRLS;
    GRANT USAGE, CREATE ON SCHEMA public TO ${PGLITE_APP_ROLE};
    SET ROLE ${PGLITE_APP_ROLE};
  `);
  await db.exec(TEST_TABLES_SQL);
}

/** A throw-away schema on the PostgreSQL server, holding the test tables. */
export interface ServerSchema {
  schema: string;
  /** libpq `options` that put the schema first on the search path. */
  searchPathOption: string;
  drop(): Promise<void>;
}

/** Creates the schema with the test tables, plus `extraSql` (run with the schema on the search path). */
export async function createServerSchema(label: string, extraSql = ""): Promise<ServerSchema> {
  const schema = `tl_${label}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`SET search_path TO ${schema}`);
    await admin.query(TEST_TABLES_SQL + extraSql);
  } finally {
    await admin.end();
  }
  return {
    schema,
    searchPathOption: `-c search_path=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Contract-kit inputs for the `projects` table. */
export const projectRows = {
  newRow: (key: string) => ({ key, name: `Project ${key}` }),
  patch: (key: string) => ({ name: `Renamed ${key}` }),
};

/** What each ORM suite supplies so the shared RLS checks can drive it. */
export interface RlsHarness {
  /** Inserts a note for ctx inside the ORM's tenant transaction helper. */
  insertNote(ctx: TenantContext, body: string): Promise<void>;
  /** Inserts a note claiming `tenantId` while the transaction is set to ctx. */
  insertNoteAs(ctx: TenantContext, tenantId: string): Promise<void>;
  /** `SELECT tenant_id FROM notes` with no WHERE at all, inside ctx's tenant transaction. */
  unfilteredTenantIds(ctx: TenantContext): Promise<string[]>;
  /** The same unfiltered query outside any tenant transaction. */
  unfilteredTenantIdsWithoutTenant(): Promise<string[]>;
  /** current_user's rolsuper and rolbypassrls: both must be false for RLS to apply. */
  roleFlags(): Promise<{ rolsuper: boolean; rolbypassrls: boolean }>;
}

/** The RLS backstop checks shared by every ORM and database; call inside a describe. */
export function rlsBackstopTests(harness: () => RlsHarness): void {
  const a = createTenantContext({ tenantId: randomUUID() });
  const b = createTenantContext({ tenantId: randomUUID() });
  let seeded = false;
  const seed = async () => {
    if (seeded) return;
    await harness().insertNote(a, "a1");
    await harness().insertNote(a, "a2");
    await harness().insertNote(b, "b1");
    seeded = true;
  };

  it("runs as a role that RLS binds (not superuser, no BYPASSRLS)", async () => {
    expect(await harness().roleFlags()).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("a query that forgot its tenant filter sees only the transaction's tenant", async () => {
    await seed();
    const visible = await harness().unfilteredTenantIds(a);
    expect(visible.filter((id) => id === a.tenantId)).toHaveLength(2);
    expect(visible.every((id) => id === a.tenantId)).toBe(true);
    expect(await harness().unfilteredTenantIds(b)).toEqual([b.tenantId]);
  });

  it("without a tenant setting nothing is visible, also right after a tenant transaction (the setting is transaction-local)", async () => {
    await seed();
    expect(await harness().unfilteredTenantIds(a)).not.toEqual([]);
    expect(await harness().unfilteredTenantIdsWithoutTenant()).toEqual([]);
  });

  it("refuses to write a row for another tenant (WITH CHECK)", async () => {
    const error = await harness().insertNoteAs(a, b.tenantId).then(() => null, (caught: unknown) => caught);
    expect(isRowLevelSecurityViolation(error), `expected an RLS violation, got ${String(error)}`).toBe(true);
    expect(await harness().unfilteredTenantIds(b)).toEqual([b.tenantId]);
  });
}

/** True when the error, or one it wraps (Drizzle and Prisma wrap driver errors), is PostgreSQL's RLS refusal. */
function isRowLevelSecurityViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (/violates row-level security policy/.test(current.message)) return true;
  }
  return false;
}
