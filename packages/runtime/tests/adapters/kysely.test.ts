import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql, type Generated } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { kyselyTenantAdapter, withKyselyTenantTransaction } from "../../src/adapters/kysely.js";
import { TenantScopedRepository } from "../../src/index.js";
import { describeTenantIsolationContract } from "../../src/testing/index.js";
import { createServerSchema, preparePglite, projectRows, rlsBackstopTests, serverUrl, type RlsHarness, type ServerSchema } from "../support/db.js";

interface Database {
  projects: { id: Generated<string>; tenant_id: string; key: string; name: string };
  notes: { id: Generated<string>; tenant_id: string; body: string };
}

function contractSubject(db: Kysely<Database>) {
  return {
    repository: new TenantScopedRepository(kyselyTenantAdapter(db, "projects", { tenantKey: "tenant_id" })),
    tenantKey: "tenant_id",
    newRow: (key: string) => ({ ...projectRows.newRow(key), tenant_id: "" }), // tenant_id is overwritten from the context
    patch: projectRows.patch,
  };
}

function rlsHarness(db: Kysely<Database>): RlsHarness {
  const tenantIds = (rows: { tenant_id: string }[]) => rows.map((row) => row.tenant_id);
  return {
    insertNote: (ctx, body) =>
      withKyselyTenantTransaction(db, ctx, async (trx) => void (await trx.insertInto("notes").values({ tenant_id: ctx.tenantId, body }).execute())),
    insertNoteAs: (ctx, tenantId) =>
      withKyselyTenantTransaction(db, ctx, async (trx) => void (await trx.insertInto("notes").values({ tenant_id: tenantId, body: "x" }).execute())),
    unfilteredTenantIds: (ctx) =>
      withKyselyTenantTransaction(db, ctx, async (trx) => tenantIds(await trx.selectFrom("notes").select("tenant_id").execute())),
    unfilteredTenantIdsWithoutTenant: async () => tenantIds(await db.selectFrom("notes").select("tenant_id").execute()),
    roleFlags: async () =>
      (await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`.execute(db)).rows[0]!,
  };
}

describe("kysely adapter on PGlite (kysely-pglite-dialect)", () => {
  let db: Kysely<Database>;
  beforeAll(async () => {
    const pglite = new PGlite();
    await preparePglite(pglite);
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  describeTenantIsolationContract("kysely on PGlite", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});

describe.runIf(serverUrl)("kysely adapter on the PostgreSQL server", () => {
  let db: Kysely<Database>;
  let schema: ServerSchema;
  beforeAll(async () => {
    schema = await createServerSchema("kysely");
    const pool = new pg.Pool({ connectionString: serverUrl, options: schema.searchPathOption, max: 4 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await schema?.drop();
  });

  describeTenantIsolationContract("kysely on PostgreSQL", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});
